package api

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/trace"
)

func methodNames() []string {
	out := make([]string, 0, len(methods))
	for k := range methods {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func strictDecode(raw []byte, v any) error { return scenario.DecodeStrict(raw, v) }

func params(raw jsonwire.RawMessage, v any, method string) *Error {
	if len(raw) == 0 || string(raw) == "null" {
		raw = []byte("{}")
	}
	if err := strictDecode(raw, v); err != nil {
		return errf(CodeInvalidParams, "api: %s: params: %v", method, err)
	}
	return nil
}

// open: params is a scenario. A bad scenario leaves the open one untouched.
func (e *Engine) open(raw jsonwire.RawMessage) (any, *Error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errf(CodeInvalidParams, "api: open: params must be a scenario {\"seed\", \"cluster\", \"steps\"}")
	}
	s, err := scenario.Parse(raw)
	if err != nil {
		return nil, errf(CodeInvalidParams, "api: open: %v", err)
	}
	var store log.Store
	if s.Cluster.Storage == "files" {
		var ferr *Error
		if store, ferr = e.openFiles(); ferr != nil {
			return nil, ferr
		}
	}
	c, err := cluster.New(s, store)
	if err != nil {
		return nil, errf(CodeInvalidParams, "api: open: %v", err)
	}
	e.cluster, e.broken = c, ""
	e.startClock(store, raw)
	return contract.OpenReply{EarlierDisk: e.earlierDisk(), EndUS: int64(s.End / time.Microsecond), Steps: len(s.Steps)}, nil
}

// clearStore removes broker logs of an earlier run: a scenario replays from its seed.
func clearStore(s log.Store) error {
	names, err := s.List("")
	if err != nil {
		return err
	}
	for _, n := range names {
		if strings.HasPrefix(n, "broker-") {
			if err := s.Remove(n); err != nil {
				return err
			}
		}
	}
	return nil
}

type applyParams struct {
	Commands []jsonwire.RawMessage `json:"commands"`
}

// apply validates every command first; one bad command rejects them all.
func (e *Engine) apply(raw jsonwire.RawMessage) (any, *Error) {
	var p applyParams
	if err := params(raw, &p, "apply"); err != nil {
		return nil, err
	}
	if len(p.Commands) == 0 {
		return nil, errf(CodeInvalidParams, "api: apply: \"commands\" must list at least one command")
	}
	cmds := make([]scenario.Command, 0, len(p.Commands))
	for i, rc := range p.Commands {
		c, err := scenario.ParseCommand(rc)
		if err != nil {
			return nil, errf(CodeInvalidParams, "api: apply: command %d: %v", i+1, err)
		}
		cmds = append(cmds, c)
	}
	if err := e.cluster.Validate(cmds); err != nil {
		return nil, errf(CodeInvalidParams, "api: apply: %v", err)
	}
	e.cluster.Apply(cmds)
	e.tick()
	return contract.ApplyReply{Applied: len(cmds), TimeUS: int64(e.cluster.Now() / time.Microsecond)}, nil
}

type advanceParams struct {
	By    *scenario.Duration   `json:"by"`
	To    *jsonwire.RawMessage `json:"to"`
	Steps *int                 `json:"steps"`
}

// MaxAdvance bounds one advance call so a typo cannot hang a host.
const MaxAdvance = 24 * time.Hour

// advance runs events: by a duration, to a time (or "end"), or a number of
// event steps.
func (e *Engine) advance(raw jsonwire.RawMessage) (any, *Error) {
	var p advanceParams
	if err := params(raw, &p, "advance"); err != nil {
		return nil, err
	}
	set := 0
	for _, ok := range []bool{p.By != nil, p.To != nil, p.Steps != nil} {
		if ok {
			set++
		}
	}
	if set != 1 {
		return nil, errf(CodeInvalidParams, "api: advance: give exactly one of \"by\" (\"100ms\"), \"to\" (\"2s\" or \"end\") or \"steps\" (a count)")
	}
	c := e.cluster
	now := c.Now()
	var target time.Duration
	switch {
	case p.By != nil:
		if *p.By < 0 {
			return nil, errf(CodeInvalidParams, "api: advance: by must not be negative")
		}
		target = now + time.Duration(*p.By)
	case p.To != nil:
		var s string
		if err := jsonwire.Unmarshal(*p.To, &s); err != nil {
			return nil, errf(CodeInvalidParams, "api: advance: to must be a string such as \"2s\" or \"end\"")
		}
		if s == "end" {
			target = c.Scenario.End
		} else {
			d, err := time.ParseDuration(s)
			if err != nil {
				return nil, errf(CodeInvalidParams, "api: advance: bad time %q", s)
			}
			target = d
		}
		if target < now {
			return nil, errf(CodeInvalidParams, "api: advance: to %v is in the past (now %v); rewind by opening the scenario again", target, now)
		}
	case p.Steps != nil:
		if *p.Steps < 1 || *p.Steps > 1_000_000 {
			return nil, errf(CodeInvalidParams, "api: advance: steps must be between 1 and 1000000")
		}
		ran := 0
		for i := 0; i < *p.Steps && c.Sim.Step(); i++ {
			ran++
		}
		e.tick()
		return advanceResult(c, ran), nil
	}
	if target-now > MaxAdvance {
		return nil, errf(CodeInvalidParams, "api: advance: at most %v per call", MaxAdvance)
	}
	ran := e.runUntil(target)
	e.tick()
	return advanceResult(c, ran), nil
}

// runUntil runs the simulation to target, as Sim.RunUntil does, calling
// Options.Yield every yieldEvery instants; it returns the events run.
func (e *Engine) runUntil(target time.Duration) int {
	s := e.cluster.Sim
	if e.opts.Yield == nil {
		return s.RunUntil(target)
	}
	ran := 0
	for i := 1; ; i++ {
		at, ok := s.NextAt()
		if !ok || at > target {
			break
		}
		ran += s.RunUntil(at)
		if i%yieldEvery == 0 {
			e.opts.Yield()
		}
	}
	return ran + s.RunUntil(target)
}

func advanceResult(c *cluster.Cluster, ran int) contract.AdvanceReply {
	out := contract.AdvanceReply{Events: c.Trace.Count(), Ran: ran, TimeUS: int64(c.Now() / time.Microsecond)}
	if next, ok := c.Sim.NextAt(); ok {
		us := int64(next / time.Microsecond)
		out.NextEventUS = &us
	}
	return out
}

type snapshotParams = contract.SnapshotParams

func (e *Engine) snapshot(raw jsonwire.RawMessage) (any, *Error) {
	var p snapshotParams
	if err := params(raw, &p, "snapshot"); err != nil {
		return nil, err
	}
	if p.MaxRecords < 0 {
		return nil, errf(CodeInvalidParams, "api: snapshot: max_records must not be negative")
	}
	if p.RecordsFrom != nil && *p.RecordsFrom < 0 {
		return nil, errf(CodeInvalidParams, "api: snapshot: records_from must not be negative")
	}
	return e.cluster.Snapshot(cluster.SnapshotOptions{Records: p.Records, MaxRecords: p.MaxRecords, RecordsFrom: p.RecordsFrom, Topics: p.Topics,
		NoInternal: p.Internal != nil && !*p.Internal}), nil
}

func (e *Engine) traceHash(raw jsonwire.RawMessage) (any, *Error) {
	var p struct{}
	if err := params(raw, &p, "trace_hash"); err != nil {
		return nil, err
	}
	return contract.TraceHashReply{Events: e.cluster.Trace.Count(), TimeUS: int64(e.cluster.Now() / time.Microsecond), TraceHash: e.cluster.Trace.Hash()}, nil
}

type eventsParams = contract.EventsParams

// events returns events after a sequence number, optionally of some kinds.
func (e *Engine) events(raw jsonwire.RawMessage) (any, *Error) {
	var p eventsParams
	if err := params(raw, &p, "events"); err != nil {
		return nil, err
	}
	if p.After < 0 || p.Max < 0 {
		return nil, errf(CodeInvalidParams, "api: events: after and max must not be negative")
	}
	if p.Max == 0 || p.Max > 5000 {
		p.Max = 5000
	}
	want := map[string]bool{}
	for _, k := range p.Kinds {
		want[k] = true
	}
	tr := e.cluster.Trace
	if p.Newest && len(want) == 0 && tr.Count()-p.After > int64(p.Max) {
		p.After = tr.Count() - int64(p.Max) // behind: the newest Max
	}
	// The reply (a contract.EventsReply) is written here from the trace's
	// canonical lines (the bytes json.Marshal gives), with the keys in
	// json.Marshal's order, instead of by reflection over every event's data.
	out := append(e.eventsBuf[:0], `{"dropped":`...)
	out = strconv.AppendInt(out, tr.Dropped(), 10)
	out = append(out, `,"events":[`...)
	n := 0
	last := p.After
	truncated := tr.Scan(p.After, func(ev *trace.Event) bool {
		if n == p.Max {
			return false
		}
		last = ev.Seq
		if len(want) == 0 || want[ev.Kind] {
			if n > 0 {
				out = append(out, ',')
			}
			out = tr.AppendJSON(out, ev)
			n++
		}
		return true
	})
	// dropped: events the engine no longer keeps (the oldest, beyond its
	// bounded window); truncated: some of them came after "after".
	out = append(out, `],"last":`...)
	out = strconv.AppendInt(out, last, 10)
	out = append(out, `,"total":`...)
	out = strconv.AppendInt(out, tr.Count(), 10)
	out = append(out, `,"truncated":`...)
	out = strconv.AppendBool(out, truncated)
	out = append(out, '}')
	e.eventsBuf = out
	return encoded(out), nil
}

type configsParams = contract.ConfigsParams

// configs lists the settings of a scope with Kafka's names and defaults.
func (e *Engine) configs(raw jsonwire.RawMessage) (any, *Error) {
	var p configsParams
	if err := params(raw, &p, "configs"); err != nil {
		return nil, err
	}
	scope := config.Scope(p.Scope)
	switch scope {
	case config.Topic, config.Broker, config.Producer, config.Consumer:
	default:
		return nil, errf(CodeInvalidParams, "api: configs: scope must be topic, broker, producer or consumer")
	}
	var out []contract.ConfigDef
	for _, d := range config.Defs(scope) {
		out = append(out, contract.ConfigDef{Name: d.Name, Default: d.Default, Enum: d.Enum, Doc: d.Doc})
	}
	return contract.ConfigsReply{Configs: out, Scope: string(scope)}, nil
}
