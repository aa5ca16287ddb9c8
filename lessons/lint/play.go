package lint

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/session"
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
	// Jitter, when not zero, seeds a late learner: each command comes
	// 0–MaxJitter after its "at" (the order kept), and the learner opens
	// whichever record a goal asks for instead of the solution's
	// open_record (a late click can put other records at those offsets).
	Jitter int64
}

// MaxJitter is the longest delay Jitter adds to a command.
const MaxJitter = 1500 * time.Millisecond

// Outcome is what a play reached.
type Outcome struct {
	// Reached maps each goal id to the virtual time (µs) it first held;
	// goals that never held are absent.
	Reached map[string]int64
	// Details is each goal's last detail.
	Details map[string]string
	// Deadlines maps each step id to the virtual time (µs) its goals had
	// to hold by: the (played) time of the next step's first command, or
	// the end of the play for the last steps.
	Deadlines map[string]int64
	// Starts maps each step id with a solution to the virtual time (µs)
	// its first command was played at.
	Starts map[string]int64
	// EndUS is the virtual time the play stopped at.
	EndUS int64
	// TraceHash is the engine's trace hash at the end.
	TraceHash string
	// Journal is what was applied and when: replaying the scenario with
	// it (session.Run.Replay) must give the same run, as a rewind or a
	// reload does on the page.
	Journal []session.Entry
}

// played is one solution command at the time Play applies it.
type played struct {
	at      time.Duration
	step    int
	raw     json.RawMessage
	learner bool
	opens   lessons.RecordRef
}

// schedule lists the solution's commands at the times Play applies them.
func schedule(l *lessons.Lesson, jitter int64) ([]played, error) {
	var rnd *rand.Rand
	if jitter != 0 {
		rnd = rand.New(rand.NewPCG(uint64(jitter), 0x6c657373))
	}
	var out []played
	var last time.Duration
	for _, c := range l.Commands() {
		// The page and the engine API count time in microseconds: a
		// command at a finer time runs at the next whole microsecond.
		p := played{at: (c.At + time.Microsecond - 1).Truncate(time.Microsecond), step: c.Step, raw: c.Raw, learner: lessons.IsLearnerOp(c.Op)}
		if p.learner {
			ref, err := lessons.OpenedBy(c.Raw)
			if err != nil {
				return nil, fmt.Errorf("lint: %s: %s: %v", l.ID, c.Path(), err)
			}
			p.opens = ref
		}
		if rnd != nil {
			p.at = max(p.at+time.Duration(rnd.Int64N(int64(MaxJitter)+1)), last)
			p.at = p.at.Truncate(time.Microsecond)
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(c.Raw, &obj); err != nil {
				return nil, fmt.Errorf("lint: %s: %s: %v", l.ID, c.Path(), err)
			}
			obj["at"], _ = json.Marshal(p.at.String())
			p.raw, _ = json.Marshal(obj)
		}
		last = p.at
		out = append(out, p)
	}
	return out, nil
}

// Play opens the lesson's scenario on c, applies its solution at the
// commands' times (when asked), and judges the goals each Tick, through
// lessons/session as the page does, until all have held or the horizon
// passes. A goal counts as reached once it held.
//
// The learner it plays is on one step at a time and is judged on the goals
// of that step and the ones before (session.DueGoals), as on the page: it
// moves on to a step when that step's first command is due, or as soon as
// every goal so far held (a learner who clicks Next at once). Goals are
// checked before the commands due at the same time are applied, so a step's
// goals reached by its next step's first command count as in time, and a
// goal that already holds when its step begins shows as Early. The learner
// ops of the solution (open_record) are played as the page plays them: they
// open records on the learner's step.
func Play(c Caller, l *lessons.Lesson, o PlayOptions) (*Outcome, error) {
	if o.Tick <= 0 {
		o.Tick = 100 * time.Millisecond
	}
	if o.Horizon <= 0 {
		o.Horizon = time.Minute
	}
	cmds, err := schedule(l, o.Jitter)
	if err != nil {
		return nil, err
	}
	var last time.Duration
	if n := len(cmds); n > 0 {
		last = cmds[n-1].at
	}
	if !o.Solution {
		cmds = nil
	}
	end := last + o.Horizon
	out := &Outcome{Reached: map[string]int64{}, Details: map[string]string{}, Deadlines: map[string]int64{}, Starts: map[string]int64{}}
	for _, c := range cmds {
		if id := l.Steps[c.step].ID; out.Starts[id] == 0 {
			out.Starts[id] = int64(c.at / time.Microsecond)
		}
	}
	for i, st := range l.Steps {
		out.Deadlines[st.ID] = int64(end / time.Microsecond)
		for _, c := range cmds {
			if c.step > i {
				out.Deadlines[st.ID] = int64(c.at / time.Microsecond)
				break
			}
		}
	}
	e := &engine{c: c, lesson: l.ID}
	run := &session.Run{C: e}
	if err := run.Open(l.Scenario); err != nil {
		return nil, err
	}
	met := func(goal string) bool { _, ok := out.Reached[goal]; return ok }
	var opened session.Opened
	step := 0
	if !o.Solution {
		// A learner who clicks through every step without doing anything:
		// a goal of any step that holds then is broken.
		step = len(l.Steps) - 1
	}
	var events []view.Event
	var seq int64
	for {
		now := time.Duration(run.NowUS) * time.Microsecond
		if events, seq, err = e.events(events, seq); err != nil {
			return nil, err
		}
		for _, c := range cmds {
			if c.at > now {
				break
			}
			step = max(step, c.step)
		}
		for step+1 < len(l.Steps) && len(session.DueGoals(l, step, met)) == 0 {
			step++
		}
		due := session.DueGoals(l, step, met)
		snap, err := e.snapshot(session.ReadsRecords(due) || (o.Jitter != 0 && l.NeedsRecords()))
		if err != nil {
			return nil, err
		}
		var all lessons.Learner
		if o.Jitter != 0 {
			all = openedAll(snap)
		}
		for _, d := range due {
			lr := all
			if o.Jitter == 0 {
				lr = opened.Learner(d.Step)
			}
			ok, detail := session.Eval(d.Goal, snap, events, lr)
			out.Details[d.Goal.ID] = detail
			if ok {
				out.Reached[d.Goal.ID] = snap.TimeUS
			}
		}
		// Apply what is due now, after the goals were checked.
		var batch []json.RawMessage
		for len(cmds) > 0 && cmds[0].at <= now {
			if cmds[0].learner {
				if o.Jitter == 0 {
					opened.Note(cmds[0].opens, step)
				}
			} else {
				batch = append(batch, cmds[0].raw)
			}
			cmds = cmds[1:]
		}
		if err := run.Apply(batch...); err != nil {
			return nil, err
		}
		if (len(session.DueGoals(l, len(l.Steps)-1, met)) == 0 && len(cmds) == 0) || now >= end {
			break
		}
		next := min(now+o.Tick, end)
		if len(cmds) > 0 && cmds[0].at <= next {
			next = cmds[0].at
		}
		if err := run.AdvanceTo(int64(next / time.Microsecond)); err != nil {
			return nil, err
		}
	}
	var h contract.TraceHashReply
	if err := e.Call("trace_hash", nil, &h); err != nil {
		return nil, err
	}
	out.EndUS, out.TraceHash, out.Journal = run.NowUS, h.TraceHash, run.Journal
	return out, nil
}

// openedAll is a learner who opened every record the snapshot shows.
func openedAll(s view.Snapshot) lessons.Learner {
	var lr lessons.Learner
	for _, ps := range s.Partitions {
		for _, r := range ps.Records {
			lr.Opened = append(lr.Opened, lessons.RecordRef{Topic: ps.Topic, Partition: ps.Partition, Offset: r.Offset})
		}
	}
	return lr
}

// Late lists, in lesson order, each goal that was not reached by its
// step's deadline (the next step's first command; for the last steps, the
// end of the play), naming the lesson, the step and the goal.
func (o *Outcome) Late(l *lessons.Lesson) []string {
	var out []string
	for i, st := range l.Steps {
		dl := o.Deadlines[st.ID]
		by := "the end of the play"
		for _, next := range l.Steps[i+1:] {
			if len(next.Solution) > 0 {
				by = fmt.Sprintf("step %q's first command", next.ID)
				break
			}
		}
		for _, g := range st.Goals {
			at, ok := o.Reached[g.ID]
			switch {
			case !ok:
				detail := o.Details[g.ID]
				if detail == "" {
					detail = "the learner never reached its step"
				}
				out = append(out, fmt.Sprintf("%s step %q: goal %q never held (by %v): %s", l.ID, st.ID, g.ID, us(o.EndUS), detail))
			case at > dl:
				out = append(out, fmt.Sprintf("%s step %q: goal %q held only at %v, after %s at %v", l.ID, st.ID, g.ID, us(at), by, us(dl)))
			}
		}
	}
	return out
}

// Early lists each goal that held before its step's first command was
// played: a goal that ticks before the learner did what its step asks.
// Steps without a solution (keep playing and watch) are not checked.
func (o *Outcome) Early(l *lessons.Lesson) []string {
	var out []string
	for _, st := range l.Steps {
		start, ok := o.Starts[st.ID]
		if !ok {
			continue
		}
		for _, g := range st.Goals {
			if at, ok := o.Reached[g.ID]; ok && at <= start {
				out = append(out, fmt.Sprintf("%s step %q: goal %q held at %v, before the step's first command at %v: %s", l.ID, st.ID, g.ID, us(at), us(start), o.Details[g.ID]))
			}
		}
	}
	return out
}

func us(t int64) time.Duration { return time.Duration(t) * time.Microsecond }

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

// Call makes engine a session.Caller.
func (e *engine) Call(method string, params any, result any) error {
	req, err := json.Marshal(contract.Request{Method: method, Params: params})
	if err != nil {
		return fmt.Errorf("lint: %s: %s: %v", e.lesson, method, err)
	}
	reply, err := e.c.Call(req)
	if err != nil {
		return fmt.Errorf("lint: %s: %s: %v", e.lesson, method, err)
	}
	if err := contract.Decode(reply, result); err != nil {
		return fmt.Errorf("lint: %s: %s: %v", e.lesson, method, err)
	}
	return nil
}

// snapshot takes the state goals are checked on. Internal topics
// (__consumer_offsets) are left out: no predicate reads their partitions
// (group snapshots name the coordinator's partition themselves), and
// decoding 50 partitions each tick was most of a play's time.
func (e *engine) snapshot(records bool) (view.Snapshot, error) {
	var s view.Snapshot
	params := contract.SnapshotParams{Internal: new(bool)}
	if records {
		params.Records, params.MaxRecords = true, session.MaxRecords
	}
	err := e.Call("snapshot", params, &s)
	return s, err
}

// events appends the events after seq, failing if the engine already
// dropped some of them.
func (e *engine) events(evs []view.Event, seq int64) ([]view.Event, int64, error) {
	for {
		var r contract.EventsReply[view.Event]
		if err := e.Call("events", contract.EventsParams{After: seq}, &r); err != nil {
			return nil, 0, err
		}
		if r.Truncated {
			return nil, 0, fmt.Errorf("lint: %s: the engine dropped events after %d before they were read; use a smaller Tick", e.lesson, seq)
		}
		evs = append(evs, r.Events...)
		if over := len(evs) - session.MaxEvents; over > 0 {
			evs = append(evs[:0:0], evs[over:]...) // the page keeps the newest too
		}
		seq = r.Last
		if seq >= r.Total {
			return evs, seq, nil
		}
	}
}
