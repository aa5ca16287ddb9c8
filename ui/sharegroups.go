package ui

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Share groups (KIP-932) in the groups panel: the members with what each
// received, and per share-partition a strip of its in-flight records
// between the SPSO and the SPEO, coloured by state (Available, Acquired,
// Acknowledged, Archived) with delivery counts above one written in. The
// strip is one SVG string, as the offset bars are.

// shareStripMax bounds the cells drawn per partition (the view lists up
// to view.ShareInFlightShown); the rest are counted in the line above.
const shareStripMax = 40

// Share strip geometry: a cell per in-flight record.
const shareCellW, shareCellH = 14, 14

// shareMembers writes a share group's members: each one's partitions (it
// shares them with the others) and the records it received and accepted.
func shareMembers(b *strings.Builder, g view.GroupSnapshot) {
	if len(g.Members) == 0 {
		return
	}
	b.WriteString(`<ul class="members">`)
	for _, m := range g.Members {
		name := m.Consumer
		if name == "" {
			name = m.MemberID
		}
		b.WriteString(`<li><span class="mname">` + esc(name) + `</span> `)
		for _, tp := range m.Assignment {
			b.WriteString(`<span class="tp">` + esc(tp) + `</span>`)
		}
		if len(m.Assignment) == 0 {
			b.WriteString(`<span class="muted">` + esc(T("groups.nothing")) + `</span>`)
		}
		if m.ClientState == "gone" {
			b.WriteString(` <span class="cstate">` + esc(T("share.gone")) + `</span>`)
		} else {
			b.WriteString(` <span class="muted">` + esc(Tf("share.member", m.Polled, m.Processed)) + `</span>`)
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
}

// shareStrips writes the share-partitions of a share group with the
// group's limits above them.
func shareStrips(b *strings.Builder, g view.GroupSnapshot) {
	sh := g.Share
	if sh == nil {
		return
	}
	names := map[string]string{}
	for _, m := range g.Members {
		if m.Consumer != "" {
			names[m.MemberID] = m.Consumer
		}
	}
	b.WriteString(`<p class="muted share-cfg">` + esc(Tf("share.limits", sh.LockDurationMs, sh.DeliveryLimit, sh.AutoOffsetReset)) + `</p>`)
	for _, p := range sh.Partitions {
		b.WriteString(`<div class="sp"><span class="tp">` + esc(fmt.Sprintf("%s-%d", p.Topic, p.Partition)) + `</span> <span class="muted">`)
		if p.Leader < 0 || !p.Initialized {
			b.WriteString(esc(T("share.notyet")) + `</span></div>`)
			continue
		}
		b.WriteString(esc(Tf("share.offsets", p.SPSO, p.SPEO, p.HWM, p.Available, p.Acquired, p.Acknowledged, p.Archived)))
		b.WriteString(`</span>`)
		shareStrip(b, p, names)
		b.WriteString(`</div>`)
	}
	b.WriteString(`<p class="share-key">`)
	for _, s := range []string{"AVAILABLE", "ACQUIRED", "ACKNOWLEDGED", "ARCHIVED"} {
		b.WriteString(`<span class="sk ` + shareClass(s) + `"></span>` + esc(shareState(s)) + ` `)
	}
	b.WriteString(`</p>`)
}

// shareState names a record state in the learner's language.
func shareState(state string) string {
	switch state {
	case "AVAILABLE":
		return T("share.state.AVAILABLE")
	case "ACQUIRED":
		return T("share.state.ACQUIRED")
	case "ACKNOWLEDGED":
		return T("share.state.ACKNOWLEDGED")
	}
	return T("share.state.ARCHIVED")
}

// shareClass is the CSS class of a record state.
func shareClass(state string) string {
	switch state {
	case "AVAILABLE":
		return "sr-av"
	case "ACQUIRED":
		return "sr-aq"
	case "ACKNOWLEDGED":
		return "sr-ok"
	}
	return "sr-ar"
}

// shareStrip draws the in-flight records of one share-partition between
// the SPSO mark (labelled at its left) and the SPEO mark after the last
// record (labelled at its right); each cell's title says its offset,
// state, delivery count and lock holder.
func shareStrip(b *strings.Builder, p view.SharePartitionView, names map[string]string) {
	recs := p.InFlight
	if len(recs) > shareStripMax {
		recs = recs[:shareStripMax]
	}
	const left = 28 // room for the SPSO label
	w, h := left+len(recs)*shareCellW+30, shareCellH+2
	fmt.Fprintf(b, `<svg class="sstrip" viewBox="0 0 %d %d" width="%d" height="%d">`, w, h, w, h)
	for i, r := range recs {
		x := left + 2 + i*shareCellW
		holder := names[r.Member]
		if holder == "" {
			holder = r.Member
		}
		title := Tf("share.cell", r.Offset, shareState(r.State), r.DeliveryCount)
		if r.State == "ACQUIRED" {
			title += " · " + Tf("share.cell.lock", holder, r.LockLeftMs)
		}
		fmt.Fprintf(b, `<g><title>%s</title><rect class="%s" x="%d" y="2" width="%d" height="%d"></rect>`, esc(title), shareClass(r.State), x, shareCellW-2, shareCellH-2)
		if r.DeliveryCount > 1 {
			fmt.Fprintf(b, `<text x="%d" y="%d">%d</text>`, x+(shareCellW-2)/2, shareCellH-2, r.DeliveryCount)
		}
		b.WriteString(`</g>`)
	}
	fmt.Fprintf(b, `<path class="smark" d="M%d 0v%d"></path><text class="sml end" x="%d" y="%d">SPSO</text>`, left, h, left-2, shareCellH-2)
	if len(recs) == len(p.InFlight) {
		x := left + 1 + len(recs)*shareCellW
		fmt.Fprintf(b, `<path class="smark" d="M%d 0v%d"></path><text class="sml" x="%d" y="%d">SPEO</text>`, x, h, x+2, shareCellH-2)
	}
	b.WriteString(`</svg>`)
}
