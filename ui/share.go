package ui

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/session"
	"github.com/brokerlab/brokerlab/lessons/share"
)

// Share links: "Share" turns the open run (a sandbox's or a lesson's) into
// a link whose fragment holds it (lessons/share); opening the link replays
// it from the seed to the shared time, paused, with the view as it was. A
// shared run is never saved: the learner's own sandbox, lesson runs and
// progress stay as they were, whatever the link holds.

// shareRoute is the route of a shared run: "#shared/<link text>".
const shareRoute = "shared/"

// ShareState is the share panel under the playback bar.
type ShareState struct {
	Open bool
	// Link is the whole URL to copy; empty when the run is too long for a
	// link (File is offered instead) or could not be shared (Err).
	Link    string
	Chars   int  // the link's length, or the file's size in bytes
	TooLong bool // the run is offered as a .brokerlab.json file
	Copied  bool
	Err     string
	file    []byte
}

// ShareRun makes the link of the run as it is now (DOM handler).
func (a *App) ShareRun() {
	lr, win, sel := a.Lesson, a.Window, a.Selected
	a.Do(func() error {
		if a.run.Scenario == nil {
			return nil
		}
		r := share.Run{Journal: a.run.Journal, TimeUS: a.run.NowUS,
			View: share.View{Start: win.Start, Follow: win.Follow, Internal: win.Internal, Selected: sel}}
		base, remote := shareBase(a.P.Address())
		switch {
		case remote:
			// Attached to the server's engine (?remote): the link holds the
			// server's session with real clients as a scenario, which the
			// page's own engine replays (and can rewind and branch).
			var ex contract.ExportReply
			if err := a.eng.call("export", nil, &ex); err != nil {
				a.update(func() { a.Share = ShareState{Open: true, Err: Tf("share.failed", err.Error())} })
				return nil
			}
			r.Scenario, r.Journal, r.TimeUS = ex.Scenario, nil, ex.TimeUS
		case lr != nil:
			r.Lesson, r.LessonVersion, r.Step = lr.L.ID, share.ScenarioVersion(lr.L.Scenario), lr.Step
		default:
			r.Scenario = a.run.Scenario
		}
		st := ShareState{Open: true}
		code, err := share.Encode(r, a.P)
		switch {
		case err != nil:
			st.Err = Tf("share.failed", err.Error())
		case len(code) > share.MaxLink:
			st.TooLong = true
			if st.file, err = share.File(r); err != nil {
				st.Err = Tf("share.failed", err.Error())
			}
			st.Chars = len(st.file)
		default:
			st.Link = base + "#" + shareRoute + code
			st.Chars = len(st.Link)
		}
		a.publishRunDigest("share")
		a.update(func() { a.Share = st })
		return nil
	})
}

// shareBase is the address a share link starts with, and whether the page
// is attached to the server's engine (?remote): a link opens in the
// page's own engine, so it drops the query.
func shareBase(addr string) (string, bool) {
	base, query, _ := strings.Cut(addr, "?")
	for _, kv := range strings.Split(query, "&") {
		if k, _, _ := strings.Cut(kv, "="); k == "remote" {
			return base, true
		}
	}
	return addr, false
}

// Remote reports whether the page is attached to the server's engine
// (?remote, static/engine-remote.js): its cluster runs in real time on
// the server, so the page's rewind, start-over and what-if (which replay
// the page's own engine) are off; Share exports the server's session,
// which the page's own engine then replays, rewinds and branches.
func (a *App) Remote() bool {
	if a.remote == 0 {
		a.remote = 1
		if _, r := shareBase(a.P.Address()); r {
			a.remote = 2
		}
	}
	return a.remote == 2
}

// CopyShare puts the link on the clipboard (DOM handler).
func (a *App) CopyShare() {
	if a.Share.Link != "" {
		a.P.Copy(a.Share.Link)
		a.Share.Copied = true
	}
}

// DownloadShare offers the run as a .brokerlab.json file (DOM handler).
func (a *App) DownloadShare() {
	if len(a.Share.file) > 0 {
		name := "sandbox"
		if a.Lesson != nil {
			name = a.Lesson.L.ID
		}
		a.P.Download(name+".brokerlab.json", a.Share.file)
	}
}

// CloseShare closes the share panel (DOM handler).
func (a *App) CloseShare() { a.Share = ShareState{} }

// ShareSize says how long the link or the file is.
func (a *App) ShareSize() string {
	switch {
	case a.Share.Err != "":
		return ""
	case a.Share.TooLong:
		return Tf("share.toolong", share.MaxLink, a.Share.Chars)
	}
	return Tf("share.size", a.Share.Chars)
}

// sharedFromRoute reads a shared run's route (under the render lock): the
// page it opens on, or the reason it cannot be opened.
func (a *App) sharedFromRoute(code string) {
	r, err := share.Decode(code, a.P)
	if err != nil {
		a.Page, a.shared, a.sharedErr = PageLessons, nil, Tf("share.bad", err.Error())
		return
	}
	a.shared, a.sharedErr = &r, ""
	a.Page = PageSandbox
	if r.Lesson != "" || len(r.Bundle) > 0 {
		a.Page, a.LessonID = PageLesson, r.Lesson
	}
}

// openShared replays a shared run to its time and shows it paused, as the
// view was (driver goroutine). Nothing is saved.
func (a *App) openShared(r share.Run) error {
	scenario := r.Scenario
	var l *lessons.Lesson
	if r.Lesson != "" || len(r.Bundle) > 0 {
		l = lessons.ByID(a.Lessons.List, r.Lesson)
		switch {
		case len(r.Bundle) > 0:
			var err error
			if l, err = bundledLesson(r.Bundle); err != nil {
				return a.sharedFailed(Tf("share.bad", err.Error()))
			}
		case l == nil:
			return a.sharedFailed(Tf("share.nolesson", r.Lesson))
		case share.ScenarioVersion(l.Scenario) != r.LessonVersion:
			return a.sharedFailed(T("share.version"))
		}
		scenario = l.Scenario
		a.run.EventBudget = lightEventBudget
		if session.ReadsEvents(l) {
			a.run.EventBudget = fullEventBudget
		}
	}
	a.runKey = "" // never saved: the learner's own runs stay as they were
	win := Window{Start: r.View.Start, Follow: r.View.Follow, Internal: r.View.Internal}
	a.run.MaxRecords, a.run.RecordsFrom = recordsFor(win)
	a.run.Internal = win.Internal || l != nil
	a.run.Load(session.State{Scenario: scenario, Journal: r.Journal, TimeUS: r.TimeUS})
	if err := a.run.Replay(r.TimeUS); err != nil {
		a.run.Scenario = nil
		return a.sharedFailed(Tf("share.replay", err.Error()))
	}
	a.publishRunDigest("opened")
	gen := a.run.Gen
	a.update(func() {
		if l != nil {
			a.Lesson = &LessonRun{L: l, Step: min(r.Step, len(l.Steps)-1), Detail: map[string]string{}, since: gen, Shared: true}
		}
		a.Window = win
		a.Selected, a.Record, a.openWanted = r.View.Selected, nil, r.View.Selected
		a.Playing = false
		a.RunNote = Tf("share.opened", fmtSec(r.TimeUS))
	})
	return nil
}

// sharedFailed shows why a shared run cannot be opened, on the lesson
// list, and opens nothing: the learner's own runs are untouched.
func (a *App) sharedFailed(msg string) error {
	a.update(func() { a.Page, a.Lesson, a.Err = PageLessons, nil, msg })
	return nil
}

// publishRunDigest publishes the run's trace hash and a digest of its
// snapshot with every record as <prefix>_trace_hash and
// <prefix>_snapshot (driver goroutine): the browser test compares a
// shared run with the run it was made from.
func (a *App) publishRunDigest(prefix string) {
	var h contract.TraceHashReply
	if a.eng.call("trace_hash", nil, &h) != nil {
		return
	}
	var raw rawJSON
	if a.eng.call("snapshot", contract.SnapshotParams{Records: true, MaxRecords: session.MaxRecords}, &raw) != nil {
		return
	}
	d := fnv.New64a()
	d.Write(raw)
	a.P.Publish(prefix+"_trace_hash", h.TraceHash)
	a.P.Publish(prefix+"_snapshot", fmt.Sprintf("%016x@%d", d.Sum64(), a.run.NowUS))
}

// rawJSON keeps a reply's bytes as they came.
type rawJSON []byte

func (r *rawJSON) UnmarshalJSON(b []byte) error { *r = append((*r)[:0], b...); return nil }
