package log

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

// segment is one segment file plus its in-memory state: the page-cache tail
// not yet on the Store, the sparse indexes and the timestamps Kafka keeps.
type segment struct {
	base    int64
	name    string
	file    File
	created time.Duration

	disk     int64   // bytes on the Store
	dirty    pageBuf // page cache: the bytes at [disk, disk+dirty.len()), not on the Store yet
	unsynced bool    // written back to the Store without Sync

	next    int64 // offset after the last batch; base while empty
	batches int

	index          offsetIndex
	times          timeIndex
	lastIndexedPos int64
	maxTs          int64 // largest batch max timestamp (Kafka's maxTimestampSoFar), -1 if none
	maxTsOffset    int64 // last offset of the batch that set maxTs
	rollTs         int64 // first batch's max timestamp (Kafka's rollingBasedTimestamp) while non-empty

	cache readCache // the active segment's recently read batches, decoded

	// hdr is peek's scratch buffer: a local array would escape to the heap
	// on every call, since File.ReadAt is an interface call. One per
	// segment, not per package, as clusters may run in parallel.
	hdr [record.HeaderSize]byte
}

func newSegment(name string, base int64, file File, created time.Duration) *segment {
	s := &segment{base: base, name: name, file: file, created: created}
	s.reset()
	return s
}

func (s *segment) size() int64 { return s.disk + int64(s.dirty.len()) }

func (s *segment) reset() {
	s.next, s.batches = s.base, 0
	s.index.entries, s.times.entries = s.index.entries[:0], s.times.entries[:0]
	s.lastIndexedPos = 0
	s.maxTs, s.maxTsOffset, s.rollTs = record.NoTimestamp, s.base, record.NoTimestamp
	s.cache.clear()
}

// track records a batch placed at pos, with Kafka's rules (LogSegment.append
// and recover): the first batch sets the roll timestamp, the max timestamp is
// updated, and an index entry is added once more than index.interval.bytes
// separate this batch from the last indexed one.
func (s *segment) track(info record.Info, pos int64, indexInterval int) {
	if pos == 0 {
		s.rollTs = info.MaxTimestamp
	}
	if info.MaxTimestamp > s.maxTs {
		s.maxTs, s.maxTsOffset = info.MaxTimestamp, info.LastOffset
	}
	if pos-s.lastIndexedPos > int64(indexInterval) {
		s.index.append(info.LastOffset, pos)
		s.times.maybeAppend(s.maxTs, s.maxTsOffset)
		s.lastIndexedPos = pos
	}
	s.next = info.LastOffset + 1
	s.batches++
}

// readAt fills p from position pos, reading the Store for the flushed part
// and the page cache for the rest.
func (s *segment) readAt(p []byte, pos int64) error {
	if pos < 0 || pos+int64(len(p)) > s.size() {
		return fmt.Errorf("log: %s: read of %d bytes at %d past the segment end %d", s.name, len(p), pos, s.size())
	}
	n := 0
	if pos < s.disk {
		n = int(min(int64(len(p)), s.disk-pos))
		if m, err := s.file.ReadAt(p[:n], pos); m < n {
			return fmt.Errorf("log: %s: read at %d: %v", s.name, pos, err)
		}
	}
	if n < len(p) {
		s.dirty.copyAt(p[n:], int(pos+int64(n)-s.disk))
	}
	return nil
}

// peek reads the fixed header of the batch at pos.
func (s *segment) peek(pos int64) (record.Info, error) {
	n := min(int64(len(s.hdr)), s.size()-pos)
	if err := s.readAt(s.hdr[:n], pos); err != nil {
		return record.Info{}, err
	}
	info, err := record.PeekInfo(s.hdr[:n])
	if err == nil && pos+int64(info.Size) > s.size() {
		err = fmt.Errorf("batch of %d bytes runs past the segment end %d", info.Size, s.size())
	}
	if err != nil {
		return record.Info{}, fmt.Errorf("log: %s at byte %d: %w", s.name, pos, err)
	}
	return info, nil
}

// translate finds the first batch whose last offset is ≥ target, starting
// from the offset index (Kafka's LogSegment.translateOffset).
func (s *segment) translate(target int64) (pos int64, info record.Info, found bool, err error) {
	for pos = s.index.lookup(target); pos < s.size(); pos += int64(info.Size) {
		if info, err = s.peek(pos); err != nil {
			return 0, record.Info{}, false, err
		}
		if info.LastOffset >= target {
			return pos, info, true, nil
		}
	}
	return 0, record.Info{}, false, nil
}

// truncateAt cuts the segment at byte position pos (a batch boundary), on
// the Store and in the page cache, and rebuilds its indexes.
func (s *segment) truncateAt(pos int64, indexInterval int) error {
	if pos < s.disk {
		if err := s.file.Truncate(pos); err != nil {
			return fmt.Errorf("log: truncate %s to %d bytes: %w", s.name, pos, err)
		}
		s.disk = pos
		s.dirty.truncate(0)
	} else {
		s.dirty.truncate(int(pos - s.disk))
	}
	return s.rescan(indexInterval)
}

// rescan rebuilds indexes and timestamps from the batch headers.
func (s *segment) rescan(indexInterval int) error {
	s.reset()
	for pos := int64(0); pos < s.size(); {
		info, err := s.peek(pos)
		if err != nil {
			return err
		}
		s.track(info, pos, indexInterval)
		pos += int64(info.Size)
	}
	return nil
}

// writeBack moves page-cache bytes up to position upto onto the Store, and
// syncs if asked (a flush) or leaves the OS to do it (write-back).
func (s *segment) writeBack(upto int64, sync bool) error {
	if k := upto - s.disk; k > 0 {
		if err := s.dirty.writeTo(s.file, int(k), s.disk); err != nil {
			return fmt.Errorf("log: write %s at %d: %w", s.name, s.disk, err)
		}
		s.disk += k
		s.dirty.consume(int(k))
		s.unsynced = true
	}
	if sync && s.unsynced {
		if err := s.file.Sync(); err != nil {
			return fmt.Errorf("log: sync %s: %w", s.name, err)
		}
		s.unsynced = false
	}
	return nil
}

// SegmentInfo describes one segment for the UI.
type SegmentInfo struct {
	Name       string `json:"name"`
	BaseOffset int64  `json:"base_offset"`
	// NextOffset is the offset after the segment's last batch.
	NextOffset int64 `json:"next_offset"`
	Batches    int   `json:"batches"`
	SizeBytes  int64 `json:"size_bytes"`
	// UnflushedBytes of SizeBytes are still only in the page cache.
	UnflushedBytes int64 `json:"unflushed_bytes"`
	// LargestTimestamp is the largest batch max timestamp, -1 if none.
	LargestTimestamp int64         `json:"largest_timestamp"`
	CreatedAt        time.Duration `json:"created_at"`
	Active           bool          `json:"active"`
}

func (s *segment) info(active bool) SegmentInfo {
	return SegmentInfo{
		Name: s.name, BaseOffset: s.base, NextOffset: s.next, Batches: s.batches,
		SizeBytes: s.size(), UnflushedBytes: int64(s.dirty.len()),
		LargestTimestamp: s.maxTs, CreatedAt: s.created, Active: active,
	}
}
