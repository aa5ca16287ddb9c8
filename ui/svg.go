package ui

import (
	"html"
	"strconv"
	"strings"
)

// SVG returns the cluster view's inner SVG markup. The view is one Vugu
// node whose content is this markup (vg-html): hundreds of shapes cost the
// renderer one node instead of hundreds, which keeps a frame well under
// 16 ms. Every text and attribute from the engine is escaped; clicks are
// handled on the <svg> element by the target's id.
func (l ClusterLayout) SVG(selected string) string { return l.Markup(selected, "") }

// keylessPattern hatches keyless records (see keylessFill).
const keylessPattern = `<defs><pattern id="pat-keyless" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
	`<rect width="4" height="4" fill="#ffffff"></rect><rect width="2" height="4" fill="#5d6875"></rect></pattern></defs>`

// Markup is SVG with the keyboard's cursor on the record cell cursor: the
// cells are focusable (tabindex -1) buttons, the cursor drawn with a ring
// while the view has focus (see ClusterView.key).
func (l ClusterLayout) Markup(selected, cursor string) string {
	var b strings.Builder
	b.Grow(4096 + 180*len(l.Records))
	b.WriteString(keylessPattern)
	for _, n := range l.Nodes {
		b.WriteString(`<g class="`)
		b.WriteString(esc(n.Class))
		b.WriteString(`"><rect id="`)
		b.WriteString(esc(n.ID))
		b.WriteString(`"`)
		attrs(&b, "x", n.X, "y", n.Y, "width", n.W, "height", n.H)
		b.WriteString(` rx="6"></rect>`)
		text(&b, "t", n.TX, n.TY, n.Title)
		text(&b, "s", n.TX, n.SY, n.Sub)
		if n.Detail != "" {
			text(&b, "d", n.TX, n.DY, n.Detail)
		}
		b.WriteString(`</g>`)
	}
	if l.Quorum != "" {
		text(&b, "qn", l.QX, l.QY, l.Quorum)
		text(&b, "qs", l.QX, l.QY+17, l.QuorumNeed)
		text(&b, "qs", l.QX, l.QY+33, l.QuorumSub)
	}
	for _, p := range l.Parts {
		b.WriteString(`<g class="`)
		b.WriteString(esc(p.Class))
		b.WriteString(`"><text class="pt" x="8"`)
		attrs(&b, "y", p.TY)
		b.WriteString(`><tspan class="pn">`)
		b.WriteString(esc(p.Title))
		b.WriteString(`</tspan><tspan class="ps" dx="10">`)
		b.WriteString(esc(p.Sub))
		b.WriteString(`</tspan>`)
		if c := p.Cleaner; c != nil {
			b.WriteString(`<tspan class="pc`)
			if c.Cleanable {
				b.WriteString(` cleanable`)
			}
			b.WriteString(`" dx="10">`)
			b.WriteString(esc(c.Text))
			b.WriteString(`<title>`)
			b.WriteString(esc(c.Title))
			b.WriteString(`</title></tspan>`)
		}
		b.WriteString(`</text>`)
		for _, r := range p.Rows {
			b.WriteString(`<g class="`)
			b.WriteString(esc(r.Class))
			b.WriteString(`">`)
			text(&b, "rl", 8, r.LY, r.Label)
			b.WriteString(`<rect class="bg"`)
			attrs(&b, "x", r.X, "y", r.Y, "width", r.W, "height", r.H)
			b.WriteString(`></rect>`)
			path(&b, "committed", r.Committed)
			path(&b, "pending", r.Pending)
			path(&b, "dirty", r.Unflushed)
			segments(&b, r)
			if r.ShowHWM {
				line(&b, "hwm", r.HWMX, r.Y1, r.Y2)
			}
			if r.ShowLEO {
				line(&b, "leo", r.LEOX, r.Y1, r.Y2)
			}
			if r.ShowLSO {
				line(&b, "lso", r.LSOX, r.Y1, r.Y2)
			}
			b.WriteString(`</g>`)
		}
		for _, c := range p.Cells {
			b.WriteString(`<rect id="`)
			b.WriteString(esc(c.ID))
			b.WriteString(`" class="`)
			b.WriteString(esc(c.Class))
			if c.ID == selected {
				b.WriteString(" selected")
			}
			if c.ID == cursor {
				b.WriteString(" cursor")
			}
			b.WriteString(`" tabindex="-1" role="button"`)
			attrs(&b, "x", c.X, "y", c.Y, "width", c.W, "height", c.H)
			b.WriteString(` fill="`)
			b.WriteString(esc(c.Fill))
			b.WriteString(`" rx="2">`)
			if c.Title != "" {
				b.WriteString(`<title>`)
				b.WriteString(esc(c.Title))
				b.WriteString(`</title>`)
			}
			b.WriteString(`</rect>`)
		}
		b.WriteString(`</g>`)
	}
	if len(l.Parts) == 0 {
		text(&b, "empty", 8, l.H-8, T("view.empty"))
	}
	return b.String()
}

var esc = html.EscapeString

// segments writes a strip's segment marks (hover area, active rule,
// start tick, each titled) and the cleaner checkpoint.
func segments(b *strings.Builder, r StripRow) {
	for _, m := range r.Segs {
		b.WriteString(`<g class="seg`)
		if m.Active {
			b.WriteString(` active`)
		}
		b.WriteString(`"><title>`)
		b.WriteString(esc(m.Title))
		b.WriteString(`</title><rect class="segh"`)
		attrs(b, "x", m.HitX, "y", r.Y, "width", m.HitW, "height", r.H)
		b.WriteString(`></rect>`)
		if m.BoxW > 0 {
			// The active segment: a dashed rule along the strip's top edge.
			b.WriteString(`<line class="sega"`)
			attrs(b, "x1", m.BoxX, "x2", m.BoxX+m.BoxW, "y1", r.Y+1, "y2", r.Y+1)
			b.WriteString(`></line>`)
		}
		if m.ShowTick {
			line(b, "segt", m.TickX, r.Y1+1, r.Y2-1)
		}
		b.WriteString(`</g>`)
	}
	if r.ShowCkpt {
		// A flag above the strip, so the segment tick at the same offset
		// (the checkpoint usually sits on a segment boundary) stays visible.
		b.WriteString(`<g class="ckpt"><title>`)
		b.WriteString(esc(r.CkptTitle))
		b.WriteString(`</title><path class="ckh" d="M`)
		b.WriteString(strconv.Itoa(r.CkptX - 5))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(r.Y - 7))
		b.WriteString(`h10l-5 7z"></path></g>`)
	}
}

// attrs writes ` name="int"` pairs.
func attrs(b *strings.Builder, kv ...any) {
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteByte(' ')
		b.WriteString(kv[i].(string))
		b.WriteString(`="`)
		b.WriteString(strconv.Itoa(kv[i+1].(int)))
		b.WriteByte('"')
	}
}

func text(b *strings.Builder, class string, x, y int, s string) {
	b.WriteString(`<text class="`)
	b.WriteString(class)
	b.WriteString(`"`)
	attrs(b, "x", x, "y", y)
	b.WriteString(`>`)
	b.WriteString(esc(s))
	b.WriteString(`</text>`)
}

func path(b *strings.Builder, class, d string) {
	if d == "" {
		return
	}
	b.WriteString(`<path class="`)
	b.WriteString(class)
	b.WriteString(`" d="`)
	b.WriteString(d) // built by layout.go from numbers only
	b.WriteString(`"></path>`)
}

func line(b *strings.Builder, class string, x, y1, y2 int) {
	b.WriteString(`<line class="`)
	b.WriteString(class)
	b.WriteString(`"`)
	attrs(b, "x1", x, "x2", x, "y1", y1, "y2", y2)
	b.WriteString(`></line>`)
}
