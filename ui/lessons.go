package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// Lessons are the lessons built into ui.wasm and the learner's progress.
type Lessons struct {
	List    []*lessons.Lesson // lessons in order, without the sandbox
	Sandbox *lessons.Lesson   // nil if the lessons have none
	Err     string            // a loading problem, shown on the list
	Done    map[string]bool   // "<lesson>.<goal>" → met, from localStorage
}

// all is every lesson, the sandbox last.
func (ls *Lessons) all() []*lessons.Lesson {
	if ls.Sandbox == nil {
		return ls.List
	}
	return append(ls.List[:len(ls.List):len(ls.List)], ls.Sandbox)
}

// progressKey is the localStorage entry of one goal.
func progressKey(lesson, goal string) string { return "brokerlab.goal." + lesson + "." + goal }

// stepKey is the localStorage entry of the step a learner is on.
func stepKey(lesson string) string { return "brokerlab.step." + lesson }

func loadLessons(p Platform) *Lessons {
	ls := &Lessons{Done: map[string]bool{}}
	all, err := lessons.Load()
	if err != nil {
		ls.Err = err.Error()
	}
	for _, l := range all {
		if l.Sandbox {
			ls.Sandbox = l
			continue
		}
		ls.List = append(ls.List, l)
		for _, st := range l.Steps {
			for _, g := range st.Goals {
				if v, ok := p.Load(progressKey(l.ID, g.ID)); ok && v == "1" {
					ls.Done[l.ID+"."+g.ID] = true
				}
			}
		}
	}
	return ls
}

// Progress counts a lesson's goals met and in total.
func (ls *Lessons) Progress(l *lessons.Lesson) (done, total int) {
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			total++
			if ls.Done[l.ID+"."+g.ID] {
				done++
			}
		}
	}
	return done, total
}

// LessonRun is the open lesson: its step and what the learner saw. Restart
// lesson replaces it with a fresh one, so goal results computed for the
// run before (goalTick.run) are dropped.
type LessonRun struct {
	L      *lessons.Lesson
	Step   int
	Hints  int               // hints shown in this step
	Detail map[string]string // goal id → what the check saw last
	Solved bool              // the solution was applied
	// Notice says what the last lesson action (Show solution, Restart
	// lesson) did, shown under its buttons; NoticeErr marks a failure.
	Notice    string
	NoticeErr bool
	// Opened are the records the learner opened since the lesson (or its
	// run) started and the step of each, for goals that ask to look at one.
	Opened session.Opened
	// Pending are the solution's learner ops (open_record) not due yet:
	// each opens its record when the run's time reaches it.
	Pending []learnerOp
	// Shared: the run came from a shared link; goals met in it are shown
	// but not stored in the learner's progress.
	Shared bool
	// since is the first run generation (Session.Gen) whose goal results
	// count for this lesson run; -1 while its run is being opened.
	since int
}

// StepDef is the current step.
func (r *LessonRun) StepDef() *lessons.Step { return &r.L.Steps[r.Step] }

// Allows reports whether the current step enables a control. Outside a
// lesson every control is enabled.
func (a *App) Allows(control string) bool {
	if a.Lesson == nil {
		return true
	}
	for _, c := range a.Lesson.StepDef().Controls {
		if c == control {
			return true
		}
	}
	return false
}

// openLesson opens lesson id's scenario (driver goroutine).
func (a *App) openLesson(id string) error {
	var l *lessons.Lesson
	for _, x := range a.Lessons.List {
		if x.ID == id {
			l = x
		}
	}
	if l == nil {
		a.run.Scenario = nil
		return fmt.Errorf("%s (%s)", T("lesson.notfound"), id)
	}
	a.run.EventBudget = lightEventBudget
	if session.ReadsEvents(l) {
		a.run.EventBudget = fullEventBudget
	}
	if err := a.run.Open(l.Scenario); err != nil {
		return err
	}
	restored, err := a.resumeLesson(l)
	if err != nil {
		return err
	}
	if !restored {
		if err := a.run.Refresh(false, true); err != nil {
			return err
		}
	}
	step := 0
	if v, ok := a.P.Load(stepKey(l.ID)); ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < len(l.Steps) {
			step = n
		}
	}
	a.update(func() {
		a.Lesson = &LessonRun{L: l, Step: step, Detail: map[string]string{}, since: a.run.Gen}
		a.Playing = true
		a.Speed = 1
	})
	return nil
}

// lessonRunKey is the localStorage entry of a lesson's run: its journal
// and time, so a reload resumes the lesson where the learner was.
func lessonRunKey(id string) string { return "brokerlab.run." + id }

// resumeLesson replays the learner's saved run of lesson l, if there is one
// for this very scenario (a changed lesson starts afresh), and from now on
// saves the run (driver goroutine).
func (a *App) resumeLesson(l *lessons.Lesson) (bool, error) {
	a.runKey = lessonRunKey(l.ID)
	sv, ok := a.loadRun(a.runKey, func(sv savedRun) bool { return sameJSON(sv.Scenario, l.Scenario) && len(sv.Journal) > 0 })
	if !ok {
		return false, nil
	}
	err := a.replayRun(sv, sv.TimeUS, func() (string, error) { return T("status.resumed"), nil })
	return err == nil, err
}

// sameJSON reports whether two JSON texts are equal once compacted.
func sameJSON(a, b []byte) bool {
	var x, y bytes.Buffer
	return json.Compact(&x, a) == nil && json.Compact(&y, b) == nil && bytes.Equal(x.Bytes(), y.Bytes())
}

// goalTick is one goal's result from the driver, for the lesson run it
// was computed for, on run generation gen.
type goalTick struct {
	run        *LessonRun
	gen        int
	id, detail string
	ok         bool
}

// checkGoals judges the open lesson's goals up to the current step that
// are not met yet, as the lint does (lessons/session), on the frame's
// snapshot (driver goroutine).
func (a *App) checkGoals() []goalTick {
	a.env.RLock()
	lr := a.Lesson
	var due []session.Due
	var learners []lessons.Learner // for each of due: the records opened since its step
	if lr != nil {
		due = session.DueGoals(lr.L, lr.Step, func(goal string) bool { return a.Lessons.Done[lr.L.ID+"."+goal] })
		for _, d := range due {
			learners = append(learners, lr.Opened.Learner(d.Step))
		}
	}
	a.env.RUnlock()
	if len(due) == 0 || a.run.Scenario == nil {
		return nil
	}
	snap := a.goalSnapshot(due)
	for _, d := range due {
		if p := d.Goal.Predicate(); p != nil && p.Events {
			a.run.DecodeEvents()
			break
		}
	}
	out := make([]goalTick, 0, len(due))
	for i, d := range due {
		ok, detail := session.Eval(d.Goal, snap, a.run.Events, learners[i])
		out = append(out, goalTick{lr, a.run.Gen, d.Goal.ID, detail, ok})
	}
	return out
}

// goalSnapshot is the snapshot goals are checked on: the frame's, unless a
// goal reads records and the frame's snapshot lacks some. Then a snapshot
// with up to session.MaxRecords records per partition is taken, at most
// once a second of wall time or right after the learner acted (simplified
// against the lint, which takes it every tick: a record snapshot costs the
// page a frame).
func (a *App) goalSnapshot(due []session.Due) view.Snapshot {
	snap := a.run.Snap
	if !session.ReadsRecords(due) || !session.MissingRecords(snap) {
		return snap
	}
	now := a.P.Now()
	if a.goalSnapDue || now-a.goalSnapAt >= 1000 || a.goalSnap.TimeUS > snap.TimeUS {
		var full view.Snapshot
		if err := a.eng.call("snapshot", contract.SnapshotParams{Records: true, MaxRecords: session.MaxRecords}, &full); err == nil {
			a.goalSnap, a.goalSnapAt, a.goalSnapDue = full, now, false
		}
	}
	return a.goalSnap
}

// applyTicks records goal results (under the write lock) and stores goals
// newly met. Results computed for another lesson run, or on the run
// before a Restart lesson reopened it, are dropped: a goal counts only
// what the learner did since the lesson (re)started.
func (a *App) applyTicks(ticks []goalTick) {
	lr := a.Lesson
	if lr == nil {
		return
	}
	for _, t := range ticks {
		if t.run != lr || lr.since < 0 || t.gen < lr.since {
			continue
		}
		lr.Detail[t.id] = t.detail
		if t.ok && !lr.Shared {
			if !a.Lessons.Done[lr.L.ID+"."+t.id] {
				a.ann.goal(plainText(Rich(lr.L, "goals."+t.id)))
			}
			a.Lessons.Done[lr.L.ID+"."+t.id] = true
			a.P.Store(progressKey(lr.L.ID, t.id), "1")
		}
	}
}

// GoalDone reports whether a goal of the open lesson is met.
func (a *App) GoalDone(goal string) bool {
	return a.Lesson != nil && a.Lessons.Done[a.Lesson.L.ID+"."+goal]
}

// StepDone reports whether every goal of the current step is met.
func (a *App) StepDone() bool {
	if a.Lesson == nil {
		return false
	}
	for _, g := range a.Lesson.StepDef().Goals {
		if !a.GoalDone(g.ID) {
			return false
		}
	}
	return true
}

// LessonDone reports whether every goal of the open lesson is met.
func (a *App) LessonDone() bool {
	if a.Lesson == nil {
		return false
	}
	d, t := a.Lessons.Progress(a.Lesson.L)
	return d == t
}

// GoToStep moves to step i of the open lesson (DOM handler).
func (a *App) GoToStep(i int) {
	lr := a.Lesson
	if lr == nil || i < 0 || i >= len(lr.L.Steps) {
		return
	}
	lr.Step, lr.Hints = i, 0
	lr.Notice, lr.NoticeErr = "", false
	a.P.Store(stepKey(lr.L.ID), strconv.Itoa(i))
	a.Do(func() error { return nil }) // check the new step's goals now
}

// MoreHint shows one more hint of the current step.
func (a *App) MoreHint() {
	if lr := a.Lesson; lr != nil && lr.Hints < len(lr.StepDef().Hints) {
		lr.Hints++
	}
}
