package log

import "fmt"

// Truncate removes every batch at or above offset to (a follower
// truncating to its leader's epoch end offset). Like Kafka it works on whole
// batches: a batch holding to is removed entirely, so LEO may end below to.
// Segments with a base above to are deleted; if to is below the first
// segment the log is emptied and restarted at to. to ≥ LEO does nothing.
func (l *Log) Truncate(to int64) error {
	if l.closed {
		return errClosed
	}
	if to < 0 {
		return fmt.Errorf("log: truncate %s to negative offset %d", l.dir, to)
	}
	if to >= l.LEO() {
		return nil
	}
	if to < l.segs[0].base {
		return l.TruncateFullyAndStartAt(to)
	}
	keep := l.floorSegment(to) + 1
	if err := l.dropSegments(keep, len(l.segs)); err != nil {
		return err
	}
	s := l.active()
	pos, _, found, err := s.translate(to)
	if err != nil {
		return err
	}
	if found {
		if err := s.truncateAt(pos, l.cfg.IndexIntervalBytes); err != nil {
			return err
		}
	}
	l.dropDirtyFrom(l.LEO())
	l.logStart = min(l.logStart, l.LEO())
	return nil
}

// TruncateFullyAndStartAt deletes every segment and starts an empty log at
// offset (a follower whose fetch offset is out of the leader's range).
func (l *Log) TruncateFullyAndStartAt(offset int64) error {
	if l.closed {
		return errClosed
	}
	if offset < 0 {
		return fmt.Errorf("log: restart %s at negative offset %d", l.dir, offset)
	}
	if err := l.dropSegments(0, len(l.segs)); err != nil {
		return err
	}
	s, err := l.createSegment(offset)
	if err != nil {
		return err
	}
	l.segs = append(l.segs, s)
	l.dirty = l.dirty[:0]
	l.logStart = offset
	return nil
}

// SetLogStartOffset raises the log start offset (DeleteRecords, or the
// broker restoring its checkpoint after Open). A lower value does nothing;
// above LEO is an error. Segments stay until DeleteSegmentsBelow.
func (l *Log) SetLogStartOffset(offset int64) error {
	if l.closed {
		return errClosed
	}
	if offset > l.LEO() {
		return fmt.Errorf("log: log start offset %d of %s would pass the log end offset %d", offset, l.dir, l.LEO())
	}
	l.logStart = max(l.logStart, offset)
	return nil
}

// DeleteSegmentsBelow deletes every segment whose batches all lie below
// offset — a segment goes when the next one starts at or below offset — and
// raises the log start offset to the first kept segment. The active segment
// is never deleted (Roll first). It returns what it deleted.
func (l *Log) DeleteSegmentsBelow(offset int64) ([]SegmentInfo, error) {
	if l.closed {
		return nil, errClosed
	}
	n := 0
	for n+1 < len(l.segs) && l.segs[n+1].base <= offset {
		n++
	}
	gone := l.Segments()[:n]
	if err := l.dropSegments(0, n); err != nil {
		return nil, err
	}
	l.logStart = max(l.logStart, l.segs[0].base)
	return gone, nil
}

// dropSegments closes and removes segments [from, to) and forgets their
// page cache.
func (l *Log) dropSegments(from, to int) error {
	for _, s := range l.segs[from:to] {
		s.file.Close()
		if err := l.store.Remove(s.name); err != nil {
			return fmt.Errorf("log: delete segment %s: %w", s.name, err)
		}
	}
	gone := l.segs[from:to]
	kept := l.dirty[:0]
	for _, d := range l.dirty {
		if !containsSeg(gone, d.seg) {
			kept = append(kept, d)
		}
	}
	l.dirty = kept
	l.segs = append(l.segs[:from], l.segs[to:]...)
	return nil
}

func containsSeg(segs []*segment, s *segment) bool {
	for _, x := range segs {
		if x == s {
			return true
		}
	}
	return false
}

// dropDirtyFrom forgets page-cache appends at or above offset (truncated).
func (l *Log) dropDirtyFrom(offset int64) {
	i := len(l.dirty)
	for i > 0 && l.dirty[i-1].base >= offset {
		i--
	}
	l.dirty = l.dirty[:i]
}
