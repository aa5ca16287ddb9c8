package ui

import (
	"encoding/json"
	"math"
	"strings"
	"sync/atomic"

	"github.com/vugu/vugu"

	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons/share"
)

// Pages of the app, kept in the URL fragment.
const (
	PageLessons = "lessons"
	PageLesson  = "lesson"
	PageSandbox = "sandbox"
)

// Speeds the learner can pick.
var Speeds = []float64{0.25, 0.5, 1, 2, 5, 10, 25, 100}

// Frame is what the views draw: computed by the driver goroutine from the
// session, then swapped in under the render lock.
type Frame struct {
	Open    bool // a scenario is open
	Snap    view.Snapshot
	Layout  ClusterLayout
	Outline *Outline          // the cluster view as structure, for screen readers
	Events  []view.Event      // shared with the session, never written below len
	Data    []json.RawMessage // each event's raw data, as Events
	Skipped int64
	Hidden  int      // partitions of internal topics not shown
	Kinds   []string // event kinds seen, sorted
	Nodes   []string // nodes seen in events, sorted
	Plot    PlotLines
	// Go-built markup of the panels under the cluster view (see isr.go,
	// groups.go, accumulator.go), escaped; "" hides a panel.
	ISR         Markup
	ISRW, ISRH  int
	Groups      Markup
	Accumulator Markup
	NowUS       int64
	EndUS       int64
	NextUS      int64
	Journal     int
	Version     int
	// Redo counts the commands a rewind kept ahead, re-applied as time
	// reaches them; RedoEndUS is the time the run had reached (0: none).
	Redo      int
	RedoEndUS int64
	// Branches are the runs set aside by acting after a rewind.
	Branches []BranchInfo
	// Cmp is the comparison of two branches (nil: not comparing).
	Cmp *CompareFrame
}

// BranchInfo is a branch as the playback bar names it.
type BranchInfo struct {
	ForkUS   int64
	Commands int
}

// App is the whole UI state. Fields are read by the render under the
// event environment's read lock; DOM event handlers run under its write
// lock; the driver goroutine takes the write lock to publish.
type App struct {
	P      Platform
	env    vugu.EventEnv
	eng    *engineClient
	run    *Session  // owned by the driver goroutine
	cmp    *comparer // the branch compared with run (driver goroutine; compare.go)
	remote uint8     // Remote's answer: 0 not asked yet, 1 no, 2 yes (share.go)

	Page     string
	LessonID string
	F        Frame
	Playing  bool
	Speed    float64
	Busy     string // a long operation under way, in words
	// Announce is the last message for screen readers (the polite live
	// region): a leader change, an ISR shrink, a goal met (see announcer).
	Announce string
	ann      announcer
	outline  outliner
	Err      string
	Note     string
	// RunNote says, in the playback bar, what happened to the run that the
	// learner did not ask for in so many words: why it paused (a rewind, a
	// step, an engine crash), that it was started over (with Undo).
	RunNote string
	// undo is the run the last destructive action replaced (see Undo).
	undo *UndoPoint
	// openWanted is a record a solution's open_record asked for that the
	// strips did not show yet: the panel opens once a frame has it.
	openWanted string

	// Share is the share panel; shared is the run a shared link holds
	// (nil: the route is no shared run), sharedErr why the link could not
	// be read (see share.go).
	Share    ShareState
	KeysHelp bool // the keyboard shortcuts overlay is open (keys.go)
	// ProgressNote says what the last progress export or import did.
	ProgressNote string
	shared       *share.Run
	sharedErr    string

	Window   Window // which offsets the log strips show
	Selected string // element id of the open record
	Record   *OpenRecord

	Forms Forms
	More  MoreForms
	Txn   TxnForm // the send-offsets form (txn.go)
	// FormErr is each panel's last error, by panel (see formerr.go):
	// shown inside the panel, cleared by its next success.
	FormErr map[string]FormError
	// pendingConsumers are consumers started from the form that the
	// snapshot does not show yet (see ConsumerNameField).
	pendingConsumers map[string]bool
	// runKey is the localStorage entry the open run is saved under (the
	// sandbox's, or a lesson's; "" = not saved), driver goroutine. The page
	// switches before the driver opens the new page's run, so the page
	// alone cannot tell whose run is open.
	runKey  string
	LogView LogFilter
	Lessons *Lessons
	Lesson  *LessonRun // the open lesson, nil on other pages
	Sandbox SandboxSetup

	// building: the lesson builder is open beside the sandbox (builderhook.go).
	building bool

	Stats Stats

	actions chan func() error
	savedAt float64 // wall time of the last sandbox save (driver goroutine)
	panels  panelCache
	pace    pacer
	fstats  frameStats  // the per-frame breakdown (driver goroutine)
	rstats  renderStats // its render part (render goroutine)
	// renderAvg is a moving average of a build + render in ms (float64
	// bits; written by the render goroutine, read by the driver) and
	// layoutAvg one of the Go layout (driver goroutine): see renderGap.
	renderAvg atomic.Uint64
	layoutAvg float64
	// goalSnapAt and goalSnapDue pace the record snapshots that goals
	// reading records need (driver goroutine).
	goalSnapAt  float64
	goalSnapDue bool
	goalSnap    view.Snapshot
}

// Stats are the figures the page publishes for the browser test.
type Stats struct {
	Frames      int
	Actions     int // learner actions the driver has run (the browser test waits on it)
	Renders     int
	EngineMS    float64 // last advance + snapshot + events, round trips included
	LayoutMS    float64
	RenderMS    float64 // last build + DOM render
	RenderMaxMS float64
	RenderSum   float64
	Calls       map[string]CallTiming // the driver's last engine calls
	Pace        float64               // the speed reached over the wanted one (1: kept up)
	BuildMS     float64               // last build of the component tree
}

// NewApp makes the app; Start launches its driver.
func NewApp(p Platform) *App {
	a := &App{P: p, eng: &engineClient{p: p}, Speed: 1, Window: Window{Follow: true}, actions: make(chan func() error, 64)}
	a.run = newSession(a.eng)
	a.Forms = defaultForms()
	a.More = defaultMoreForms()
	a.Txn = defaultTxnForm()
	a.Sandbox = SandboxSetup{Brokers: 3, Controllers: 1, Seed: 1}
	a.Lessons = loadLessons(p)
	stored, _ := p.Load(localeKey)
	loc := pickLocale(stored, p.Language())
	if t, err := fetchLocale(p, loc); err != nil {
		a.Err, loc = err.Error(), "en"
	} else {
		installLocale(loc, t, a.Lessons)
	}
	setLocale(loc)
	p.SetLang(Locale)
	a.routeFromHash(p.Hash())
	return a
}

// Start runs the driver goroutine with the renderer's event environment.
func (a *App) Start(env vugu.EventEnv) {
	a.env = env
	a.P.OnHashChange(func(h string) {
		a.env.Lock()
		defer a.env.UnlockRender()
		a.navigate(h, false)
	})
	if ks, ok := a.P.(keySource); ok {
		ks.OnKey(func(k string) {
			a.env.Lock()
			defer a.env.UnlockRender()
			a.Key(k)
		})
	}
	go a.drive()
	a.Do(a.enterPage)
}

// Do queues f to run on the driver goroutine (never blocks; callers hold
// the render lock). A full queue drops the action and says so. Out of line:
// it has ~40 call sites.
//
//go:noinline
func (a *App) Do(f func() error) {
	select {
	case a.actions <- f:
	default:
		a.Err = "ui: too many actions queued; try again"
	}
}

// Await runs f on the driver goroutine as Do does, and returns f's error
// once it ran: what a test or a tool uses to act and then look, instead of
// sleeping. The caller must not hold the render lock (the driver takes it
// to publish), so a DOM handler uses Do. The queue has room for every
// action a learner can click in a frame; Await waits for room.
func (a *App) Await(f func() error) error {
	done := make(chan error, 1)
	a.actions <- func() error {
		err := f()
		done <- err
		return err
	}
	return <-done
}

// update runs f under the write lock and asks for a render.
func (a *App) update(f func()) {
	a.env.Lock()
	f()
	a.env.UnlockRender()
}

// drive is the driver loop: while playing, one frame per animation frame
// (advance by dt × speed, snapshot, events, goals), or fewer while the next
// event is far off (see frameWait); while paused, one action at a time.
func (a *App) drive() {
	last, recordsAt, fullAt := 0.0, 0.0, 0.0
	// known: a.run.NextUS is the engine's next event as of the last
	// frame, with no command run since.
	known := false
	for {
		a.env.RLock()
		playing, speed, open, win := a.Playing, a.Speed, a.F.Open, a.Window
		a.env.RUnlock()
		a.run.MaxRecords, a.run.RecordsFrom = recordsFor(win)
		a.run.Internal = win.Internal || a.lessonOpen()
		if !playing || !open {
			last, known = 0, false
			a.fstats.sim(0, 0, false)
			a.runAction(<-a.actions)
			continue
		}
		t, act, ok := a.waitFrame(last, frameWait(a.run.NowUS, a.run.NextUS, known, speed), speed)
		if !ok {
			continue // paused or sped up meanwhile: look again
		}
		acted := act != nil
		if acted {
			a.runAction(act)
			known = false
		}
		for drained := false; !drained; {
			select {
			case f := <-a.actions:
				a.runAction(f)
				known, acted = false, true
			default:
				drained = true
			}
		}
		a.env.RLock()
		playing = a.Playing
		a.env.RUnlock()
		if !playing {
			continue // an action paused: advance no further
		}
		dt := displayFrameMS
		if last > 0 && t-last < maxFrameGapMS {
			dt = t - last
		}
		last = t
		free := int64(-1)
		if known {
			free = a.run.NextUS - a.run.NowUS
			if a.run.NextUS < 0 {
				free = 1 << 62
			}
		}
		by := a.pace.next(dt, speed, free)
		records := t-recordsAt >= recordsEveryMS
		// A frame that comes sooner after the last drawn one than the page
		// can draw (see renderGap) is not drawn: it advances and shows the
		// clock, and leaves the snapshot and the events to the next drawn
		// frame (see LightFrame). A page that draws every frame spends the
		// machine on states nobody has time to see, and the engine waits.
		tp, text := a.P.(textPlatform)
		light := text && !acted && fullAt > 0 && t-fullAt < a.renderGap()
		prev, prevEvents, prevSkipped := a.run.Snap, len(a.run.Events), a.run.Skipped
		t0 := a.P.Now()
		var err error
		if light {
			err = a.run.LightFrame(by)
		} else {
			if records {
				recordsAt = t
			}
			err = a.run.Frame(by, records)
		}
		if err == nil {
			err = a.follow(light)
		}
		t1 := a.P.Now()
		engineMS := t1 - t0
		a.pace.note(by, advanceCost(a.eng.Last["advance"]))
		if err != nil {
			known = false
			a.fail(err)
			continue
		}
		known = true
		a.fstats.frame(t1, by, engineMS, a.eng, max(0, len(a.run.Events)-prevEvents))
		a.fstats.sim(t1, a.run.NowUS, true)
		if a.fstats.due(t1) {
			a.fstats.publish(a.P, t1, speed)
			a.P.Publish("pace_limit_ms", a.pace.limitUS/1000)
		}
		if light || text && !acted && a.cmp == nil && t-fullAt < fullEveryMS &&
			len(a.run.Events) == prevEvents && a.run.Skipped == prevSkipped && sameView(prev, a.run.Snap) {
			a.quietFrame(tp)
			continue
		}
		fullAt = t
		calls := make(map[string]CallTiming, len(a.eng.Last))
		for k, v := range a.eng.Last {
			calls[k] = v
		}
		a.publish(func() {
			a.Stats.Frames++
			a.Stats.EngineMS = engineMS
			a.Stats.Calls = calls
			a.Stats.Pace = a.pace.ratio
		})
	}
}

// renderGap is the shortest wall time between two drawn frames while
// playing: three times what drawing one costs (the last renders' average
// and the Go layout), so drawing takes at most about a third of the page's
// thread; between minRenderGapMS (30 a second) and maxRenderGapMS.
func (a *App) renderGap() float64 {
	ms := 3 * (math.Float64frombits(a.renderAvg.Load()) + a.layoutAvg)
	return min(max(ms, minRenderGapMS), maxRenderGapMS)
}

const (
	minRenderGapMS = 1000.0 / 30
	maxRenderGapMS = 250.0
)

// maxFrameGapMS is the longest wall time between two frames that still
// counts as played time; a longer gap (a hidden tab, whose animation frames
// stop) counts as one display frame. At 250 ms, the page's hiccups on a
// loaded machine (a slow render, a garbage collection) were lost from the
// clock, and 1x played slower than real time.
const maxFrameGapMS = 1000.0

// advanceCost is what an advance cost the engine: the time inside it when
// the worker says so, else its round trip. The round trip also holds the
// wait for the page's thread (a reply waits while the page renders the last
// frame): pacing on it cut every frame to the pacer's floor (0.05 of the
// time asked) although the engine had run the frame in a tenth of it.
func advanceCost(ct CallTiming) float64 {
	if ct.Worker.CallMS > 0 {
		return ct.Worker.EngineMS
	}
	return ct.RoundTripMS
}

// timerPlatform is a Platform that can wake the driver after a delay
// without animation frames (the browser: setTimeout). Without it the
// driver waits frame by frame.
type timerPlatform interface {
	After(ms float64) <-chan struct{}
}

// waitFrame waits for the animation frame at least waitMS after last and
// returns its time stamp. A frame that took longer than one refresh goes on
// at once, so the worker runs the next frame while this one renders. It
// stops waiting early when a command is queued (returned as act when the
// wait took it off the queue), and with ok false when the learner pauses
// or changes the speed.
func (a *App) waitFrame(last, waitMS, speed float64) (t float64, act func() error, ok bool) {
	t = a.P.Now()
	if tp, timer := a.P.(timerPlatform); timer && waitMS-(t-last) > displayFrameMS {
		// Sleep until about one frame before the time, then take that frame.
		select {
		case act = <-a.actions:
			return a.P.Now(), act, true
		case <-tp.After(waitMS - (t - last) - displayFrameMS):
		}
		t = a.P.Now()
	}
	if t-last < displayFrameMS-2 {
		t = a.P.NextFrame()
	}
	for t-last < waitMS {
		if len(a.actions) > 0 {
			return t, nil, true // run it now, in this frame
		}
		a.env.RLock()
		still := a.Playing && a.Speed == speed
		a.env.RUnlock()
		if !still {
			return t, nil, false
		}
		t = a.P.NextFrame()
	}
	return t, nil, true
}

func (a *App) runAction(f func() error) {
	a.goalSnapDue = true
	err := f()
	if err == nil {
		err = a.follow(false)
	}
	if err != nil {
		a.fail(err)
		a.update(func() { a.Stats.Actions++ })
		return
	}
	a.publish(func() { a.Stats.Actions++ })
}

// fail shows err; a crashed engine is recovered by replaying the journal.
func (a *App) fail(err error) {
	if ee, ok := err.(*EngineError); ok && (ee.Code == "ENGINE_CRASHED" || ee.Code == "INTERNAL") && a.run.Scenario != nil {
		now := a.run.NowUS
		if rerr := a.run.Replay(now); rerr == nil {
			a.publish(func() {
				a.Err = T("err.recovered") + " " + err.Error()
				a.pauseWithNote(T("paused.crash"))
			})
			return
		}
	}
	a.update(func() {
		a.Err = err.Error()
		a.pauseWithNote(T("paused.error"))
		a.Busy = ""
	})
}

// publish turns the session into a Frame and swaps it in, with goals
// checked and the sandbox saved; extra runs under the lock too.
func (a *App) publish(extra func()) {
	s := a.run
	t0 := a.P.Now()
	f := Frame{Open: s.Scenario != nil, NowUS: s.NowUS, EndUS: s.EndUS, NextUS: s.NextUS, Journal: len(s.Journal), Version: s.Version, Skipped: s.Skipped,
		Redo: s.RedoCommands(), RedoEndUS: s.RedoEndUS}
	for _, b := range s.Branches {
		f.Branches = append(f.Branches, BranchInfo{b.ForkUS, b.Commands()})
	}
	a.env.RLock()
	win, playing := a.Window, a.Playing
	a.env.RUnlock()
	if f.Open {
		f.Snap = s.Snap
		f.Layout = Layout(s.Snap, win)
		f.Events = s.Events[:len(s.Events):len(s.Events)]
		f.Data = s.EventData[:len(s.EventData):len(s.EventData)]
		f.Plot = s.Series.Lines(s.NowUS)
		a.panels.update(a.P.Now(), playing, s)
		f.ISR, f.ISRW, f.ISRH, f.Groups, f.Accumulator = a.panels.isr, a.panels.isrW, a.panels.isrH, a.panels.groups, a.panels.accum
		f.Kinds, f.Nodes = sortedKeys(s.Kinds), sortedKeys(s.Nodes)
		f.Hidden = f.Layout.Hidden + s.HiddenInternal
		a.ann.observe(s.Gen, s.Snap)
		f.Outline = a.outline.update(a.P.Now(), s.Snap, &f.Layout, win.Internal)
		if a.cmp != nil {
			f.Cmp = a.cmp.frame(s, f.Layout, "")
			a.cmp.publish(a.P, f.Cmp)
		}
	}
	layoutMS := a.P.Now() - t0
	if f.Open {
		a.fstats.layout(layoutMS)
		a.layoutAvg = 0.8*a.layoutAvg + 0.2*layoutMS
	}
	ticks := a.checkGoals()
	a.saveSandbox(false)
	a.update(func() {
		a.F = f
		a.Stats.LayoutMS = layoutMS
		a.applyTicks(ticks)
		if msg, ok := a.ann.take(a.P.Now()); ok {
			a.Announce = msg
		}
		if a.Record != nil {
			if r, ok := f.Layout.Records[a.Selected]; ok {
				a.Record = &r
			}
		}
		a.fireLearnerOps()
		if extra != nil {
			extra()
		}
	})
}

// Build runs one build of root under the read lock (the main loop calls it).
func (a *App) Build(env *vugu.BuildEnv, root vugu.Builder) *vugu.BuildResults {
	a.env.RLock()
	defer a.env.RUnlock()
	t0 := a.P.Now()
	r := env.RunBuild(root)
	a.Stats.BuildMS = a.P.Now() - t0
	return r
}

// NoteRender records the time of one build + render (the main loop calls it).
func (a *App) NoteRender(ms float64) {
	a.env.RLock()
	defer a.env.RUnlock()
	st := &a.Stats
	st.Renders++
	st.RenderMS = ms
	st.RenderSum += ms
	if ms > st.RenderMaxMS && st.Renders > 3 { // the first renders build the page
		st.RenderMaxMS = ms
	}
	a.rstats.add(a.P, a.P.Now(), ms, st.BuildMS)
	if st.Renders > 3 { // the first renders build the page
		a.renderAvg.Store(math.Float64bits(0.8*math.Float64frombits(a.renderAvg.Load()) + 0.2*ms))
	}
	a.P.Publish("renders", st.Renders)
	a.P.Publish("render_ms", ms)
	a.P.Publish("render_max_ms", st.RenderMaxMS)
	a.P.Publish("render_avg_ms", st.RenderSum/float64(st.Renders))
	a.P.Publish("render_sum_ms", st.RenderSum)
	a.P.Publish("frames", st.Frames)
	a.P.Publish("actions", st.Actions)
	a.P.Publish("engine_ms", st.EngineMS)
	a.P.Publish("layout_ms", st.LayoutMS)
	a.P.Publish("time_us", float64(a.F.NowUS))
	a.P.Publish("partitions", len(a.F.Snap.Partitions))
	a.P.Publish("brokers", len(a.F.Snap.Brokers))
	a.P.Publish("page", a.Page)
	a.P.Publish("pace", a.Stats.Pace)
	a.P.Publish("build_ms", a.Stats.BuildMS)
	for _, m := range []string{"advance", "snapshot", "events"} {
		ct := a.Stats.Calls[m]
		a.P.Publish(m+"_ms", ct.RoundTripMS)
		a.P.Publish(m+"_decode_ms", ct.DecodeMS)
		a.P.Publish(m+"_bytes", ct.Bytes)
	}
}

// Go switches page ("lessons", "lesson/<id>", "sandbox").
//
//go:noinline
func (a *App) Go(route string) { a.navigate(route, true) }

// navigate opens route's page (under the render lock); push adds a history
// entry. Back and forward arrive here without one; a route that is already
// open is left alone.
func (a *App) navigate(route string, push bool) {
	page, id, wasShared := a.Page, a.LessonID, a.shared != nil
	a.routeFromHash(route)
	if !push && a.Page == page && a.LessonID == id && !wasShared && a.shared == nil && a.sharedErr == "" {
		return
	}
	if push {
		a.P.SetHash(route)
	}
	a.Playing = false
	a.Forms, a.More, a.Txn = defaultForms(), defaultMoreForms(), defaultTxnForm()
	a.FormErr = nil
	a.Window = Window{Follow: true}
	a.Speed = 1
	a.Share = ShareState{}
	a.Do(a.enterPage)
}

func (a *App) routeFromHash(h string) {
	h = strings.TrimPrefix(h, "/")
	a.shared, a.sharedErr = nil, ""
	switch {
	case strings.HasPrefix(h, shareRoute):
		a.sharedFromRoute(strings.TrimPrefix(h, shareRoute))
	case strings.HasPrefix(h, "lesson/"):
		a.Page, a.LessonID = PageLesson, strings.TrimPrefix(h, "lesson/")
	case h == "sandbox":
		a.Page = PageSandbox
	default:
		a.Page = PageLessons
	}
}

// enterPage opens what the current page needs (driver goroutine).
func (a *App) enterPage() error {
	a.runKey = ""
	a.closeCompare()
	a.run.WhatIf = false
	a.env.RLock()
	page, id, shared, sharedErr := a.Page, a.LessonID, a.shared, a.sharedErr
	a.env.RUnlock()
	a.update(func() {
		a.Record, a.Selected, a.Err, a.Note = nil, "", sharedErr, ""
		a.RunNote, a.undo = "", nil
		a.Lesson = nil
	})
	if page == PageLesson || page == PageSandbox {
		if err := a.ensureLessonText(); err != nil {
			return err
		}
	}
	switch {
	case shared != nil && (page == PageLesson || page == PageSandbox):
		return a.openShared(*shared)
	case page == PageLesson:
		return a.openLesson(id)
	case page == PageSandbox:
		return a.restoreSandbox()
	}
	a.run.Scenario = nil
	return nil
}

// pauseWithNote pauses the simulation and says why in the playback bar, if
// it was playing (under the write lock): the simulation never pauses
// silently.
func (a *App) pauseWithNote(why string) {
	if a.Playing {
		a.RunNote = why
	}
	a.Playing = false
}
