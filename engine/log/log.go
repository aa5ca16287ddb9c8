package log

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

// Log is one partition replica's log. It is not safe for concurrent use.
// After Crash or Close only re-opening it with Open is meaningful.
type Log struct {
	store Store
	dir   string
	cfg   Config

	segs     []*segment // by base offset; the last is the active segment; never empty
	logStart int64

	dirty     []dirtyAppend // appends still in the page cache, oldest first
	dirtyArr  []dirtyAppend // the array dirty lives in (forgetWritten moves dirty along it)
	lastFlush time.Duration
	now       time.Duration // latest time the caller told us
	closed    bool
}

var errClosed = errors.New("log: closed (re-open it from its Store)")

// Open loads the log under dir from store, recovering it as a restarted
// broker would (see Recovery), or creates an empty log at offset 0. now is
// the virtual time, used for segment creation times and flush.ms.
func Open(store Store, dir string, cfg Config, now time.Duration) (*Log, Recovery, error) {
	if err := cfg.Validate(); err != nil {
		return nil, Recovery{}, err
	}
	l := &Log{store: store, dir: dir, cfg: cfg, lastFlush: now, now: now}
	rec, err := l.recover()
	if err != nil {
		l.closeFiles()
		return nil, rec, err
	}
	if len(l.segs) == 0 {
		s, err := l.createSegment(0)
		if err != nil {
			return nil, rec, err
		}
		l.segs = []*segment{s}
		rec.Segments = 1
	}
	l.logStart = l.segs[0].base
	rec.LogStartOffset, rec.LogEndOffset = l.logStart, l.LEO()
	return l, rec, nil
}

// Dir is the folder of the log's segment files in the Store.
func (l *Log) Dir() string { return l.dir }

// Config returns the log's settings.
func (l *Log) Config() Config { return l.cfg }

// SetConfig changes the settings (alter_config); they apply from the next
// append or MaybeFlush.
func (l *Log) SetConfig(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	l.cfg = cfg
	return nil
}

// LEO is the log end offset: the offset the next appended batch gets.
func (l *Log) LEO() int64 { return l.active().next }

// LogStartOffset is the first offset a reader may fetch.
func (l *Log) LogStartOffset() int64 { return l.logStart }

// Segments describes every segment, oldest first.
func (l *Log) Segments() []SegmentInfo {
	out := make([]SegmentInfo, len(l.segs))
	for i, s := range l.segs {
		out[i] = s.info(i == len(l.segs)-1)
	}
	return out
}

func (l *Log) active() *segment { return l.segs[len(l.segs)-1] }

func (l *Log) observe(now time.Duration) {
	if now > l.now {
		l.now = now
	}
}

// Append adds a batch whose offsets the caller (the leader, or a follower
// copying the leader) has already assigned: b.BaseOffset must equal LEO. The
// bytes go to the page cache; the flush policy may then write them out.
// The log may keep b itself for readers (the read cache): the caller must
// not change b, its records or their bytes afterwards.
func (l *Log) Append(b *record.Batch, now time.Duration) error {
	if l.closed {
		return errClosed
	}
	l.observe(now)
	if err := b.Validate(); err != nil {
		return fmt.Errorf("log: append to %s: %w", l.dir, err)
	}
	if leo := l.LEO(); b.BaseOffset != leo {
		return fmt.Errorf("log: append to %s: batch base offset %d is not the log end offset %d", l.dir, b.BaseOffset, leo)
	}
	size := b.SizeInBytes()
	if l.shouldRoll(b, size, now) {
		if err := l.roll(); err != nil {
			return err
		}
	}
	s := l.active()
	pos := s.size()
	s.track(record.Info{
		BaseOffset: b.BaseOffset, LastOffset: b.LastOffset(), PartitionLeaderEpoch: b.PartitionLeaderEpoch,
		MaxTimestamp: b.MaxTimestamp, NumRecords: int32(len(b.Records)), Size: size,
	}, pos, l.cfg.IndexIntervalBytes)
	s.dirty.appendBatch(b, size)
	s.cache.addAppended(pos, size, b)
	l.addDirty(dirtyAppend{
		seg: s, end: s.size(), base: b.BaseOffset, next: b.NextOffset(),
		records: len(b.Records), bytes: size, at: now,
	})
	if l.UnflushedMessages() >= l.cfg.FlushMessages {
		if err := l.flushAll(); err != nil {
			return &FlushError{Err: err}
		}
	}
	return nil
}

// shouldRoll is Kafka's LogSegment.shouldRoll: the batch would push the
// active segment past segment.bytes, or its max timestamp is more than
// segment.ms after the segment's first batch's (now minus the segment's
// creation time when batches carry no timestamp), or its offsets no longer
// fit in 32 bits relative to the segment base. An empty segment never rolls.
// Simplification: no index-full check (Kafka's segment.index.bytes).
func (l *Log) shouldRoll(b *record.Batch, size int, now time.Duration) bool {
	s := l.active()
	if s.size() == 0 {
		return false
	}
	if s.size() > int64(l.cfg.SegmentBytes)-int64(size) {
		return true
	}
	waited := now.Milliseconds() - s.created.Milliseconds()
	if s.rollTs >= 0 {
		waited = b.MaxTimestamp - s.rollTs
	}
	if waited > l.cfg.SegmentMs {
		return true
	}
	return b.LastOffset()-s.base > math.MaxInt32
}

// Roll starts a new active segment at LEO (retention rolls before deleting
// an idle active segment). Rolling an empty segment does nothing.
func (l *Log) Roll(now time.Duration) error {
	if l.closed {
		return errClosed
	}
	l.observe(now)
	if l.active().size() == 0 {
		return nil
	}
	return l.roll()
}

// roll closes the active segment for appends and opens a new one at LEO.
// Kafka then schedules a flush of everything below the new segment right
// away (UnifiedLog.roll); we do it synchronously.
func (l *Log) roll() error {
	old := l.active()
	// Kafka's onBecomeInactiveSegment: the time index gets the final max.
	old.times.maybeAppend(old.maxTs, old.maxTsOffset)
	s, err := l.createSegment(old.next)
	if err != nil {
		return err
	}
	l.segs = append(l.segs, s)
	if err := l.flushAll(); err != nil {
		return err
	}
	// The old segment's page-cache buffer is empty now: reuse it. Only the
	// active segment keeps a read cache.
	s.dirty, old.dirty = old.dirty, pageBuf{}
	old.cache = readCache{}
	return nil
}

// createSegment opens a fresh, empty segment file at base.
func (l *Log) createSegment(base int64) (*segment, error) {
	name := SegmentName(l.dir, base)
	f, err := l.store.Open(name)
	if err != nil {
		return nil, fmt.Errorf("log: create segment %s: %w", name, err)
	}
	// A leftover file with this name is stale (Kafka deletes it too).
	if n, err := f.Size(); err != nil || n > 0 {
		if err == nil {
			err = f.Truncate(0)
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("log: create segment %s: %w", name, err)
		}
	}
	return newSegment(name, base, f, l.now), nil
}

// floorSegment is the index of the last segment whose base is ≤ offset (0
// if offset is below every base).
func (l *Log) floorSegment(offset int64) int {
	i := sort.Search(len(l.segs), func(i int) bool { return l.segs[i].base > offset })
	return max(i-1, 0)
}

// Close flushes everything and closes the files: a clean shutdown.
func (l *Log) Close() error {
	if l.closed {
		return errClosed
	}
	err := l.flushAll()
	if cerr := l.closeFiles(); err == nil {
		err = cerr
	}
	l.closed = true
	return err
}

func (l *Log) closeFiles() error {
	var first error
	for _, s := range l.segs {
		if err := s.file.Close(); err != nil && first == nil {
			first = fmt.Errorf("log: close %s: %w", s.name, err)
		}
	}
	return first
}

// Delete closes the log without flushing (its records are going) and
// removes every file under its folder, as Kafka deletes a deleted topic's
// partition. Simplified: Kafka renames the folder to "-delete" and removes
// it file.delete.delay.ms (60 s) later; the files go at once here.
func (l *Log) Delete() error {
	if l.closed {
		return errClosed
	}
	err := l.closeFiles()
	l.closed = true
	if rerr := RemoveAll(l.store, l.dir); err == nil {
		err = rerr
	}
	return err
}

// RemoveAll removes every file under dir.
func RemoveAll(store Store, dir string) error {
	names, err := store.List(dir)
	if err != nil {
		return fmt.Errorf("log: list %q: %w", dir, err)
	}
	for _, name := range names {
		if err := store.Remove(name); err != nil {
			return fmt.Errorf("log: remove %s: %w", name, err)
		}
	}
	return nil
}
