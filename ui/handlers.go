package ui

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/lessons"
)

// The controls' handlers. DOM event handlers run under the write lock and
// must not block: engine work goes to the driver through Do.

// TogglePlay starts or pauses time.
func (a *App) TogglePlay() {
	a.Playing = !a.Playing
	a.RunNote = ""
	if !a.Playing {
		a.Do(func() error { a.saveSandbox(true); return nil })
	} else {
		a.Do(func() error { return nil }) // wake the driver
	}
}

// SetSpeed picks a speed from Speeds by its text.
func (a *App) SetSpeed(v string) {
	for _, s := range Speeds {
		if SpeedText(s) == v {
			a.Speed = s
		}
	}
}

// SpeedText formats a speed ("0.25×").
func SpeedText(s float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", s), "0"), ".") + "×"
}

// StepEvent runs the next scheduled event; the simulation stays paused,
// and the playback bar says so.
func (a *App) StepEvent() {
	a.Playing = false
	a.Do(func() error {
		if err := a.run.Step(); err != nil {
			return err
		}
		err := a.run.Refresh(false, true)
		a.update(func() { a.RunNote = Tf("paused.step", fmtSec(a.run.NowUS)) })
		return err
	})
}

// Rewind replays the run from its seed up to toUS (earlier than now). The
// commands given after toUS are kept as the redo (see Session.Redo); the
// run pauses there and the playback bar says so.
func (a *App) Rewind(toUS int64) {
	if a.Remote() {
		return // the server's cluster cannot be rewound (Remote)
	}
	if toUS < 0 {
		toUS = 0
	}
	a.Playing = false
	a.Busy = T("status.replaying")
	a.Do(func() error {
		err := a.run.Replay(toUS)
		n := a.run.RedoCommands()
		a.update(func() {
			a.Busy = ""
			if err == nil {
				a.RunNote = rewindNote(toUS, n)
			}
		})
		a.saveSandbox(true)
		return err
	})
}

// rewindNote says where a rewind left the run and what comes back.
func rewindNote(toUS int64, redo int) string {
	if redo == 0 {
		return Tf("paused.rewind", fmtSec(toUS))
	}
	return Tf(one("paused.rewind.redo", redo), fmtSec(toUS), redo)
}

// Forward runs the run fast up to toUS (later than now, within what a
// rewind kept), re-applying the learner's commands on the way (DOM
// handler).
func (a *App) Forward(toUS int64) {
	a.Playing = false
	a.Busy = T("status.replaying")
	a.Do(func() error {
		err := a.run.Forward(toUS)
		n := a.run.RedoCommands()
		a.update(func() {
			a.Busy = ""
			if err == nil {
				a.RunNote = Tf("paused.forward", fmtSec(toUS))
				if n > 0 {
					a.RunNote += " " + Tf(one("redo.left", n), n)
				}
			}
		})
		a.saveSandbox(true)
		return err
	})
}

// Apply runs commands now (journaled); a redo the learner had is discarded.
func (a *App) Apply(cmds ...Cmd) {
	a.Do(func() error {
		if err := a.run.Apply(cmds...); err != nil {
			return err
		}
		return a.afterApply()
	})
}

// afterApply saves the run and shows what the commands just applied did
// (driver goroutine).
func (a *App) afterApply() error {
	a.saveSandbox(true)
	return a.run.Refresh(false, true)
}

// OpenRecord opens the record cell with element id.
// In a lesson the record is noted for goals that ask to look at one.
func (a *App) OpenRecord(id string) {
	if r, ok := a.F.Layout.Records[id]; ok {
		a.Selected, a.Record = id, &r
		if lr := a.Lesson; lr != nil {
			lr.Opened.Note(lessons.RecordRef{Topic: r.Topic, Partition: r.Partition, Offset: r.Record.Offset}, lr.Step)
			a.Do(func() error { return nil }) // check the goals now
		}
	}
}

// CloseRecord closes the record panel.
func (a *App) CloseRecord() { a.Selected, a.Record = "", nil }

// recordsEveryMS paces snapshots with records while playing: reading
// records from the logs is the engine's costliest snapshot work.
const recordsEveryMS = 250

// recordsFor is which records per partition a frame's snapshot needs: the
// strip's window of StripWindow offsets, the newest (from < 0) or from the
// window's start when the learner pages back (the engine gives the newest
// when fewer follow it, as Window.start does).
func recordsFor(win Window) (n int, from int64) {
	if win.Follow {
		return StripWindow, -1
	}
	return StripWindow, max(0, win.Start)
}

// maxRecordsPerPartition caps the records a snapshot carries per partition.
const maxRecordsPerPartition = 2000

// PageLog moves the strips' window: "first", "older", "newer" or "newest".
func (a *App) PageLog(dir string) {
	internal := a.Window.Internal
	end := a.F.Layout.MaxEnd
	cur := a.Window.start(end)
	switch dir {
	case "first":
		a.Window = Window{Start: 0}
	case "older":
		a.Window = Window{Start: max(0, cur-StripWindow)}
	case "newer":
		a.Window = Window{Start: cur + StripWindow}
		if a.Window.Start+StripWindow >= end {
			a.Window = Window{Follow: true}
		}
	default:
		a.Window = Window{Follow: true}
	}
	a.Window.Internal = internal
	a.refreshWindow()
}

// ToggleInternal shows or hides the partitions of internal topics.
func (a *App) ToggleInternal() {
	a.Window.Internal = !a.Window.Internal
	a.refreshWindow()
}

// refreshWindow redraws with the new window and fetches its records.
//
//go:noinline
func (a *App) refreshWindow() {
	a.Do(func() error { // fetch the records of the new window now
		a.env.RLock()
		win := a.Window
		a.env.RUnlock()
		a.run.MaxRecords, a.run.RecordsFrom = recordsFor(win)
		a.run.Internal = win.Internal || a.lessonOpen()
		a.run.Internal = win.Internal || a.lessonOpen()
		return a.run.Refresh(false, true)
	})
}

// lessonOpen reports whether a lesson runs (driver goroutine): lessons
// check goals on every partition, internal ones included.
func (a *App) lessonOpen() bool {
	a.env.RLock()
	defer a.env.RUnlock()
	return a.Lesson != nil
}

// DismissError hides the error banner.
func (a *App) DismissError() { a.Err = "" }

// DiskAlert says which brokers cannot write to their disk, if any: in the
// browser, the site's storage quota is full.
func (a *App) DiskAlert() string {
	var ids, first []string
	for _, b := range a.F.Snap.Brokers {
		if b.DiskError != "" && b.State != "down" {
			ids = append(ids, fmt.Sprint(b.ID))
			if first == nil {
				first = []string{b.DiskError}
			}
		}
	}
	if ids == nil {
		return ""
	}
	return Tf("disk.full", strings.Join(ids, ", "), first[0])
}

// BenchClusterView times n frames of the cluster view on the current
// snapshot: layout, markup and replace (apply puts markup in the page and
// forces layout). Called from a JS callback: it takes no lock and reads
// only the published Frame.
func (a *App) BenchClusterView(n int, apply func(markup string)) map[string]any {
	n = max(1, min(n, 1000))
	f, win, sel := a.F, a.Window, a.Selected
	var goMS float64
	t0 := a.P.Now()
	for range n {
		g0 := a.P.Now()
		m := Layout(f.Snap, win).SVG(sel)
		goMS += a.P.Now() - g0
		apply(m)
	}
	total := a.P.Now() - t0
	return map[string]any{"n": n, "frame_ms": total / float64(n), "go_ms": goMS / float64(n),
		"brokers": len(f.Snap.Brokers), "partitions": len(Layout(f.Snap, win).Parts)}
}

// one picks a text's singular form (key + ".one") when n is 1: "1 command
// ahead", not "1 commands ahead".
func one(key string, n int) string {
	if n == 1 {
		return key + ".one"
	}
	return key
}

// focuser is a Platform that can move the keyboard focus (the browser).
type focuser interface{ Focus(id string) }

// FocusView moves the keyboard focus to the cluster view (the skip link):
// its arrow keys walk the records from there.
func (a *App) FocusView() {
	if f, ok := a.P.(focuser); ok {
		f.Focus("cluster-svg")
	}
}

// SwitchBranch brings back branch i of the run (set aside by acting after a
// rewind) at its fork, its own commands ahead; the run it leaves becomes a
// branch (DOM handler).
func (a *App) SwitchBranch(i int) {
	a.Playing = false
	a.Busy = T("status.replaying")
	a.Do(func() error {
		a.closeCompare()
		err := a.run.Switch(i)
		if err == nil {
			err = a.run.Refresh(true, true)
		}
		a.saveSandbox(true)
		a.publish(func() {
			a.Busy = ""
			if err == nil {
				a.RunNote = Tf("branch.switched", fmtSec(a.run.NowUS))
			}
		})
		return err
	})
}
