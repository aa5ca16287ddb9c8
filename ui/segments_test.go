package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// snapSegs is snap3 with segments: the leader has [0,10) [10,25) and the
// active [25,30); the follower [0,26) active.
func snapSegs() view.Snapshot {
	s := snap3()
	r := s.Partitions[0].Replicas
	r[0].Segments = []view.Segment{
		{BaseOffset: 0, NextOffset: 10, SizeBytes: 700},
		{BaseOffset: 10, NextOffset: 25, SizeBytes: 2048},
		{BaseOffset: 25, NextOffset: 30, SizeBytes: 350, UnflushedBytes: 300, Active: true},
	}
	r[1].Segments = []view.Segment{{BaseOffset: 0, NextOffset: 26, SizeBytes: 1800, Active: true}}
	return s
}

func TestSegmentTicks(t *testing.T) {
	l := Layout(snapSegs(), Window{Follow: true}) // offsets 6..29
	lead, follower := l.Parts[0].Rows[0], l.Parts[0].Rows[1]
	if len(lead.Segs) != 3 {
		t.Fatalf("leader has %d segment marks, want 3 (each holds an offset in 6..29)", len(lead.Segs))
	}
	first, mid, act := lead.Segs[0], lead.Segs[1], lead.Segs[2]
	if first.ShowTick {
		t.Error("segment 0 starts before the window but its tick is drawn")
	}
	if first.HitX != labelW || first.HitW != 4*cellW {
		t.Errorf("segment 0 hover area x=%d w=%d, want offsets 6..9", first.HitX, first.HitW)
	}
	if !mid.ShowTick || mid.TickX != labelW+(10-6)*cellW || mid.Active || mid.BoxW != 0 {
		t.Errorf("segment 10: %+v", mid)
	}
	if !act.ShowTick || act.TickX != labelW+(25-6)*cellW || !act.Active || act.BoxX != act.TickX || act.BoxW != 5*cellW {
		t.Errorf("active segment: %+v", act)
	}
	if !strings.Contains(act.Title, "active segment base 25") || !strings.Contains(act.Title, "350 B") || !strings.Contains(act.Title, "300 B unflushed") {
		t.Errorf("active segment title %q", act.Title)
	}
	if strings.Contains(mid.Title, "unflushed") || !strings.Contains(mid.Title, "2.0 KB") {
		t.Errorf("segment 10 title %q", mid.Title)
	}
	if len(follower.Segs) != 1 || follower.Segs[0].ShowTick || !follower.Segs[0].Active {
		t.Errorf("follower marks %+v", follower.Segs)
	}
	// From offset 0: segment 0's tick is at the window's left edge, the
	// active segment (25..29) is past the window.
	l = Layout(snapSegs(), Window{Start: 0})
	lead = l.Parts[0].Rows[0]
	if len(lead.Segs) != 2 || !lead.Segs[0].ShowTick || lead.Segs[0].TickX != labelW || lead.Segs[1].HitW != 14*cellW {
		t.Errorf("window 0..23: %+v", lead.Segs)
	}
	// Records carry their key, commit state and segment in the hover title.
	for _, c := range l.Parts[0].Cells {
		if c.ID == "rec-orders-0-12" && !strings.Contains(c.Title, "offset 12 · key k · committed · segment base 10") {
			t.Errorf("record 12 title %q", c.Title)
		}
	}
	svg := Layout(snapSegs(), Window{Follow: true}).SVG("")
	if n := strings.Count(svg, `class="segt"`); n != 2 {
		t.Errorf("%d segment ticks in the markup, want 2", n)
	}
	if n := strings.Count(svg, `<g class="seg active">`); n != 2 || !strings.Contains(svg, `class="sega"`) {
		t.Errorf("%d active segment groups, want 2 (leader and follower)", n)
	}
	if !strings.Contains(svg, "<title>offset 29 · no key · not yet committed · active segment base 25") {
		t.Error("record 29 has no hover title with its segment")
	}
}

func TestSegmentJustRolled(t *testing.T) {
	// An empty active segment at the log end still gets a tick and a hover area.
	m := segmentMarks([]view.Segment{{BaseOffset: 0, NextOffset: 30}, {BaseOffset: 30, NextOffset: 30, Active: true}},
		func(o int64) int { return int(o) * 10 }, 6)
	if len(m) != 1 || m[0].Base != 0 {
		t.Fatalf("marks %+v: the empty segment at 30 is past the window 6..29", m)
	}
	m = segmentMarks([]view.Segment{{BaseOffset: 0, NextOffset: 20}, {BaseOffset: 20, NextOffset: 20, Active: true}},
		func(o int64) int { return int(o) * 10 }, 6)
	if len(m) != 2 || !m[1].ShowTick || m[1].TickX != 200 || m[1].HitW != 6 || m[1].BoxW != 0 {
		t.Errorf("empty active segment: %+v", m)
	}
}

func compacted(s view.Snapshot, ratio, lim float64, ckpt int64) view.Snapshot {
	for i := range s.Partitions[0].Replicas {
		s.Partitions[0].Replicas[i].Storage = &view.ReplicaStorage{CleanupPolicy: "compact,delete",
			Cleaner: &view.CleanerState{Checkpoint: ckpt + int64(i), DirtyRatio: ratio, MinCleanableDirtyRatio: lim, Limit: "active segment"}}
	}
	return s
}

func TestCleanerMarks(t *testing.T) {
	l := Layout(compacted(snap3(), 0.62, 0.5, 18), Window{Follow: true})
	p := l.Parts[0]
	if p.Cleaner == nil || !p.Cleaner.Cleanable || p.Cleaner.Text != "dirty 0.62 > 0.50 → cleanable" {
		t.Fatalf("cleaner mark %+v", p.Cleaner)
	}
	lead, follower := p.Rows[0], p.Rows[1]
	if !lead.ShowCkpt || lead.CkptX != labelW+(18-6)*cellW || !strings.Contains(lead.CkptTitle, "checkpoint 18") {
		t.Errorf("leader checkpoint %v x=%d %q", lead.ShowCkpt, lead.CkptX, lead.CkptTitle)
	}
	if follower.ShowCkpt {
		t.Error("the checkpoint is drawn on a follower")
	}
	svg := l.SVG("")
	if !strings.Contains(svg, `<tspan class="pc cleanable" dx="10">dirty 0.62 &gt; 0.50 → cleanable`) || strings.Count(svg, `class="ckh"`) != 1 {
		t.Errorf("markup lacks the cleaner: %s", svg)
	}

	// At the minimum the cleaner waits (Kafka needs strictly more).
	p = Layout(compacted(snap3(), 0.5, 0.5, 2), Window{Follow: true}).Parts[0]
	if p.Cleaner == nil || p.Cleaner.Cleanable || !strings.HasPrefix(p.Cleaner.Text, "dirty 0.50 ≤ 0.50") {
		t.Errorf("ratio at the minimum: %+v", p.Cleaner)
	}
	if p.Rows[0].ShowCkpt {
		t.Error("checkpoint 2 is outside the window 6..29 but drawn")
	}

	// A delete-only topic shows no cleaner.
	s := compacted(snap3(), 0.9, 0.5, 10)
	for i := range s.Partitions[0].Replicas {
		s.Partitions[0].Replicas[i].Storage.CleanupPolicy = "delete"
	}
	l = Layout(s, Window{Follow: true})
	if l.Parts[0].Cleaner != nil || l.Parts[0].Rows[0].ShowCkpt || strings.Contains(l.SVG(""), `class="pc`) {
		t.Error("a delete-only topic shows the cleaner")
	}
}
