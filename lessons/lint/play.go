package lint

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
)

// Caller answers engine requests: engine.wasm under wazero (wasm/host's
// Instance) or the engine compiled in (wasm/host's Native).
type Caller interface {
	Call(req []byte) ([]byte, error)
}

// PlayOptions tune Play.
type PlayOptions struct {
	// Solution applies the lesson's solution; without it only the
	// scenario runs (to show that no goal holds on its own).
	Solution bool
	// Tick is how often goals are checked (default 100ms).
	Tick time.Duration
	// Horizon is how long past the solution's last command to wait for
	// the goals (default 60s). The same span is run without the solution.
	Horizon time.Duration
}

// Outcome is what a play reached.
type Outcome struct {
	// Reached maps each goal id to the virtual time (µs) it first held;
	// goals that never held are absent.
	Reached map[string]int64
	// Details is each goal's last detail.
	Details map[string]string
	// EndUS is the virtual time the play stopped at.
	EndUS int64
	// TraceHash is the engine's trace hash at the end.
	TraceHash string
}

// MaxRecords is the per-partition record cap Play asks snapshots for.
const MaxRecords = 1_000_000

// Play opens the lesson's scenario on c, applies its solution at the
// commands' times (when asked), and checks every goal each Tick until all
// have held or the horizon passes. A goal counts as reached once it held.
func Play(c Caller, l *lessons.Lesson, o PlayOptions) (*Outcome, error) {
	if o.Tick <= 0 {
		o.Tick = 100 * time.Millisecond
	}
	if o.Horizon <= 0 {
		o.Horizon = time.Minute
	}
	type group struct {
		at   time.Duration
		cmds []json.RawMessage
	}
	var groups []group
	var last time.Duration
	for i, raw := range l.Solution {
		var cmd struct {
			At string `json:"at"`
		}
		if err := json.Unmarshal(raw, &cmd); err != nil {
			return nil, fmt.Errorf("lint: %s: solution[%d]: %v", l.ID, i, err)
		}
		at, err := time.ParseDuration(cmd.At)
		if err != nil {
			return nil, fmt.Errorf("lint: %s: solution[%d]: at: %v", l.ID, i, err)
		}
		last = max(last, at)
		if n := len(groups); n > 0 && groups[n-1].at == at {
			groups[n-1].cmds = append(groups[n-1].cmds, raw)
		} else {
			groups = append(groups, group{at, []json.RawMessage{raw}})
		}
	}
	if !o.Solution {
		groups = nil
	}
	end := last + o.Horizon
	e := &engine{c: c, lesson: l.ID}
	if err := e.call("open", l.Scenario, nil); err != nil {
		return nil, err
	}
	out := &Outcome{Reached: map[string]int64{}, Details: map[string]string{}}
	var now time.Duration
	var events []view.Event
	var seq int64
	for {
		var err error
		if events, seq, err = e.events(events, seq); err != nil {
			return nil, err
		}
		snap, err := e.snapshot(l.NeedsRecords())
		if err != nil {
			return nil, err
		}
		all := true
		for _, st := range l.Steps {
			for i := range st.Goals {
				g := &st.Goals[i]
				ok, detail := g.Eval(snap, events)
				out.Details[g.ID] = detail
				if _, done := out.Reached[g.ID]; ok && !done {
					out.Reached[g.ID] = snap.TimeUS
				}
				_, done := out.Reached[g.ID]
				all = all && done
			}
		}
		if (all && len(groups) == 0) || now >= end {
			break
		}
		next := min(now+o.Tick, end)
		if len(groups) > 0 && groups[0].at <= next {
			next = groups[0].at
		}
		if err := e.call("advance", map[string]string{"to": next.String()}, nil); err != nil {
			return nil, err
		}
		now = next
		for len(groups) > 0 && groups[0].at <= now {
			if err := e.call("apply", map[string]any{"commands": groups[0].cmds}, nil); err != nil {
				return nil, err
			}
			groups = groups[1:]
		}
	}
	var h struct {
		TraceHash string `json:"trace_hash"`
	}
	if err := e.call("trace_hash", nil, &h); err != nil {
		return nil, err
	}
	out.EndUS, out.TraceHash = int64(now/time.Microsecond), h.TraceHash
	return out, nil
}

// Missing lists the goal ids of l that o did not reach, in lesson order.
func (o *Outcome) Missing(l *lessons.Lesson) []string {
	var out []string
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			if _, ok := o.Reached[g.ID]; !ok {
				out = append(out, g.ID)
			}
		}
	}
	return out
}

// engine sends requests and unwraps replies.
type engine struct {
	c      Caller
	lesson string
}

func (e *engine) call(method string, params any, result any) error {
	req, err := json.Marshal(map[string]any{"method": method, "params": params})
	if err != nil {
		return fmt.Errorf("lint: %s: %s: %v", e.lesson, method, err)
	}
	reply, err := e.c.Call(req)
	if err != nil {
		return fmt.Errorf("lint: %s: %s: %v", e.lesson, method, err)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(reply, &env); err != nil {
		return fmt.Errorf("lint: %s: %s: reply %.200q: %v", e.lesson, method, reply, err)
	}
	if env.Error != nil {
		return fmt.Errorf("lint: %s: %s: %s: %s", e.lesson, method, env.Error.Code, env.Error.Message)
	}
	if result != nil {
		if err := json.Unmarshal(env.Result, result); err != nil {
			return fmt.Errorf("lint: %s: %s: result: %v", e.lesson, method, err)
		}
	}
	return nil
}

func (e *engine) snapshot(records bool) (view.Snapshot, error) {
	var s view.Snapshot
	params := map[string]any{}
	if records {
		params = map[string]any{"records": true, "max_records": MaxRecords}
	}
	err := e.call("snapshot", params, &s)
	return s, err
}

// events appends the events after seq, failing if the engine already
// dropped some of them.
func (e *engine) events(evs []view.Event, seq int64) ([]view.Event, int64, error) {
	for {
		var r struct {
			Events    []view.Event `json:"events"`
			Last      int64        `json:"last"`
			Truncated bool         `json:"truncated"`
			Total     int64        `json:"total"`
		}
		if err := e.call("events", map[string]any{"after": seq}, &r); err != nil {
			return nil, 0, err
		}
		if r.Truncated {
			return nil, 0, fmt.Errorf("lint: %s: the engine dropped events after %d before they were read; use a smaller Tick", e.lesson, seq)
		}
		evs = append(evs, r.Events...)
		seq = r.Last
		if seq >= r.Total {
			return evs, seq, nil
		}
	}
}
