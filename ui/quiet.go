package ui

import (
	"reflect"

	"github.com/brokerlab/brokerlab/engine/view"
)

// A quiet frame is one in which the simulation changed nothing but its
// clock: no command ran, no event reached the log and the snapshot is the
// same apart from its time. It is shown by rewriting the clock's text, not
// by a render: a Vugu render re-sends the whole page, which a learner
// watching an idle lesson paid for ten times a second.

// textPlatform is a Platform that can set one element's text directly.
// Without it every frame is rendered.
type textPlatform interface {
	SetText(selector, text string)
}

// clockSelector is the element showing the simulation time (controls.vugu).
const clockSelector = "#clock strong"

// fullEveryMS is the longest the page goes without a full render while
// playing, quiet or not: the panels drawn against time (the ISR history,
// the live plot) move on, goals are checked and the sandbox is saved.
const fullEveryMS = 1000.0

// sameView reports whether two snapshots draw the same page but for the
// clock. Producer metrics are left out: the page does not draw them, and
// several move with the clock alone (metadata-age, the rates over elapsed
// time). Goals that read them are checked at the full renders.
func sameView(a, b view.Snapshot) bool {
	if len(a.Producers) != len(b.Producers) {
		return false
	}
	for i := range a.Producers {
		pa, pb := a.Producers[i], b.Producers[i]
		pa.Metrics, pb.Metrics = nil, nil
		if !reflect.DeepEqual(pa, pb) {
			return false
		}
	}
	a.TimeUS, a.Time, a.Producers = 0, "", nil
	b.TimeUS, b.Time, b.Producers = 0, "", nil
	return reflect.DeepEqual(a, b)
}

// quietFrame shows the driver's session time without a render.
func (a *App) quietFrame(tp textPlatform) {
	now := a.run.NowUS
	a.env.Lock()
	a.F.NowUS, a.F.NextUS = now, a.run.NextUS
	a.Stats.Frames++
	a.Stats.Pace = a.pace.ratio
	a.env.UnlockOnly()
	tp.SetText(clockSelector, fmtUS(now))
	a.P.Publish("time_us", float64(now))
}
