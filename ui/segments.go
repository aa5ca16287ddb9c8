package ui

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// SegMark is one log segment of a replica as its strip shows it: a tick
// where it starts (when that offset is in the window), a hover area over
// the offsets it holds, and its description as the hover title.
type SegMark struct {
	TickX           int
	ShowTick        bool
	HitX, HitW      int
	Active          bool
	BoxX, BoxW      int // the active segment's rule (BoxW 0: not drawn)
	Title           string
	Base, Next      int64
	Size, Unflushed int64
}

// CleanerMark is the log cleaner's state of a compacted partition: the
// checkpoint on the leader's strip and the dirty ratio by the header.
type CleanerMark struct {
	Text      string // "dirty 0.62 > 0.50 → cleanable"
	Cleanable bool
	Title     string
}

// segmentMarks lays out a replica's segments on its strip; cx maps an
// offset to x and [start, start+StripWindow) is the window.
func segmentMarks(segs []view.Segment, cx func(int64) int, start int64) []SegMark {
	end := start + StripWindow
	var out []SegMark
	for _, s := range segs {
		lo, hi := max(s.BaseOffset, start), min(s.NextOffset, end)
		inTick := s.BaseOffset >= start && s.BaseOffset < end
		if hi <= lo && !inTick {
			continue // no offset of this segment is in the window
		}
		m := SegMark{Active: s.Active, Base: s.BaseOffset, Next: s.NextOffset, Size: s.SizeBytes, Unflushed: s.UnflushedBytes,
			Title: segmentTitle(s)}
		if inTick {
			m.TickX, m.ShowTick = cx(s.BaseOffset), true
		}
		if hi > lo {
			m.HitX, m.HitW = cx(lo), int(hi-lo)*cellW
		} else {
			// An empty segment (just rolled): hover the tick itself.
			m.HitX, m.HitW = cx(s.BaseOffset)-3, 6
		}
		if s.Active && hi > lo {
			m.BoxX, m.BoxW = m.HitX, m.HitW
		}
		out = append(out, m)
	}
	return out
}

func segmentTitle(s view.Segment) string {
	id := "view.segment"
	if s.Active {
		id = "view.segment.active"
	}
	t := Tf(id, s.BaseOffset, s.NextOffset, sizeString(s.SizeBytes))
	if s.UnflushedBytes > 0 {
		t += Tf("view.segment.unflushed", sizeString(s.UnflushedBytes))
	}
	return t
}

// segmentOf returns the title of the segment holding off ("" if none).
func segmentOf(segs []view.Segment, off int64) string {
	for _, s := range segs {
		if off >= s.BaseOffset && off < s.NextOffset {
			return segmentTitle(s)
		}
	}
	return ""
}

// cleanerOf returns the log cleaner's state of a replica of a compacted
// topic (cleanup.policy contains "compact"), or nil.
func cleanerOf(r view.ReplicaSnapshot) *view.CleanerState {
	if r.Storage == nil || r.Storage.Cleaner == nil || !strings.Contains(r.Storage.CleanupPolicy, "compact") {
		return nil
	}
	return r.Storage.Cleaner
}

// cleanerMark describes the dirty ratio against min.cleanable.dirty.ratio.
// Kafka's cleaner picks a log when its ratio is strictly above the minimum
// (LogCleanerManager.grabFilthiestCompactedLog).
func cleanerMark(c *view.CleanerState) *CleanerMark {
	m := &CleanerMark{Cleanable: c.DirtyRatio > c.MinCleanableDirtyRatio}
	r, lim := fmt.Sprintf("%.2f", c.DirtyRatio), fmt.Sprintf("%.2f", c.MinCleanableDirtyRatio)
	if m.Cleanable {
		m.Text = Tf("view.cleaner.yes", r, lim)
	} else {
		m.Text = Tf("view.cleaner.no", r, lim)
	}
	m.Title = Tf("view.cleaner.title", c.Checkpoint, sizeString(c.CleanBytes), sizeString(c.DirtyBytes), c.FirstUncleanableOffset, phrase(Locale, c.Limit), c.Cleanings)
	return m
}
