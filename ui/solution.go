package ui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// Show solution, Restart lesson, Start the run over and their Undo.
//
// Show solution for step k rebuilds the run canonically: the scenario is
// opened again, the solution's parts of steps 0..k-1 are applied at their
// scripted times (journaled, so a reload or a rewind replays them), the
// run goes fast to where step k's part starts (like a rewind), step k's
// part waits as the run's redo (applied as time reaches each command) and
// the run plays. This works at any moment, whatever the learner
// did before: nothing is shifted to "now", nothing collides with the
// learner's own consumers. The run it replaced can be brought back (Undo).

// learnerOp is a solution op the page runs itself (lessons.IsLearnerOp):
// open_record opens Ref when the run's time reaches AtUS.
type learnerOp struct {
	AtUS int64
	Ref  lessons.RecordRef
}

// solCmd is a solution's engine command as the lesson gives it (the very
// JSON the lint applies) and its absolute time.
type solCmd struct {
	AtUS int64
	Raw  json.RawMessage
}

// solutionPlan is what Show solution does for one step.
type solutionPlan struct {
	Step    int      // 0-based
	Cmds    []solCmd // engine commands of steps 0..Step
	Learner []learnerOp
	StartUS int64 // where the step's part starts: the run is replayed to it
	Mine    []string
	// Whole: the lesson's steps carry no parts, so the whole solution is
	// played (from its first command).
	Whole bool
}

// planSolution builds the plan for step k of l from its steps' solution
// parts, or from the lesson's whole solution when no step has a part.
func planSolution(l *lessons.Lesson, k int) (solutionPlan, error) {
	p := solutionPlan{Step: k, StartUS: -1}
	split := false
	for _, st := range l.Steps {
		if len(st.Solution) > 0 {
			split = true
		}
	}
	add := func(raw []json.RawMessage, mine bool, where string) error {
		for i, r := range raw {
			var c Cmd
			if err := json.Unmarshal(r, &c); err != nil {
				return fmt.Errorf("ui: solution of %s, command %d: %v", where, i+1, err)
			}
			at, err := cmdAt(c)
			if err != nil {
				return fmt.Errorf("ui: solution of %s, command %d: %v", where, i+1, err)
			}
			op := c.Op
			if mine {
				if p.StartUS < 0 || at < p.StartUS {
					p.StartUS = at
				}
				p.Mine = append(p.Mine, cmdSummary(c, at))
			}
			if lessons.IsLearnerOp(op) {
				var ref lessons.RecordRef
				if err := json.Unmarshal(r, &ref); err != nil {
					return fmt.Errorf("ui: solution of %s, command %d: %v", where, i+1, err)
				}
				p.Learner = append(p.Learner, learnerOp{AtUS: at, Ref: ref})
				continue
			}
			p.Cmds = append(p.Cmds, solCmd{at, r})
		}
		return nil
	}
	if !split {
		if len(l.Solution) == 0 {
			return p, fmt.Errorf("%s", T("solution.none"))
		}
		p.Whole = true
		if err := add(l.Solution, true, "the lesson"); err != nil {
			return p, err
		}
		return p, nil
	}
	last := int64(0)
	for i := 0; i <= k && i < len(l.Steps); i++ {
		if err := add(l.Steps[i].Solution, i == k, fmt.Sprintf("step %d", i+1)); err != nil {
			return p, err
		}
		if i < k {
			for _, c := range p.Cmds {
				last = max(last, c.AtUS)
			}
			for _, o := range p.Learner {
				last = max(last, o.AtUS)
			}
		}
	}
	if p.StartUS < 0 { // this step's part is empty: watch from where the earlier ones end
		p.StartUS = last
	}
	return p, nil
}

// cmdAt reads a command's absolute "at" time.
func cmdAt(c Cmd) (int64, error) {
	if c.At == "" {
		return 0, fmt.Errorf("no \"at\" time")
	}
	d, err := time.ParseDuration(strings.ReplaceAll(c.At, "µs", "us"))
	if err != nil {
		return 0, fmt.Errorf("at %q: %v", c.At, err)
	}
	return d.Microseconds(), nil
}

// cmdSummary says a command in a few words: its op (Kafka's and the
// engine's names stay as they are in every language), what it acts on,
// and when.
func cmdSummary(c Cmd, at int64) string {
	parts := []string{c.Op}
	for _, v := range []string{c.Producer, c.Consumer, c.Topic} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if c.Broker != nil {
		parts = append(parts, strconv.Itoa(*c.Broker))
	}
	switch c.Op {
	case "add_partitions":
		if c.Partitions != nil {
			parts = append(parts, "→", strconv.Itoa(*c.Partitions))
		}
	case "open_record":
		if c.Partition != nil && c.Offset != nil {
			parts = []string{c.Op, fmt.Sprintf("%s-%d@%d", c.Topic, *c.Partition, *c.Offset)}
		}
	case "subscribe":
		parts = append(append(parts, "→"), c.Topics...)
	}
	return strings.Join(parts, " ") + " " + Tf("solution.at", fmtSec(at))
}

// fmtSec formats a time as seconds with one decimal ("62.0 s").
//
//go:noinline
func fmtSec(us int64) string { return fmt.Sprintf("%.1f s", float64(us)/1e6) }

// describe tells the learner what Show solution did.
func (p solutionPlan) describe() string {
	mine := strings.Join(p.Mine, ", ")
	switch {
	case p.Whole:
		return Tf("solution.whole", fmtSec(p.StartUS), mine)
	case len(p.Mine) == 0:
		return Tf("solution.watch", fmtSec(p.StartUS), p.Step+1)
	case p.Step == 0:
		return Tf("solution.first", fmtSec(p.StartUS), mine)
	}
	return Tf("solution.replayed", fmtSec(p.StartUS), p.Step+1, mine)
}

// rebuild opens the scenario again, applies the earlier steps' commands
// each at its scripted time (journaled, as if the learner had given them
// then) and runs fast to just before the step's part starts, so the
// learner sees its first command happen. The step's own commands are the
// run's redo: re-applied when time reaches them, shown ahead on the
// slider (driver goroutine). Commands are applied at their times, not
// scheduled from time 0, because the engine checks a command against the
// cluster when it is applied (a consumer needs its topic to exist); each
// keeps its "at" (equal to the time it is applied at), so the run is the
// very one the lessons' lint plays (lessons/lint.Play), and a solution's
// open_record names a record of this run.
func (a *App) rebuild(p solutionPlan, scenario json.RawMessage) error {
	if err := a.run.Open(scenario); err != nil {
		return err
	}
	var now, later []Entry
	cmds := append([]solCmd(nil), p.Cmds...)
	sort.SliceStable(cmds, func(i, j int) bool { return cmds[i].AtUS < cmds[j].AtUS })
	for _, c := range cmds {
		at := c.AtUS
		list := &now
		if at >= p.StartUS {
			list = &later
		}
		if n := len(*list); n > 0 && (*list)[n-1].AtUS == at {
			(*list)[n-1].Commands = append((*list)[n-1].Commands, c.Raw)
		} else {
			*list = append(*list, Entry{AtUS: at, Commands: []json.RawMessage{c.Raw}})
		}
	}
	a.run.Redo = now
	if _, err := a.run.RedoUpTo(p.StartUS); err != nil {
		return err
	}
	if err := a.run.AdvanceTo(p.StartUS - 1); err != nil {
		return err
	}
	a.run.Redo, a.run.RedoEndUS = later, 0
	if len(later) > 0 {
		a.run.RedoEndUS = later[len(later)-1].AtUS
	}
	// Without skipping: where goals read events, the earlier steps' (eager's
	// acknowledgements in lesson 2) are part of what they compare.
	return a.run.Refresh(a.run.EventBudget < fullEventBudget, true)
}

// ShowSolution replays the run with the solution up to the current step's
// part and plays it (DOM handler); see the top of this file.
func (a *App) ShowSolution() {
	lr := a.Lesson
	if lr == nil {
		return
	}
	lr.NoticeErr = false
	plan, err := planSolution(lr.L, lr.Step)
	if err != nil {
		lr.Notice, lr.NoticeErr = err.Error(), true
		return
	}
	wasPlaying := a.Playing
	a.Playing = false
	a.Busy = T("status.replaying")
	lr.Notice = T("solution.working")
	a.Do(func() error {
		before := a.run.State()
		if err := a.rebuild(plan, lr.L.Scenario); err != nil {
			rerr := a.run.Restore(before)
			a.update(func() {
				a.Busy = ""
				lr.Notice, lr.NoticeErr = Tf("solution.failed", err.Error()), true
				a.Playing = wasPlaying && rerr == nil
			})
			return rerr
		}
		a.saveSandbox(true)
		a.publish(func() {
			a.Busy = ""
			a.undo = &UndoPoint{Where: "lesson", run: before, lesson: lr, step: lr.Step, opened: lr.Opened, pending: lr.Pending}
			lr.Solved = true
			lr.Notice = plan.describe()
			lr.Opened, lr.Pending = session.Opened{}, nil
			for _, o := range plan.Learner {
				if o.AtUS < plan.StartUS {
					lr.Opened.Refs = append(lr.Opened.Refs, o.Ref) // on no step: counts for every one
				} else {
					lr.Pending = append(lr.Pending, o)
				}
			}
			a.Playing = true
		})
		return nil
	})
}

// fireLearnerOps runs the solution's learner ops that are due (under the
// write lock, after a frame is swapped in): each opens its record. A record
// outside the strips' window moves the window to it; the panel opens when
// a frame shows it.
func (a *App) fireLearnerOps() {
	if a.Record == nil && a.Selected != "" && a.openWanted == a.Selected {
		if r, ok := a.F.Layout.Records[a.Selected]; ok {
			a.Record, a.openWanted = &r, ""
		}
	}
	lr := a.Lesson
	if lr == nil || len(lr.Pending) == 0 {
		return
	}
	for len(lr.Pending) > 0 && lr.Pending[0].AtUS <= a.F.NowUS {
		o := lr.Pending[0]
		lr.Pending = lr.Pending[1:]
		lr.Opened.Note(o.Ref, lr.Step)
		id := fmt.Sprintf("rec-%s-%d-%d", o.Ref.Topic, o.Ref.Partition, o.Ref.Offset)
		if r, ok := a.F.Layout.Records[id]; ok {
			a.Selected, a.Record = id, &r
			continue
		}
		a.Selected, a.Record, a.openWanted = id, nil, id
		a.Window = Window{Start: max(0, o.Ref.Offset-StripWindow/2), Internal: a.Window.Internal}
		a.refreshWindow()
	}
}

// UndoPoint is a run a destructive action replaced (Show solution, Restart
// lesson, Start the run over), kept so Undo can bring it back.
type UndoPoint struct {
	// Where the Undo button shows: "lesson" (under the lesson's buttons),
	// "run" (in the playback bar) or "sandbox" (on the sandbox's start
	// form, after New sandbox).
	Where   string
	run     RunState
	lesson  *LessonRun // the lesson run to put back (nil: keep the open one)
	step    int
	opened  session.Opened
	pending []learnerOp
	// done are the goals of the lesson met before (Restart lesson cleared
	// them), nil when the action kept them.
	done map[string]bool
}

// Undo brings back the run the last destructive action replaced, and
// plays it (DOM handler).
func (a *App) Undo() {
	u := a.undo
	if u == nil {
		return
	}
	a.undo = nil
	a.Playing = false
	a.Busy = T("status.replaying")
	a.Do(func() error {
		if u.Where == "sandbox" {
			a.runKey = sandboxKey
		}
		err := a.run.Restore(u.run)
		a.saveSandbox(true)
		a.publish(func() {
			a.Busy = ""
			if err != nil {
				return
			}
			note := Tf("undo.done", fmtSec(u.run.TimeUS))
			if u.Where != "lesson" {
				a.RunNote = note
			}
			if lr := u.lesson; lr != nil && a.Lesson != nil && a.Lesson.L == lr.L {
				lr.Step, lr.Opened, lr.Pending = u.step, u.opened, u.pending
				if u.Where == "lesson" {
					lr.Notice, lr.NoticeErr, lr.Solved = note, false, false
				}
				for g := range u.done {
					a.Lessons.Done[lr.L.ID+"."+g] = true
					a.P.Store(progressKey(lr.L.ID, g), "1")
				}
				a.P.Store(stepKey(lr.L.ID), fmt.Sprint(u.step))
				a.Lesson = lr
			}
			a.Playing = true
		})
		return err
	})
}

// UndoHere reports whether the Undo button shows at where.
func (a *App) UndoHere(where string) bool { return a.undo != nil && a.undo.Where == where }

// RestartLesson starts the lesson afresh at step 1 (DOM handler): the
// scenario is opened again, this lesson's ticked goals (in memory and in
// storage), goal details, notes and errors are cleared. Undo brings the
// run and the goals back.
func (a *App) RestartLesson() {
	old := a.Lesson
	if old == nil {
		return
	}
	l := old.L
	done := map[string]bool{}
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			if a.Lessons.Done[l.ID+"."+g.ID] {
				done[g.ID] = true
			}
			delete(a.Lessons.Done, l.ID+"."+g.ID)
			a.P.Remove(progressKey(l.ID, g.ID))
		}
	}
	// Until its run is open, no goal result counts for the fresh lesson.
	fresh := &LessonRun{L: l, Detail: map[string]string{}, since: -1}
	a.Lesson = fresh
	a.P.Store(stepKey(l.ID), "0")
	a.P.Remove(lessonRunKey(l.ID))
	a.Record, a.Selected = nil, ""
	a.Err, a.Note, a.RunNote = "", "", ""
	a.Playing = false
	a.undo = nil
	a.Do(func() error {
		before := a.run.State()
		if err := a.run.Open(l.Scenario); err != nil {
			return err
		}
		a.saveSandbox(true)
		gen := a.run.Gen
		a.update(func() {
			a.undo = &UndoPoint{Where: "lesson", run: before, lesson: old, step: old.Step, opened: old.Opened, pending: old.Pending, done: done}
			fresh.since = gen
			fresh.Notice = T("lesson.restarted")
			a.Playing = true
		})
		return a.run.Refresh(false, true)
	})
}

// Restart starts the run over from the seed (the top bar's "Start the run
// over", DOM handler): every command of the run is set aside; Undo brings
// them back. In a lesson the step and the goals met stay.
func (a *App) Restart() {
	if a.Remote() {
		return // the server's cluster cannot be rewound (Remote)
	}
	a.Playing = false
	a.Record, a.Selected = nil, ""
	a.undo = nil
	lr := a.Lesson
	a.Do(func() error {
		a.closeCompare()
		before := a.run.State()
		if err := a.run.Open(a.run.Scenario); err != nil {
			return err
		}
		a.saveSandbox(true)
		a.update(func() {
			a.undo = &UndoPoint{Where: "run", run: before}
			if lr != nil {
				a.undo.lesson, a.undo.step, a.undo.opened, a.undo.pending = lr, lr.Step, lr.Opened, lr.Pending
				lr.Opened, lr.Pending = session.Opened{}, nil
			}
			a.RunNote = T("run.restarted.none")
			if n := len(before.Journal); n > 0 {
				a.RunNote = Tf(one("run.restarted", n), n)
			}
			a.Playing = true
		})
		return a.run.Refresh(false, true)
	})
}
