package ui

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/lessons/outcome"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// Compare shows two branches of the run side by side from their fork: the
// open run (A, the page's engine) and a branch set aside (B, replayed in a
// second engine instance of the worker). One clock drives both: play,
// step and the slider move A, and B follows to A's time (see follow). Both
// cluster views, their plots overlaid on one scale, and a diff of outcomes
// (lessons/outcome) from each engine's own events and snapshot.
//
// Simplified: while comparing, the learner watches; acting needs the
// comparison closed (the action panel is hidden).

// compareInst is the worker's engine instance that runs branch B.
const compareInst = 1

// instanceCaller is a Platform whose engine worker runs more than one
// engine instance (the browser: ui/bridge; the tests' fake).
type instanceCaller interface {
	CallBatchOn(inst int, reqs [][]byte) ([][]byte, []float64, error)
	DropInstance(inst int)
}

// CompareFrame is what the Compare view draws (a Frame's part).
type CompareFrame struct {
	ForkUS         int64
	LabelA, LabelB string
	A, B           ClusterLayout
	MarkupA        string
	MarkupB        string
	Plot           ComparePlot
	Rows           []outcome.Row
	// MemA and MemB are the wasm memory of each engine instance in bytes
	// (0: the platform does not say).
	MemA, MemB int64
	Partial    bool
	// Body is the view's markup (compareBody).
	Body Markup
}

// ComparePlot is both runs' produce rate and lag on one scale.
type ComparePlot struct {
	ProduceA, ProduceB, LagA, LagB string
	MaxRate, MaxLag                int64
	Empty                          bool
}

// comparer is the comparison as the driver keeps it.
type comparer struct {
	b          *Session
	forkUS     int64
	labelA     string
	labelB     string
	ta, tb     *outcome.Tally
	genA, genB int
	rev        int // the body's revision
}

// CompareBranch opens Compare with branch i of the run (DOM handler).
func (a *App) CompareBranch(i int) {
	a.Playing = false
	a.Busy = T("status.replaying")
	a.Do(func() error {
		err := a.openCompare(i)
		a.publish(func() {
			a.Busy = ""
			if err == nil {
				a.RunNote = Tf("cmp.opened", fmtSec(a.cmp.forkUS))
			}
		})
		return err
	})
}

// WhatIf forks the run here: the learner's next command starts another
// branch, and Compare opens with the run without it (DOM handler).
func (a *App) WhatIf() {
	a.Playing = false
	a.RunNote = T("whatif.note")
	a.Do(func() error { a.run.WhatIf = true; return nil })
}

// CloseCompare ends the comparison (DOM handler).
func (a *App) CloseCompare() {
	a.Do(func() error {
		a.closeCompare()
		a.publish(nil)
		return nil
	})
}

// Comparing says Compare is open (render).
func (a *App) Comparing() bool { return a.F.Cmp != nil }

// openCompare replays the run to branch i's fork, its own future ahead as
// the redo, and branch i to the same fork in the second engine (driver
// goroutine).
func (a *App) openCompare(i int) error {
	ic, ok := a.P.(instanceCaller)
	if !ok {
		return fmt.Errorf("ui: compare: this page runs one engine only")
	}
	if i < 0 || i >= len(a.run.Branches) {
		return fmt.Errorf("ui: compare: no branch %d", i)
	}
	a.closeCompare()
	br := a.run.Branches[i]
	shared := min(br.Shared, len(br.Journal))
	ownA := append(append([]Entry(nil), a.run.Journal[min(shared, len(a.run.Journal)):]...), a.run.Redo...)
	ownB := append(append([]Entry(nil), br.Journal[shared:]...), br.Redo...)
	b := newSession(&engineClient{p: a.P, ic: ic, inst: compareInst})
	b.Load(session.State{Scenario: a.run.Scenario, Journal: br.Journal[:shared], Redo: ownB, RedoEndUS: br.EndUS, TimeUS: br.ForkUS})
	if err := a.run.Replay(br.ForkUS); err != nil {
		return err
	}
	if err := b.Replay(br.ForkUS); err != nil {
		ic.DropInstance(compareInst)
		return err
	}
	a.cmp = &comparer{b: b, forkUS: br.ForkUS,
		labelA: runLabel(ownA, T("cmp.run.a")), labelB: runLabel(ownB, T("cmp.run.b"))}
	return a.cmp.tally(a.run, b)
}

// closeCompare ends the comparison and the second engine (driver).
func (a *App) closeCompare() {
	if a.cmp == nil {
		return
	}
	a.cmp = nil
	if ic, ok := a.P.(instanceCaller); ok {
		ic.DropInstance(compareInst)
	}
}

// follow brings branch B to A's time after A moved (a frame, a step, a
// rewind, a redo): forward with its own redo entries on the way, or
// replayed when A went back; then both tallies read their new events
// (driver goroutine; drawn frames only unless light is false).
func (a *App) follow(light bool) error {
	if a.run.Forked {
		a.run.Forked = false
		if err := a.openCompare(len(a.run.Branches) - 1); err != nil {
			return err
		}
		a.update(func() { a.RunNote = Tf("cmp.opened", fmtSec(a.cmp.forkUS)) })
	}
	c := a.cmp
	if c == nil {
		return nil
	}
	b, now := c.b, a.run.NowUS
	var err error
	switch {
	case b.NowUS > now || b.Scenario == nil:
		err = b.Replay(now)
	case light:
		err = b.LightFrame(now - b.NowUS)
	case b.NowUS < now:
		err = b.Frame(now-b.NowUS, true)
	default:
		err = b.Refresh(true, true)
	}
	if err != nil || light {
		return err
	}
	return c.tally(a.run, b)
}

// tally feeds each run's new events to its outcome tally; a run opened
// again (a replay) starts its tally afresh.
func (c *comparer) tally(ra, rb *Session) error {
	if c.ta == nil || c.genA != ra.Gen {
		c.ta, c.genA = outcome.NewTally(c.forkUS), ra.Gen
	}
	if c.tb == nil || c.genB != rb.Gen {
		c.tb, c.genB = outcome.NewTally(c.forkUS), rb.Gen
	}
	if err := feed(ra.eng, c.ta); err != nil {
		return err
	}
	return feed(rb.eng, c.tb)
}

// feed reads the events a tally needs since its cursor.
func feed(eng *engineClient, t *outcome.Tally) error {
	for range 20 { // at most 100,000 events a frame
		var evs eventsReply
		if err := eng.call("events", contract.EventsParams{After: t.LastSeq, Max: 5000, Kinds: outcome.Kinds}, &evs); err != nil {
			return err
		}
		if evs.Dropped > t.LastSeq {
			t.Dropped()
		}
		for _, e := range evs.Events {
			t.Observe(e)
		}
		t.LastSeq = max(t.LastSeq, evs.Last)
		if evs.Last >= evs.Total || len(evs.Events) == 0 && !evs.Truncated {
			return nil
		}
	}
	return nil
}

// frame is the comparison as the view draws it (driver goroutine).
func (c *comparer) frame(ra *Session, la ClusterLayout, sel string) *CompareFrame {
	rb := c.b
	f := &CompareFrame{ForkUS: c.forkUS, LabelA: c.labelA, LabelB: c.labelB, A: la}
	f.B = Layout(rb.Snap, Window{Follow: true})
	f.MarkupA = la.Markup(sel, "")
	// Branch B's shapes get ids of their own: one document holds both views.
	f.MarkupB = strings.ReplaceAll(f.B.Markup("", ""), ` id="`, ` id="cmp-b-`)
	oa, ob := c.ta.Outcome(ra.Snap), c.tb.Outcome(rb.Snap)
	f.Rows, f.Partial = outcome.Diff(oa, ob), oa.Partial || ob.Partial
	f.Plot = overlay(&ra.Series, &rb.Series, ra.NowUS)
	f.MemA, f.MemB = memoryOf(ra.eng), memoryOf(rb.eng)
	c.rev++
	f.Body = Markup{HTML: compareBody(f), Rev: c.rev}
	return f
}

// publish gives the browser test B's time and both engines' memory.
func (c *comparer) publish(p Platform, f *CompareFrame) {
	p.Publish("compare_b_time_us", float64(c.b.NowUS))
	p.Publish("compare_memory_a", float64(f.MemA))
	p.Publish("compare_memory_b", float64(f.MemB))
}

// memoryOf is the largest wasm memory the worker reported for an engine's
// last calls.
func memoryOf(eng *engineClient) int64 {
	m := int64(0)
	for _, ct := range eng.Last {
		m = max(m, ct.Worker.MemoryBytes)
	}
	return m
}

// overlay draws both runs' lines on one scale.
func overlay(sa, sb *Series, nowUS int64) ComparePlot {
	la, lb := sa.Lines(nowUS), sb.Lines(nowUS)
	if la.Empty && lb.Empty {
		return ComparePlot{Empty: true}
	}
	rate, lag := float64(max(la.MaxRate, lb.MaxRate)), float64(max(la.MaxLag, lb.MaxLag))
	la, lb = sa.linesOver(nowUS, rate, lag), sb.linesOver(nowUS, rate, lag)
	return ComparePlot{ProduceA: la.Produce, ProduceB: lb.Produce, LagA: la.Lag, LagB: lb.Lag, MaxRate: int64(rate), MaxLag: int64(lag)}
}

// runLabel names a branch by its first own command after the fork, as the
// journal holds it, without JSON's punctuation ("broker_crash broker=3
// mode=power"), or by fallback.
func runLabel(own []Entry, fallback string) string {
	for _, e := range own {
		if len(e.Commands) > 0 {
			return fallback + ": " + strings.TrimSpace(labelCleaner.Replace(string(e.Commands[0])))
		}
	}
	return fallback
}

var labelCleaner = strings.NewReplacer(`{"op":"`, "", `":{"`, " ", `":"`, "=", `":`, "=", `","`, " ", `,"`, " ", `"`, "", "}", "", "{", "")

// Compare is the view of two branches side by side: a heading, the close
// button and a body built in Go (compareBody), which keeps ui.wasm lean.
type Compare struct {
	App *App
}

func (c *Compare) heading() string { return Tf("cmp.heading", fmtSec(c.App.F.Cmp.ForkUS)) }

// compareBody is the comparison's markup: what differs, the outcome
// table, the overlaid plot and both cluster views. (Few format strings:
// each piece of a concatenation costs ui.wasm bytes.)
func compareBody(f *CompareFrame) string {
	help := T("cmp.help")
	if f.MemB > 0 {
		help += " " + Tf("cmp.memory", mb(f.MemB), mb(f.MemA))
	}
	la, lb := esc(f.LabelA), esc(f.LabelB)
	var rows strings.Builder
	for _, r := range f.Rows {
		fmt.Fprintf(&rows, `<tr id="compare-row-%s" class="%t"><th>%s</th><td class="a">%s</td><td class="b">%s</td></tr>`,
			r.Figure, r.Differs, esc(rowName(r)), cell(r, r.A), cell(r, r.B))
	}
	if f.Partial {
		rows.WriteString(`<tr><td colspan="3" class="muted">` + esc(T("cmp.partial")) + `</td></tr>`)
	}
	plot := `<p class="muted">` + esc(T("plot.empty")) + `</p>`
	if p := f.Plot; !p.Empty {
		plot = fmt.Sprintf(comparePlotHTML, p.LagA, p.LagB, p.ProduceA, p.ProduceB, la, lb,
			esc(T("cmp.legend.produce")), esc(T("cmp.legend.lag")), esc(Tf("plot.scale", p.MaxRate, p.MaxLag)))
	}
	return fmt.Sprintf(compareHTML, esc(help), esc(summary(f.Rows)), la, lb, rows.String(), plot,
		la, f.A.W, f.A.H, f.A.W, f.A.H, la, f.MarkupA, lb, f.B.W, f.B.H, f.B.W, f.B.H, lb, f.MarkupB)
}

const compareHTML = `<p class="muted cmp-help" id="compare-help">%s</p><p class="cmp-summary" id="compare-summary">%s</p>` +
	`<table class="cmp-diff" id="compare-diff"><thead><tr><td></td><th class="a">%s</th><th class="b">%s</th></tr></thead><tbody>%s</tbody></table>%s` +
	`<div class="cmp-views"><div class="cmp-run a" id="compare-a"><h3 class="ph">%s</h3><svg class="cluster" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-label="%s">%s</svg></div>` +
	`<div class="cmp-run b" id="compare-b"><h3 class="ph">%s</h3><svg class="cluster" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-label="%s">%s</svg></div></div>`

const comparePlotHTML = `<svg id="compare-plot" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 110" width="320" height="110">` +
	`<line class="axis" x1="0" x2="320" y1="110" y2="110"></line><polyline class="lag a" points="%s"></polyline><polyline class="lag b" points="%s"></polyline>` +
	`<polyline class="produce a" points="%s"></polyline><polyline class="produce b" points="%s"></polyline></svg>` +
	`<ul class="plot-legend cmp-legend"><li class="a"><i></i>%s</li><li class="b"><i></i>%s</li><li>%s</li><li>%s</li><li class="scale">%s</li></ul>`

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// rowName is a diff row's figure in words.
func rowName(r outcome.Row) string {
	switch r.Figure {
	case outcome.Acked:
		return T("cmp.row.acked")
	case outcome.Lost:
		return T("cmp.row.lost")
	case outcome.Duplicated:
		return T("cmp.row.duplicated")
	case outcome.P99:
		return T("cmp.row.p99")
	}
	return T("cmp.row.unowned")
}

// cell formats one run's figure of a row.
func cell(r outcome.Row, v float64) string {
	switch r.Figure {
	case outcome.P99:
		if v < 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f ms", v)
	case outcome.Unowned:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// summary says in one sentence what differs.
func summary(rows []outcome.Row) string {
	d := outcome.Differing(rows)
	if len(d) == 0 {
		return T("cmp.same")
	}
	parts := make([]string, len(d))
	for i, r := range d {
		parts[i] = Tf("cmp.differs.item", rowName(r), cell(r, r.A), cell(r, r.B))
	}
	return T("cmp.differs") + " " + strings.Join(parts, "; ") + "."
}
