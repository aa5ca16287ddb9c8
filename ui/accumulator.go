package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Accumulator geometry: one small bar per batch.
const (
	batchW, batchH, batchGap = 26, 12, 3
	batchesShown             = 10 // per partition
	histoW, histoH           = 220, 34
	histoPad                 = 14 // room beside the bars for half a label
)

// AccumulatorHTML is the producer accumulator panel's inner markup,
// escaped (one Vugu node): per producer its requests in flight per
// broker, per partition the queued batches as fill bars (bytes over
// capacity) with the linger countdown of the oldest, the batches in
// flight, and the histogram of the batch sizes sent.
func AccumulatorHTML(producers []view.ProducerSnapshot) string {
	var b strings.Builder
	b.WriteString(`<h2 class="ph">`)
	b.WriteString(esc(T("accum.heading")))
	b.WriteString(`</h2>`)
	n := 0
	for _, p := range producers {
		if p.State == nil {
			continue
		}
		n++
		producerBlock(&b, p.Name, p.State)
	}
	if n == 0 {
		b.WriteString(`<p class="muted">` + esc(T("accum.none")) + `</p>`)
	}
	return b.String()
}

func producerBlock(b *strings.Builder, name string, s *view.ProducerState) {
	b.WriteString(`<section class="accum" id="accum-`)
	b.WriteString(esc(name))
	b.WriteString(`"><div class="accum-head"><strong>`)
	b.WriteString(esc(name))
	b.WriteString(`</strong><span class="muted">`)
	head := Tf("accum.head", sizeString(s.BatchSize), s.LingerMs,
		s.Compression, sizeString(s.BufferUsed), sizeString(s.BufferMemory))
	b.WriteString(esc(head))
	b.WriteString(`</span>`)
	if s.Compression == "zstd" {
		b.WriteString(`<span class="muted">`)
		b.WriteString(esc(T("accum.zstd")))
		b.WriteString(`</span>`)
	}
	if s.Blocked != "" {
		b.WriteString(`<span class="bad">`)
		b.WriteString(esc(Tf("accum.blocked", phrase(Locale, s.Blocked), fmtUS(s.BlockedForUS))))
		b.WriteString(`</span>`)
	}
	b.WriteString(`</div><div class="inflight">`)
	b.WriteString(esc(T("accum.inflight")))
	if len(s.InFlight) == 0 {
		b.WriteString(` <span class="muted">0</span>`)
	}
	for _, f := range s.InFlight {
		class := "ifl"
		if f.Requests >= s.MaxInFlight && s.MaxInFlight > 0 {
			class += " maxed"
		}
		fmt.Fprintf(b, ` <span class="%s">B%d %d/%d</span>`, class, f.Broker, f.Requests, s.MaxInFlight)
	}
	b.WriteString(`</div>`)
	rows := 0
	for _, pp := range s.Partitions {
		if len(pp.Queued) == 0 && len(pp.InFlight) == 0 {
			continue
		}
		rows++
		partitionRow(b, pp)
	}
	if rows == 0 {
		b.WriteString(`<p class="muted qrow">` + esc(T("accum.empty")) + `</p>`)
	}
	histogram(b, s.BatchSizeHisto)
	b.WriteString(`</section>`)
}

// partitionRow draws one partition's queue: queued batches oldest first,
// then those in flight.
func partitionRow(b *strings.Builder, pp view.ProducerPartition) {
	leader := "?"
	if pp.Leader >= 0 {
		leader = "B" + strconv.Itoa(int(pp.Leader))
	}
	b.WriteString(`<div class="qrow"><span class="tp">`)
	b.WriteString(esc(fmt.Sprintf("%s-%d → %s", pp.Topic, pp.Partition, leader)))
	b.WriteString(`</span>`)
	all := append(append([]view.ProducerBatch(nil), pp.Queued...), pp.InFlight...)
	shown := min(len(all), batchesShown)
	w := max(shown, 4)*(batchW+batchGap) + 2 // at least 4 slots: the countdowns line up
	fmt.Fprintf(b, `<svg class="batches" viewBox="0 0 %d %d" width="%d" height="%d">`, w, batchH+2, w, batchH+2)
	for i, bt := range all[:shown] {
		x := 1 + i*(batchW+batchGap)
		state := bt.State
		if i >= len(pp.Queued) {
			state = "in_flight"
		}
		fill := batchW
		if bt.Capacity > 0 {
			fill = int(min(int64(bt.Bytes), bt.Capacity) * batchW / bt.Capacity)
		}
		fmt.Fprintf(b, `<g class="batch %s"><title>%s</title><rect class="cap" x="%d" y="1" width="%d" height="%d" rx="2"></rect><rect class="fillb" x="%d" y="1" width="%d" height="%d" rx="2"></rect></g>`,
			esc(state), esc(batchTitle(bt, state)), x, batchW, batchH, x, max(fill, 1), batchH)
	}
	b.WriteString(`</svg>`)
	if more := len(all) - shown; more > 0 {
		fmt.Fprintf(b, `<span class="muted">+%d</span>`, more)
	}
	// The countdown of the batch that lingers (the open one), else the
	// state of the oldest.
	for i, q := range pp.Queued {
		if q.SendableInUS > 0 {
			b.WriteString(`<span class="linger">`)
			b.WriteString(esc(Tf("accum.linger", msString(q.SendableInUS))))
			b.WriteString(`</span>`)
			break
		}
		if i == len(pp.Queued)-1 {
			b.WriteString(`<span class="muted">`)
			b.WriteString(esc(strings.ReplaceAll(pp.Queued[0].State, "_", " ")))
			b.WriteString(`</span>`)
		}
	}
	b.WriteString(`</div>`)
}

func batchTitle(bt view.ProducerBatch, state string) string {
	name := strings.ReplaceAll(state, "_", " ")
	if t, ok := locales[Locale]["accum.state."+state]; ok {
		name = t
	}
	s := Tf("accum.batch", name, bt.Records, sizeString(int64(bt.Bytes)), sizeString(bt.Capacity), msString(bt.AgeUS))
	if bt.Attempts > 1 {
		s += Tf("accum.attempt", bt.Attempts)
	}
	if bt.SendableInUS > 0 {
		s += Tf("accum.sendable", msString(bt.SendableInUS))
	}
	if bt.BaseSequence >= 0 {
		s += Tf("accum.baseseq", bt.BaseSequence)
	}
	return s
}

// msString formats microseconds as milliseconds ("4.2 ms").
func msString(us int64) string {
	if us >= 10_000 {
		return fmt.Sprintf("%d ms", us/1000)
	}
	return fmt.Sprintf("%.1f ms", float64(us)/1000)
}

// histogram draws the batch-size histogram as bars, one per bucket.
func histogram(b *strings.Builder, hs []view.HistogramBucket) {
	var top int64
	for _, h := range hs {
		top = max(top, h.Count)
	}
	if top == 0 {
		return
	}
	b.WriteString(`<div class="histo"><span class="muted">`)
	b.WriteString(esc(T("accum.histo")))
	b.WriteString(`</span>`)
	bw := histoW / len(hs)
	// The labels are centred under their bars: a margin of histoPad each
	// side keeps the first and last from being cut.
	fmt.Fprintf(b, `<svg class="histo" viewBox="%d 0 %d %d" width="%d" height="%d">`, -histoPad, histoW+2*histoPad, histoH+12, histoW+2*histoPad, histoH+12)
	for i, h := range hs {
		hh := int(h.Count * histoH / top)
		if h.Count > 0 {
			hh = max(hh, 1)
		}
		le := T("accum.more")
		if h.LE >= 0 {
			le = "≤" + shortSize(h.LE)
		}
		fmt.Fprintf(b, `<rect class="hb" x="%d" y="%d" width="%d" height="%d"><title>%s: %d</title></rect>`,
			i*bw+1, histoH-hh, max(bw-2, 1), hh, esc(le), h.Count)
		last := i == len(hs)-1 && i%3 == 2
		if len(hs) <= 6 || i%3 == 0 || last { // room for a few labels only
			fmt.Fprintf(b, `<text class="hl" x="%d" y="%d">%s</text>`, i*bw+bw/2, histoH+10, esc(le))
		}
	}
	b.WriteString(`</svg></div>`)
}

// shortSize is a compact byte size for axis labels ("512", "16K", "1M").
func shortSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "M"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "K"
	}
	return strconv.FormatInt(n, 10)
}
