package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// GroupsHTML is the consumer groups panel's inner markup, escaped (one Vugu
// node, as the cluster view): per group its coordinator, state,
// generation and rebalance protocol (classic: eager or cooperative, with
// the assignor; consumer: KIP-848's epochs), the members with their assignments,
// and per partition the committed offset, the owner's position, the high
// watermark and the lag, with a bar placing the three on one scale.
func GroupsHTML(groups []view.GroupSnapshot) string {
	var b strings.Builder
	b.WriteString(`<h2 class="ph">`)
	b.WriteString(esc(T("groups.heading")))
	b.WriteString(`</h2>`)
	if len(groups) == 0 {
		b.WriteString(`<p class="muted">` + esc(T("groups.none")) + `</p>`)
		return b.String()
	}
	for _, g := range groups {
		b.WriteString(`<section class="group" id="group-`)
		b.WriteString(esc(g.GroupID))
		b.WriteString(`"><div class="group-head"><strong>`)
		b.WriteString(esc(g.GroupID))
		b.WriteString(`</strong><span class="gstate `)
		b.WriteString(esc(strings.ToLower(g.State)))
		b.WriteString(`">`)
		state := g.State // Kafka's names (Stable, PreparingRebalance…) stay; Unknown is ours
		if s, ok := locales[Locale]["groups.state."+g.State]; ok {
			state = s
		}
		b.WriteString(esc(state))
		b.WriteString(`</span><span class="muted">`)
		coord := "?"
		if g.Coordinator >= 0 {
			coord = "B" + strconv.Itoa(int(g.Coordinator))
		}
		head := fmt.Sprintf("%s %s · %s %d", T("groups.coord"), coord, T("groups.gen"), g.Generation)
		if g.GroupProtocol == "share" {
			head = fmt.Sprintf("%s %s · %s", T("groups.coord"), coord, Tf("share.head", g.GroupEpoch))
		} else if g.GroupProtocol == "consumer" {
			head = fmt.Sprintf("%s %s · %s", T("groups.coord"), coord, Tf("groups.kip848", g.GroupEpoch, g.AssignmentEpoch, g.Assignor))
		}
		if g.GroupProtocol == "share" {
			b.WriteString(esc(head) + `</span></div>`)
			shareMembers(&b, g)
			shareStrips(&b, g)
			b.WriteString(`</section>`)
			continue
		}
		if g.RebalanceProtocol != "" {
			head += " · " + T("groups.classic") + " · " + g.RebalanceProtocol
		}
		if g.Protocol != "" {
			head += " (" + g.Protocol + ")"
		}
		if !g.Loaded {
			head += " · " + T("groups.unloaded")
		}
		b.WriteString(esc(head))
		b.WriteString(`</span></div>`)
		if len(g.Members) > 0 {
			b.WriteString(`<ul class="members">`)
			for _, m := range g.Members {
				name := m.Consumer
				if name == "" {
					name = m.MemberID
				}
				b.WriteString(`<li><span class="mname">`)
				b.WriteString(esc(name))
				if m.MemberID == g.Leader {
					b.WriteString(` ★`)
				}
				b.WriteString(`</span> `)
				if m.MemberEpoch != nil {
					b.WriteString(`<span class="muted">` + esc(Tf("groups.member.epoch", *m.MemberEpoch)) + `</span> `)
				}
				if len(m.Assignment) == 0 && len(m.Target) == 0 {
					b.WriteString(`<span class="muted">` + esc(T("groups.nothing")) + `</span>`)
				}
				memberPartitions(&b, m)
				if m.ClientState != "" && m.ClientState != "STABLE" {
					b.WriteString(` <span class="cstate">`)
					b.WriteString(esc(m.ClientState))
					b.WriteString(`</span>`)
				}
				b.WriteString(`</li>`)
			}
			b.WriteString(`</ul>`)
		}
		if len(g.Partitions) > 0 {
			groupTable(&b, g)
		}
		b.WriteString(`</section>`)
	}
	return b.String()
}

// memberPartitions writes a member's partitions. A KIP-848 member's are its
// current assignment against its target: one it must still revoke is
// struck through, one it is waiting for (until its previous owner
// releases it) is dashed; each says so in its title.
func memberPartitions(b *strings.Builder, m view.GroupMember) {
	target := map[string]bool{}
	for _, tp := range m.Target {
		target[tp] = true
	}
	current := map[string]bool{}
	for _, tp := range m.Assignment {
		current[tp] = true
		class, title := "tp", ""
		if m.MemberEpoch != nil && !target[tp] {
			class, title = "tp revoking", T("groups.revoking")
		}
		b.WriteString(`<span class="` + class + `"`)
		if title != "" {
			b.WriteString(` title="` + esc(title) + `"`)
		}
		b.WriteString(`>` + esc(tp) + `</span>`)
	}
	for _, tp := range m.Target {
		if !current[tp] {
			b.WriteString(`<span class="tp pending" title="` + esc(T("groups.pending")) + `">` + esc(tp) + `</span>`)
		}
	}
	if m.MemberState != "" && m.MemberState != "STABLE" {
		b.WriteString(` <span class="cstate">` + esc(m.MemberState) + `</span>`)
	}
}

// groupTable writes the per-partition offsets of a group.
func groupTable(b *strings.Builder, g view.GroupSnapshot) {
	b.WriteString(`<table class="offsets"><thead><tr>`)
	for _, h := range []string{"groups.partition", "groups.owner", "groups.committed", "groups.position", "groups.hwm", "groups.lag"} {
		b.WriteString(`<th>` + esc(T(h)) + `</th>`)
	}
	b.WriteString(`<td></td>`) // over the lag bars: no header text (an empty th is an accessibility error)
	b.WriteString(`</tr></thead><tbody>`)
	for _, p := range g.Partitions {
		row := "gp"
		if p.Lag > 0 {
			row += " lagging"
		}
		b.WriteString(`<tr class="` + row + `"><td class="tp">`)
		b.WriteString(esc(fmt.Sprintf("%s-%d", p.Topic, p.Partition)))
		b.WriteString(`</td><td>`)
		if p.Owner == "" {
			b.WriteString(`<span class="muted">` + esc(T("groups.unassigned")) + `</span>`)
		} else {
			b.WriteString(esc(p.Owner))
		}
		b.WriteString(`</td>`)
		for _, v := range []int64{p.Committed, p.Position, p.HWM, p.Lag} {
			b.WriteString(`<td class="n">`)
			b.WriteString(offsetText(v))
			b.WriteString(`</td>`)
		}
		b.WriteString(`<td>`)
		offsetBar(b, p)
		b.WriteString(`</td></tr>`)
	}
	b.WriteString(`</tbody></table>`)
}

// offsetText is an offset, or "–" when unknown (negative).
func offsetText(v int64) string {
	if v < 0 {
		return "–"
	}
	return strconv.FormatInt(v, 10)
}

// Offset bar geometry: committed, position and HWM on one 0..HWM scale.
const offBarW, offBarH = 90, 10

// offsetBar draws committed (solid), read but not committed (light) and
// lag (up to the HWM) as one small SVG.
func offsetBar(b *strings.Builder, p view.GroupPartition) {
	hi := max(p.HWM, p.Position, p.Committed, 1)
	x := func(v int64) int { return int(max(v, 0) * offBarW / hi) }
	fmt.Fprintf(b, `<svg class="obar" viewBox="0 0 %d %d" width="%d" height="%d">`, offBarW, offBarH, offBarW, offBarH)
	fmt.Fprintf(b, `<rect class="ob-hwm" x="0" y="2" width="%d" height="6"></rect>`, x(p.HWM))
	if p.Position > p.Committed {
		fmt.Fprintf(b, `<rect class="ob-pos" x="0" y="2" width="%d" height="6"></rect>`, x(p.Position))
	}
	fmt.Fprintf(b, `<rect class="ob-com" x="0" y="2" width="%d" height="6"></rect>`, x(p.Committed))
	b.WriteString(`</svg>`)
}
