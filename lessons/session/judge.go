package session

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
)

// MaxRecords caps the records per partition of the snapshot goals are
// checked on, on the page and in the lint alike. The solutions of the
// lessons whose goals read records write at most ~3,300 per partition; a
// smaller cap (it was 2,000 on the page) hid records a solution names.
const MaxRecords = 20_000

// MaxEvents bounds the events a run keeps for goals and the event log,
// the newest ones: a goal that reads events sees the same window on the
// page and in the lint.
const MaxEvents = 20_000

// Due is a goal to check now and the step it belongs to.
type Due struct {
	Goal *lessons.Goal
	Step int
}

// DueGoals lists the goals of steps 0..step of l that are not met yet
// (met reports a goal id met): a learner on a step is judged on it and on
// the steps before, never on a later one.
func DueGoals(l *lessons.Lesson, step int, met func(goal string) bool) []Due {
	var out []Due
	for i := 0; i <= step && i < len(l.Steps); i++ {
		for j := range l.Steps[i].Goals {
			if g := &l.Steps[i].Goals[j]; !met(g.ID) {
				out = append(out, Due{g, i})
			}
		}
	}
	return out
}

// ReadsRecords reports whether one of goals reads the partitions' records:
// then they are checked on a snapshot with up to MaxRecords per partition.
func ReadsRecords(goals []Due) bool {
	for _, d := range goals {
		if p := d.Goal.Predicate(); p != nil && p.Records {
			return true
		}
	}
	return false
}

// ReadsEvents reports whether a goal of l reads trace events: then every
// event is fetched, not only the newest.
func ReadsEvents(l *lessons.Lesson) bool {
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			if p := g.Predicate(); p != nil && p.Events {
				return true
			}
		}
	}
	return false
}

// MissingRecords reports whether a snapshot holds fewer records than some
// partition's leader has.
func MissingRecords(s view.Snapshot) bool {
	for _, p := range s.Partitions {
		if p.HWM < 0 {
			continue
		}
		for _, r := range p.Replicas {
			if r.State == "leader" && r.LEO-r.LogStartOffset > int64(len(p.Records)) {
				return true
			}
		}
	}
	return false
}

// Eval runs a goal's check; a panicking check counts as not met, its
// detail saying why.
func Eval(g *lessons.Goal, s view.Snapshot, evs []view.Event, lr lessons.Learner) (ok bool, detail string) {
	defer func() {
		if r := recover(); r != nil {
			ok, detail = false, fmt.Sprintf("goal %s: check failed: %v", g.ID, r)
		}
	}()
	return g.EvalFor(s, evs, lr)
}

// Opened are the records a learner opened and the step each was last
// opened on, for goals that ask to look at one.
type Opened struct {
	Refs []lessons.RecordRef
	on   map[lessons.RecordRef]int
}

// Note records that the learner opened ref (once) on step.
func (o *Opened) Note(ref lessons.RecordRef, step int) {
	if o.on == nil {
		o.on = map[lessons.RecordRef]int{}
	}
	o.on[ref] = step
	for _, r := range o.Refs {
		if r == ref {
			return
		}
	}
	o.Refs = append(o.Refs, ref)
}

// Learner is what a goal of step sees: the records opened on that step or
// later. A goal that asks to open a record is met only by an opening in its
// own step (lesson 1's last step must not tick on arrival because a record
// at offset 0 was opened in its first). Records without a step (restored
// by an undo) count for every step.
func (o *Opened) Learner(step int) lessons.Learner {
	var lr lessons.Learner
	for _, r := range o.Refs {
		if on, ok := o.on[r]; !ok || on >= step {
			lr.Opened = append(lr.Opened, r)
		}
	}
	return lr
}
