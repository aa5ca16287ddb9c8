package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// ISR timeline geometry (SVG units) and the virtual time it covers.
const (
	ISRWindowUS = 30_000_000
	isrRows     = 12 // partitions drawn at most
	isrLabelW   = 84 // the least room for the partition names
	isrCharW    = 7  // the width of a character of the 11 px monospace names
	isrNameMax  = 28 // characters of a name shown; longer ones are cut with "…"
	isrStripW   = 420
	isrRowH     = 16
	isrW        = isrLabelW + isrStripW + 8
)

// isrState is one partition's ISR, leader and leader epoch from some time on.
type isrState struct {
	TUS      int64
	ISR      []int32
	Replicas int
	Leader   int32
	Epoch    int32
}

type isrTrack struct {
	Topic     string
	Partition int32
	States    []isrState // oldest first; States[0] may start before the window
}

// ISRHistory keeps each partition's ISR changes over the last
// ISRWindowUS, built from the snapshots of successive frames (changes
// that start and end between two frames are not seen: a simplification).
type ISRHistory struct {
	Tracks []*isrTrack
	index  map[string]*isrTrack
	lastUS int64
}

// Add records the partitions of a snapshot (internal topics skipped).
func (h *ISRHistory) Add(s view.Snapshot) {
	if s.TimeUS < h.lastUS || h.index == nil { // a replay went back in time
		*h = ISRHistory{index: map[string]*isrTrack{}}
	}
	h.lastUS = s.TimeUS
	for _, p := range s.Partitions {
		if internalTopic(p.Topic) {
			continue
		}
		key := p.Topic + "\x00" + strconv.Itoa(int(p.Partition))
		tr := h.index[key]
		if tr == nil {
			tr = &isrTrack{Topic: p.Topic, Partition: p.Partition}
			h.index[key] = tr
			h.Tracks = append(h.Tracks, tr)
		}
		st := isrState{TUS: s.TimeUS, ISR: p.ISR, Replicas: len(p.Replicas), Leader: p.Leader, Epoch: p.LeaderEpoch}
		same := false
		if n := len(tr.States); n > 0 {
			last := tr.States[n-1]
			same = last.Leader == st.Leader && last.Epoch == st.Epoch && slices.Equal(last.ISR, st.ISR)
		}
		if !same {
			st.ISR = slices.Clone(st.ISR)
			tr.States = append(tr.States, st)
		}
		// Keep one state that starts before the window: it covers its start.
		from := s.TimeUS - ISRWindowUS
		drop := 0
		for drop+1 < len(tr.States) && tr.States[drop+1].TUS <= from {
			drop++
		}
		if drop > 0 {
			tr.States = append(tr.States[:0:0], tr.States[drop:]...)
		}
	}
}

// SVG draws one strip per partition over the last ISRWindowUS up to nowUS:
// a bar per ISR state whose colour says full, shrunk, the leader alone or
// no leader, the members written when there is room, and a diamond where
// the leader epoch changed. Without partitions it returns "".
func (h *ISRHistory) SVG(nowUS int64) (markup string, w, ht int) {
	if len(h.Tracks) == 0 {
		return "", 0, 0
	}
	var b strings.Builder
	from := nowUS - ISRWindowUS
	rows := h.Tracks
	if len(rows) > isrRows {
		rows = rows[:isrRows]
	}
	// The strips start after the longest name, so none is hidden under them.
	names := make([]string, len(rows))
	labelW := isrLabelW
	for i, tr := range rows {
		names[i] = fmt.Sprintf("%s-%d", tr.Topic, tr.Partition)
		if r := []rune(names[i]); len(r) > isrNameMax {
			names[i] = string(r[:isrNameMax-1]) + "…"
		}
		labelW = max(labelW, isrCharW*len([]rune(names[i]))+8)
	}
	tx := func(t int64) int {
		return labelW + int(float64(max(t, from)-from)/ISRWindowUS*isrStripW)
	}
	// Hatches say what the colours say (a shrunk ISR; a leader alone or
	// none), for a learner who does not tell orange from red or green.
	b.WriteString(isrPatterns)
	y := 4
	for i, tr := range rows {
		b.WriteString(`<text class="il"`)
		attrs(&b, "x", 0, "y", y+isrRowH-5)
		b.WriteString(`>`)
		b.WriteString(esc(names[i]))
		b.WriteString(`<title>`)
		b.WriteString(esc(fmt.Sprintf("%s-%d", tr.Topic, tr.Partition)))
		b.WriteString(`</title></text>`)
		b.WriteString(`<rect class="ibg"`)
		attrs(&b, "x", labelW, "y", y, "width", isrStripW, "height", isrRowH-3)
		b.WriteString(`></rect>`)
		for i, st := range tr.States {
			end := nowUS
			if i+1 < len(tr.States) {
				end = tr.States[i+1].TUS
			}
			if end < from {
				continue
			}
			x0, x1 := tx(st.TUS), tx(end)
			class := "isr full"
			switch {
			case st.Leader < 0:
				class = "isr offline"
			case len(st.ISR) <= 1 && st.Replicas > 1:
				class = "isr alone"
			case len(st.ISR) < st.Replicas:
				class = "isr shrunk"
			}
			b.WriteString(`<rect class="` + class + `"`)
			attrs(&b, "x", x0, "y", y, "width", max(1, x1-x0), "height", isrRowH-3)
			b.WriteString(`><title>`)
			b.WriteString(esc(isrTitle(st)))
			b.WriteString(`</title></rect>`)
			if pat := isrPattern(class); pat != "" {
				b.WriteString(`<rect class="ipat" fill="url(#` + pat + `)" aria-hidden="true"`)
				attrs(&b, "x", x0, "y", y, "width", max(1, x1-x0), "height", isrRowH-3)
				b.WriteString(`></rect>`)
			}
			if lbl := isrLabel(st); x1-x0 >= 6*len(lbl)+8 {
				text(&b, "im", x0+4, y+isrRowH-6, lbl)
			}
			if i > 0 && st.Epoch != tr.States[i-1].Epoch && st.TUS >= from {
				fmt.Fprintf(&b, `<path class="iep" d="M%d %dl4 4l-4 4l-4-4z"><title>%s</title></path>`, x0, y-2,
					esc(fmt.Sprintf("leader epoch %d → %d at %s", tr.States[i-1].Epoch, st.Epoch, fmtUS(st.TUS))))
			}
		}
		y += isrRowH + 2
	}
	if more := len(h.Tracks) - len(rows); more > 0 {
		text(&b, "il", labelW, y+10, Tf("isr.more", more))
		y += 14
	}
	// The time axis: window start and now.
	text(&b, "ia", labelW, y+10, fmt.Sprintf("−%d s", ISRWindowUS/1_000_000))
	b.WriteString(`<text class="ia end"`)
	attrs(&b, "x", labelW+isrStripW, "y", y+10)
	b.WriteString(`>` + esc(T("isr.now")) + `</text>`)
	return b.String(), isrW + labelW - isrLabelW, y + 14
}

// isrLabel is the ISR members shown inside a bar ("1,2,3" or "no leader").
func isrLabel(st isrState) string {
	if st.Leader < 0 {
		return T("node.noleader")
	}
	return joinIDs(st.ISR, ",")
}

func isrTitle(st isrState) string {
	return Tf("isr.tip", fmtUS(st.TUS), st.Leader, st.Epoch, isrLabel(st), st.Replicas)
}

// isrPatterns are the ISR chart's hatches: single for a shrunk ISR, crossed
// for a leader alone or no leader.
const isrPatterns = `<defs><pattern id="isr-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
	`<rect width="1.5" height="6" fill="#1d232a" fill-opacity=".35"></rect></pattern>` +
	`<pattern id="isr-cross" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
	`<rect width="1.5" height="6" fill="#1d232a" fill-opacity=".4"></rect><rect width="6" height="1.5" fill="#1d232a" fill-opacity=".4"></rect></pattern></defs>`

// isrPattern is the hatch of a state's class ("" for a full ISR).
func isrPattern(class string) string {
	switch class {
	case "isr shrunk":
		return "isr-hatch"
	case "isr alone", "isr offline":
		return "isr-cross"
	}
	return ""
}
