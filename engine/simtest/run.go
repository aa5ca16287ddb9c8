package simtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/check"
	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/view"
)

// StepEvery is how often a run checks the replica invariants while faults
// happen (ten times less often in the quiet period).
const StepEvery = 100 * time.Millisecond

// Outcome is one run's verdict.
type Outcome struct {
	Seed     uint64
	Mode     Mode
	Scenario []byte // what ran: replay it anywhere
	Result   check.Result
	// During holds violations seen by the checks run every StepEvery.
	During []check.Violation
	// Always holds the violations no mode allows: During, and the final
	// check.CheckReplicas and check.CheckLeaders (hwm-gt-leo, replicas that
	// disagree below their HWMs, two-leaders-one-epoch). Not
	// two-owners-one-epoch: where acknowledged writes may be lost, so may
	// the group coordinator's state in __consumer_offsets, and a group
	// that lost it starts its epochs again.
	Always []check.Violation
	// Downgraded explains Safe-mode power losses that were run as process
	// crashes because the broker was the last in-sync replica of a partition.
	Downgraded []string
	TraceHash  string
	Events     int64
	// ELRElections counts leader elections that picked an eligible leader
	// replica (election=elr, KIP-966).
	ELRElections int
	// Revocations counts partitions_revoked events of the plan's group:
	// partitions that moved from one live member to another.
	Revocations int
	// ShareReads counts the records share consumers' polls returned.
	ShareReads int
}

// Failed reports whether the run broke a guarantee its mode promises:
// any violation at all in Safe mode; in Unsafe mode only what even acks=1
// and unclean elections must not do (see Always).
func (o Outcome) Failed() bool { return len(o.Violations()) > 0 }

// Violations lists what makes the run fail (see Failed).
func (o Outcome) Violations() []check.Violation {
	if o.Mode == Safe {
		return append(append([]check.Violation(nil), o.During...), o.Result.Violations...)
	}
	return o.Always
}

// Lost reports whether acknowledged records were lost.
func (o Outcome) Lost() bool { return len(o.Result.Lost) > 0 }

// Run derives the plan of seed and runs it.
func Run(seed uint64, mode Mode) (Outcome, error) {
	p := NewPlan(seed, mode)
	var downgraded []string
	for {
		o, guard, err := run(p)
		if err != nil {
			return o, err
		}
		if guard < 0 {
			o.Downgraded = downgraded
			return o, nil
		}
		s := &p.Steps[guard]
		downgraded = append(downgraded, fmt.Sprintf("power loss of broker %d at %v ran as a process crash: it was, or became before it was unfenced again, the only in-sync replica of a partition", s.Broker, s.At))
		s.Mode = "process"
	}
}

// run runs a plan; guard ≥ 0 names a Safe-mode power-loss step that hit the
// last in-sync replica of a partition (the run stopped there).
func run(p *Plan) (o Outcome, guard int, err error) {
	o = Outcome{Seed: p.Seed, Mode: p.Mode, Scenario: p.Scenario()}
	s, err := scenario.Parse(o.Scenario)
	if err != nil {
		return o, -1, fmt.Errorf("simtest: seed %d: %v", p.Seed, err)
	}
	c, err := cluster.New(s, nil)
	if err != nil {
		return o, -1, fmt.Errorf("simtest: seed %d: %v", p.Seed, err)
	}
	c.KeepRecords = true // the checker reads what the consumers read
	rec := &check.Recorder{}
	guard = -1
	g := &powerGuard{plan: p, c: c, lost: map[int32]int{}}
	c.Trace.SetSink(func(line []byte) {
		rec.Observe(line)
		if bytes.Contains(line, elrNeedle) {
			o.ELRElections++
		}
		if bytes.Contains(line, revokedNeedle) {
			o.Revocations++
		}
		if guard < 0 && p.Mode == Safe && !p.Fsync {
			guard = g.observe(line)
		}
	})
	for t := StepEvery; guard < 0; {
		c.Sim.RunUntil(min(t, s.End))
		o.During = append(o.During, check.CheckReplicas(check.Partitions(c, false))...)
		if t >= s.End {
			break
		}
		if t < p.Horizon+5*time.Second {
			t += StepEvery
		} else {
			t += 10 * StepEvery // the quiet period changes little
		}
	}
	if guard >= 0 {
		return o, guard, nil
	}
	h := rec.History(c)
	o.Result = check.Check(h)
	o.Always = append(append(append([]check.Violation(nil), o.During...), check.CheckReplicas(h.Partitions)...), check.CheckLeaders(h.Events)...)
	o.TraceHash, o.Events = c.Trace.Hash(), c.Trace.Count()
	o.ShareReads = len(h.ShareReads)
	return o, -1, nil
}

// powerGuard enforces the precondition of Kafka's guarantee for Safe runs
// without fsync: a broker that lost power has lost its unflushed log, so
// from its power loss until it is unfenced again (its new registration is
// committed and replayed) it must never be the only in-sync replica of a
// partition — neither when the power goes (it was the last one) nor later
// (the others were fenced or dropped from the ISR, or a new active
// controller still has it in an ISR because its registration after the
// restart was never committed). Kafka without KIP-966's unclean-shutdown
// handling then elects it and loses acknowledged records: a lesson, not an
// engine bug.
type powerGuard struct {
	plan *Plan
	c    *cluster.Cluster
	lost map[int32]int // broker → its power-loss step, until it is unfenced again
}

var (
	crashedNeedle  = []byte(`"kind":"broker_crashed"`)
	unfencedNeedle = []byte(`"kind":"broker_unfenced"`)
	isrNeedle      = []byte(`"isr":[`)
	elrNeedle      = []byte(`"election":"elr"`)
	revokedNeedle  = []byte(`"kind":"partitions_revoked"`)
)

// observe returns the power-loss step to run as a process crash, or -1.
func (g *powerGuard) observe(line []byte) int {
	switch {
	case bytes.Contains(line, crashedNeedle):
		var e view.Event
		if json.Unmarshal(line, &e) != nil || e.Data["mode"] != "power" {
			return -1
		}
		id, _ := e.Data["broker"].(float64)
		step := g.step(int32(id), e.At())
		g.lost[int32(id)] = step
		if g.onlyInSync(int32(id)) {
			return step
		}
	case bytes.Contains(line, unfencedNeedle) && len(g.lost) > 0:
		var e view.Event
		if json.Unmarshal(line, &e) == nil {
			id, _ := e.Data["broker"].(float64)
			delete(g.lost, int32(id))
		}
	case bytes.Contains(line, isrNeedle) && len(g.lost) > 0:
		var e view.Event
		if json.Unmarshal(line, &e) != nil {
			return -1
		}
		isr, _ := e.Data["isr"].([]any)
		if len(isr) == 1 {
			id, _ := isr[0].(float64)
			if step, ok := g.lost[int32(id)]; ok {
				return step
			}
		}
	}
	return -1
}

func (g *powerGuard) step(id int32, at time.Duration) int {
	for i, st := range g.plan.Steps {
		if st.Op == "broker_crash" && st.Mode == "power" && st.Broker == int(id) && st.At == at {
			return i
		}
	}
	panic(fmt.Sprintf("simtest: power loss of broker %d at %v is not in the plan", id, at))
}

// onlyInSync reports whether the active controller counts broker id as the
// only in-sync replica of some partition (true when no controller is active).
func (g *powerGuard) onlyInSync(id int32) bool {
	ctl := g.c.ActiveController()
	if ctl == nil {
		return true
	}
	img := ctl.Image()
	for _, tn := range img.TopicNames() {
		for _, part := range img.Topics[tn].Partitions {
			if len(part.ISR) == 1 && part.ISR[0] == id {
				return true
			}
		}
	}
	return false
}

// Report describes a run for a failure message: the verdict, the
// violations, how to replay it and the schedule.
func (o Outcome) Report(testName string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d (%s): %s\n", o.Seed, o.Mode, o.Result.Summary())
	vs := append(append([]check.Violation(nil), o.During...), o.Result.Violations...)
	if o.Mode == Unsafe && len(vs) > 0 {
		fmt.Fprintf(&b, "  (unsafe mode: only these fail the run: %v)\n", o.Always)
	}
	for i, v := range vs {
		if i == 20 {
			fmt.Fprintf(&b, "  … and %d more\n", len(vs)-20)
			break
		}
		fmt.Fprintf(&b, "  %s\n", v)
	}
	for _, d := range o.Downgraded {
		fmt.Fprintf(&b, "  note: %s\n", d)
	}
	fmt.Fprintf(&b, "reproduce with: BROKERLAB_SEED=%d go test ./engine/simtest -run %s -v\n", o.Seed, testName)
	fmt.Fprintf(&b, "schedule:\n%s", o.Scenario)
	return b.String()
}
