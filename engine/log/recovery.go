package log

import (
	"errors"
	"fmt"
	"math"

	"github.com/brokerlab/brokerlab/engine/record"
)

// Recovery reports what Open found and what it had to drop.
type Recovery struct {
	// Segments and Batches count what the opened log holds.
	Segments       int   `json:"segments"`
	Batches        int   `json:"batches"`
	LogStartOffset int64 `json:"log_start_offset"`
	LogEndOffset   int64 `json:"log_end_offset"`
	// Dropped lists every cut, in segment order; empty after a clean shutdown.
	Dropped []Dropped `json:"dropped,omitempty"`
}

// Dropped is one cut made by recovery.
type Dropped struct {
	Segment    string `json:"segment"`
	BaseOffset int64  `json:"base_offset"`
	// Position is the byte where the cut starts (0 for a deleted file).
	Position int64 `json:"position"`
	Bytes    int64 `json:"bytes"`
	// Deleted says the whole segment file was removed.
	Deleted bool   `json:"deleted"`
	Reason  string `json:"reason"`
}

// BytesDropped is the total of every cut.
func (r Recovery) BytesDropped() int64 {
	var n int64
	for _, d := range r.Dropped {
		n += d.Bytes
	}
	return n
}

// recover loads every segment file under the log's folder, in base-offset
// order, checking each batch (layout, CRC, offsets). Like Kafka's LogLoader,
// it cuts a segment at its first bad batch — a torn tail after a crash, or
// corruption — and deletes every later segment, since offsets after a hole
// cannot be trusted. Simplification: Kafka only re-checks segments past the
// recovery point after an unclean shutdown; we check them all.
func (l *Log) recover() (Recovery, error) {
	var rec Recovery
	names, err := l.store.List(l.dir)
	if err != nil {
		return rec, fmt.Errorf("log: list %q: %w", l.dir, err)
	}
	var bases []int64
	for _, name := range names {
		if base, ok := parseSegmentName(l.dir, name); ok {
			bases = append(bases, base)
		}
	}
	// Names are zero-padded, so the sorted listing is already in base order.
	cutAt := "" // the segment where a cut happened; later ones go
	next := int64(0)
	for _, base := range bases {
		name := SegmentName(l.dir, base)
		if cutAt == "" && len(l.segs) > 0 && base < next {
			cutAt = name
			if err := l.deleteFile(name, base, &rec, fmt.Sprintf("base offset %d overlaps the previous segment, which ends at offset %d", base, next)); err != nil {
				return rec, err
			}
			continue
		}
		if cutAt != "" {
			if err := l.deleteFile(name, base, &rec, "follows the cut in "+cutAt); err != nil {
				return rec, err
			}
			continue
		}
		s, cut, err := l.loadSegment(name, base)
		if err != nil {
			return rec, err
		}
		l.segs = append(l.segs, s)
		rec.Segments++
		rec.Batches += s.batches
		next = s.next
		if cut != nil {
			rec.Dropped = append(rec.Dropped, *cut)
			cutAt = name
		}
	}
	return rec, nil
}

func (l *Log) deleteFile(name string, base int64, rec *Recovery, reason string) error {
	f, err := l.store.Open(name)
	if err != nil {
		return fmt.Errorf("log: recover %s: %w", name, err)
	}
	size, err := f.Size()
	f.Close()
	if err != nil {
		return fmt.Errorf("log: recover %s: %w", name, err)
	}
	if err := l.store.Remove(name); err != nil {
		return fmt.Errorf("log: recover: remove %s: %w", name, err)
	}
	rec.Dropped = append(rec.Dropped, Dropped{Segment: name, BaseOffset: base, Bytes: size, Deleted: true, Reason: reason})
	return nil
}

// loadSegment scans one segment file, truncating it at the first batch that
// is incomplete or invalid, and returns the cut it made, if any.
func (l *Log) loadSegment(name string, base int64) (*segment, *Dropped, error) {
	f, err := l.store.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("log: recover %s: %w", name, err)
	}
	size, err := f.Size()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("log: recover %s: %w", name, err)
	}
	s := newSegment(name, base, f, l.now)
	s.disk = size
	var buf []byte
	pos := int64(0)
	reason := ""
	for pos < size && reason == "" {
		var n int
		buf, n, reason = l.checkBatch(s, buf, pos, size-pos)
		if reason == "" {
			pos += int64(n)
		}
	}
	// Kafka's recover() ends by putting the segment's max timestamp in the
	// time index, as a roll does.
	s.times.maybeAppend(s.maxTs, s.maxTsOffset)
	if pos == size {
		return s, nil, nil
	}
	if err := f.Truncate(pos); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("log: recover: truncate %s to %d bytes: %w", name, pos, err)
	}
	s.disk = pos
	return s, &Dropped{Segment: name, BaseOffset: base, Position: pos, Bytes: size - pos, Reason: reason}, nil
}

// checkBatch validates the batch at pos and tracks it, or says why it is bad.
func (l *Log) checkBatch(s *segment, buf []byte, pos, left int64) ([]byte, int, string) {
	hdr := s.hdr[:min(left, record.HeaderSize)]
	if m, err := s.file.ReadAt(hdr, pos); m < len(hdr) {
		return buf, 0, fmt.Sprintf("read error: %v", err)
	}
	_, length, err := record.PeekHeader(hdr)
	if err != nil {
		return buf, 0, describe(err, left)
	}
	total := int64(record.LogOverhead) + int64(length)
	if total > left {
		return buf, 0, fmt.Sprintf("torn tail: batch header says %d bytes but only %d are left in the file", total, left)
	}
	if int64(cap(buf)) < total {
		buf = make([]byte, total)
	}
	buf = buf[:total]
	if m, err := s.file.ReadAt(buf, pos); int64(m) < total {
		return buf, 0, fmt.Sprintf("read error: %v", err)
	}
	b, n, err := record.Decode(buf)
	if err != nil {
		return buf, 0, describe(err, left)
	}
	if err := b.Validate(); err != nil {
		return buf, 0, "corrupt: " + err.Error()
	}
	if min := max(s.base, s.next); b.BaseOffset < min {
		return buf, 0, fmt.Sprintf("corrupt: batch base offset %d is below %d, offsets must grow", b.BaseOffset, min)
	}
	if b.LastOffset()-s.base > math.MaxInt32 {
		return buf, 0, fmt.Sprintf("corrupt: last offset %d is too far from the segment base %d", b.LastOffset(), s.base)
	}
	s.track(record.Info{
		BaseOffset: b.BaseOffset, LastOffset: b.LastOffset(), PartitionLeaderEpoch: b.PartitionLeaderEpoch,
		MaxTimestamp: b.MaxTimestamp, NumRecords: int32(len(b.Records)), Size: n,
	}, pos, l.cfg.IndexIntervalBytes)
	return buf, n, ""
}

func describe(err error, left int64) string {
	if errors.Is(err, record.ErrTruncated) {
		return fmt.Sprintf("torn tail: %d bytes left, not a whole batch (%v)", left, err)
	}
	if errors.Is(err, record.ErrUnsupported) {
		return "unreadable: " + err.Error()
	}
	return "corrupt: " + err.Error()
}
