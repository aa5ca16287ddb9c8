package ui

import (
	js "github.com/vugu/vugu/js"
)

// Markup is a panel body built in Go and its revision: a panel's element
// is refilled only when the revision it holds differs (see fillPanel).
type Markup struct {
	HTML string
	Rev  int
}

// panelEveryMS paces the panels under the cluster view while time runs:
// setting their markup costs the browser about as much as the cluster
// view, and figures changing 60 times a second cannot be read anyway.
const panelEveryMS = 200

// panelCache holds the panels' last markup (driver goroutine).
type panelCache struct {
	at                 float64
	rev                int
	isr, groups, accum Markup
	isrW, isrH         int
}

// update rebuilds the panels from the session when paused, or while
// playing at most every panelEveryMS of wall time.
func (c *panelCache) update(now float64, playing bool, s *Session) {
	if playing && now-c.at < panelEveryMS && now >= c.at {
		return
	}
	c.at = now
	var isr string
	isr, c.isrW, c.isrH = s.ISR.SVG(s.NowUS)
	c.isr = c.next(c.isr, isr)
	groups, accum := "", ""
	if len(s.Snap.Groups) > 0 {
		groups = GroupsHTML(s.Snap.Groups)
	}
	if len(s.Snap.Producers) > 0 {
		accum = AccumulatorHTML(s.Snap.Producers)
	}
	c.groups, c.accum = c.next(c.groups, groups), c.next(c.accum, accum)
}

// next is old if html did not change, else html with a new revision
// (revisions are unique across panels, so an element Vugu reuses for
// another panel never matches).
func (c *panelCache) next(old Markup, html string) Markup {
	if html == old.HTML {
		return old
	}
	c.rev++
	return Markup{HTML: html, Rev: c.rev}
}

// fillPanel sets an element's markup unless it already holds m's
// revision (Vugu's vg-html would set it on every render).
func fillPanel(el js.Value, m Markup) {
	if v := el.Get("blRev"); v.Type() == js.TypeNumber && v.Int() == m.Rev {
		return
	}
	el.Set("innerHTML", m.HTML)
	el.Set("blRev", m.Rev)
}
