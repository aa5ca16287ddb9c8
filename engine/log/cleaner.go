package log

import (
	"fmt"
	"math"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

// Cleanable is the log cleaner's view of a compacted log (Kafka's
// LogCleanerManager.cleanableOffsets and LogToClean): the clean head below
// the cleaner checkpoint, the dirty section the cleaner may compact, and
// the uncleanable tail it must leave alone.
type Cleanable struct {
	// FirstDirtyOffset is the cleaner checkpoint (offsets below it were
	// cleaned), clamped to the log.
	FirstDirtyOffset int64 `json:"first_dirty_offset"`
	// FirstUncleanableOffset is where cleaning must stop: the base of the
	// active segment, of the segment holding the high watermark, or of the
	// first segment younger than min.compaction.lag.ms, whichever is lowest.
	FirstUncleanableOffset int64 `json:"first_uncleanable_offset"`
	// CleanBytes is the size of the segments below the checkpoint,
	// CleanableBytes of the dirty segments before FirstUncleanableOffset and
	// UncleanableBytes of the rest.
	CleanBytes       int64 `json:"clean_bytes"`
	CleanableBytes   int64 `json:"cleanable_bytes"`
	UncleanableBytes int64 `json:"uncleanable_bytes"`
	// DirtyRatio is CleanableBytes / (CleanBytes + CleanableBytes), the
	// number min.cleanable.dirty.ratio is compared with.
	DirtyRatio float64 `json:"dirty_ratio"`
	// Limit says in plain words what stops the cleaner at FirstUncleanableOffset.
	Limit string `json:"limit"`
	// CheckpointReset is set when the checkpoint was outside [log start,
	// LEO] (segments deleted, or the log truncated) and was reset to the log
	// start offset.
	CheckpointReset bool `json:"checkpoint_reset,omitempty"`
}

// Cleanable measures the log for the cleaner. checkpoint is the cleaner's
// last end offset (Kafka's cleaner-offset-checkpoint; pass the log start
// offset if there is none); nothing at or above highWatermark is cleaned
// (Kafka's last stable offset; no transactions here); with a positive
// minCompactionLagMs a segment whose newest record is younger than that is
// not cleaned, nor anything after it. Simplification: the boundaries are
// segment bases, as Kafka's calculateCleanableBytes rounds them.
func (l *Log) Cleanable(checkpoint, highWatermark, nowMs, minCompactionLagMs int64) Cleanable {
	c := Cleanable{FirstDirtyOffset: checkpoint}
	if checkpoint < l.logStart || checkpoint > l.LEO() {
		c.FirstDirtyOffset, c.CheckpointReset = l.logStart, true
	}
	active := l.active()
	bound := active.base
	c.Limit = fmt.Sprintf("the active segment (base offset %d) is never cleaned", active.base)
	if hw := l.segs[l.floorSegment(highWatermark)].base; hw < bound {
		bound = hw
		c.Limit = fmt.Sprintf("the high watermark %d: records not yet on every in-sync replica are not cleaned", highWatermark)
	}
	if minCompactionLagMs > 0 {
		for _, s := range l.segs[l.floorSegment(c.FirstDirtyOffset):] {
			if s == active || s.base >= bound {
				break
			}
			if s.maxTs > nowMs-minCompactionLagMs {
				bound = s.base
				c.Limit = fmt.Sprintf("min.compaction.lag.ms=%d: segment %d holds records only %v old", minCompactionLagMs, s.base,
					time.Duration(nowMs-s.maxTs)*time.Millisecond)
				break
			}
		}
	}
	c.FirstUncleanableOffset = max(c.FirstDirtyOffset, bound)
	// Kafka counts segments overlapping each range, so a segment holding the
	// checkpoint counts as clean and as dirty.
	dirtyFrom := l.floorSegment(c.FirstDirtyOffset)
	for i, s := range l.segs {
		if s.base < c.FirstDirtyOffset {
			c.CleanBytes += s.size()
		}
		if s.base >= c.FirstUncleanableOffset {
			c.UncleanableBytes += s.size()
		} else if i >= dirtyFrom && c.FirstDirtyOffset < c.FirstUncleanableOffset {
			c.CleanableBytes += s.size()
		}
	}
	if total := c.CleanBytes + c.CleanableBytes; total > 0 {
		c.DirtyRatio = float64(c.CleanableBytes) / float64(total)
	}
	return c
}

// CleanConfig is what one cleaning needs besides the log.
type CleanConfig struct {
	// NowMs is the wall clock: tombstones get their delete horizon from it.
	NowMs int64
	// DeleteRetentionMs (delete.retention.ms): how long a tombstone stays
	// after the cleaning that first saw it.
	DeleteRetentionMs int64
	// RetainEmpty reports whether a batch that lost all its records must
	// stay as an empty batch: Kafka keeps each active producer's last batch
	// so the producer's sequence numbers survive. Nil keeps none.
	RetainEmpty func(producerID, lastOffset int64) bool
}

// CleanResult is what a cleaning did.
type CleanResult struct {
	// Checkpoint is the new cleaner checkpoint: everything below it is clean.
	Checkpoint int64 `json:"checkpoint"`
	// KeysInMap is how many distinct keys the dirty section holds.
	KeysInMap int `json:"keys"`
	// RecordsRead counts records in the cleaned segments; RecordsRemoved of
	// them are gone: superseded values (a later record has the same key),
	// TombstonesRemoved tombstones past their delete horizon and
	// KeylessRemoved records without a key (a compacted topic cannot keep them).
	RecordsRead       int64 `json:"records_read"`
	RecordsRemoved    int64 `json:"records_removed"`
	TombstonesRemoved int64 `json:"tombstones_removed"`
	KeylessRemoved    int64 `json:"keyless_removed"`
	BatchesRemoved    int   `json:"batches_removed"`
	BytesBefore       int64 `json:"bytes_before"`
	BytesAfter        int64 `json:"bytes_after"`
	SegmentsBefore    int   `json:"segments_before"`
	SegmentsAfter     int   `json:"segments_after"`
}

// Clean compacts the log (Kafka's Cleaner.doClean): it maps every key of
// the dirty section [c.FirstDirtyOffset, c.FirstUncleanableOffset) to its
// latest offset, then rewrites every segment below FirstUncleanableOffset —
// grouped so a group stays within segment.bytes — keeping for each key only
// its latest record, with every kept record's offset unchanged (the removed
// ones leave gaps). Tombstones get a delete horizon (now +
// delete.retention.ms) when first cleaned and are dropped by a later
// cleaning after it. Each group is written to a new file and swapped in
// through the Store (see swapIn). c must come from Cleanable on the log as
// it is now. Simplifications: the offset map holds every key (Kafka's
// dedupe buffer is bounded and may clean less per pass); transaction
// markers are always kept.
func (l *Log) Clean(c Cleanable, cfg CleanConfig) (CleanResult, error) {
	res := CleanResult{Checkpoint: c.FirstDirtyOffset, SegmentsBefore: len(l.segs), SegmentsAfter: len(l.segs)}
	if l.closed {
		return res, errClosed
	}
	if c.FirstDirtyOffset >= c.FirstUncleanableOffset || c.FirstUncleanableOffset > l.active().base {
		return res, nil
	}
	f := &cleanFilter{latest: map[string]int64{}, upper: c.FirstUncleanableOffset, nowMs: cfg.NowMs,
		deleteRetentionMs: cfg.DeleteRetentionMs, retainEmpty: cfg.RetainEmpty, res: &res}
	if err := l.buildOffsetMap(f.latest, c.FirstDirtyOffset, c.FirstUncleanableOffset); err != nil {
		return res, err
	}
	res.KeysInMap = len(f.latest)
	for _, g := range l.groupSegments(c.FirstUncleanableOffset) {
		if err := l.cleanGroup(g, f); err != nil {
			return res, err
		}
	}
	res.Checkpoint = c.FirstUncleanableOffset
	res.SegmentsAfter = len(l.segs)
	return res, nil
}

// buildOffsetMap records the latest offset of every key in [from, to).
func (l *Log) buildOffsetMap(latest map[string]int64, from, to int64) error {
	for _, s := range l.segs[l.floorSegment(from):] {
		if s.base >= to {
			break
		}
		batches, err := decodeAll(s, 0, s.size(), s.batches, nil)
		if err != nil {
			return err
		}
		for _, b := range batches {
			if b.IsControl() {
				continue
			}
			for _, r := range b.Records {
				off := b.BaseOffset + int64(r.OffsetDelta)
				if off >= from && off < to && r.Key != nil {
					latest[string(r.Key)] = off
				}
			}
		}
	}
	return nil
}

// segGroup is a run of segments cleaned into one, by the base offsets of
// its first and last segment (indexes shift as earlier groups are swapped).
type segGroup struct{ first, last int64 }

// groupSegments is Kafka's groupSegmentsBySize over the segments below
// upper: consecutive segments join while their total size stays within
// segment.bytes and their offsets fit 32 bits from the group's base.
func (l *Log) groupSegments(upper int64) []segGroup {
	var out []segGroup
	n := 0
	for n < len(l.segs) && l.segs[n].base < upper {
		n++
	}
	for i := 0; i < n; {
		j, size := i+1, l.segs[i].size()
		for j < n {
			last := upper - 1
			if j+1 < len(l.segs) {
				last = l.segs[j+1].base - 1
			}
			if size+l.segs[j].size() > int64(l.cfg.SegmentBytes) || (l.segs[j].size() > 0 && last-l.segs[i].base > math.MaxInt32) {
				break
			}
			size += l.segs[j].size()
			j++
		}
		out = append(out, segGroup{l.segs[i].base, l.segs[j-1].base})
		i = j
	}
	return out
}

// cleanGroup filters a group's batches and swaps the result in.
func (l *Log) cleanGroup(g segGroup, f *cleanFilter) error {
	from := l.floorSegment(g.first)
	to := l.floorSegment(g.last) + 1
	var out []byte
	for _, s := range l.segs[from:to] {
		if s.dirty.len() > 0 || s == l.active() {
			panic(fmt.Sprintf("log: cleaner: segment %s is active or not flushed", s.name))
		}
		f.res.BytesBefore += s.size()
		buf := make([]byte, s.size())
		if err := s.readAt(buf, 0); err != nil {
			return err
		}
		for off := 0; off < len(buf); {
			b, n, err := record.Decode(buf[off:])
			if err != nil {
				return fmt.Errorf("log: cleaner: %s at byte %d: %w", s.name, off, err)
			}
			switch kept := f.filter(b); {
			case kept == b:
				out = append(out, buf[off:off+n]...) // unchanged: copied byte for byte
			case kept != nil:
				out = kept.AppendTo(out)
			default:
				f.res.BatchesRemoved++
			}
			off += n
		}
	}
	f.res.BytesAfter += int64(len(out))
	return l.swapIn(from, to, out)
}
