package log

import "time"

// dirtyAppend is one appended batch whose bytes are still only in the page
// cache. Appends reach the Store in order, so the dirty ones are always the
// newest.
type dirtyAppend struct {
	seg        *segment
	end        int64 // position in seg just after the batch
	base, next int64
	records    int
	bytes      int
	at         time.Duration
}

// Lost is what a Crash dropped from the page cache.
type Lost struct {
	// FromOffset..ToOffset (exclusive) is the offset range lost; equal when
	// nothing was lost.
	FromOffset int64 `json:"from_offset"`
	ToOffset   int64 `json:"to_offset"`
	Batches    int   `json:"batches"`
	Records    int64 `json:"records"`
	Bytes      int64 `json:"bytes"`
}

// FlushedOffset is the recovery point: every batch below it is on the Store
// and survives a Crash.
func (l *Log) FlushedOffset() int64 {
	if len(l.dirty) > 0 {
		return l.dirty[0].base
	}
	return l.LEO()
}

// UnflushedMessages is LEO minus the recovery point, as Kafka counts it for
// flush.messages (offsets, which are records for batches this log accepts).
func (l *Log) UnflushedMessages() int64 { return l.LEO() - l.FlushedOffset() }

// UnflushedBytes is how many appended bytes live only in the page cache.
func (l *Log) UnflushedBytes() int64 {
	var n int64
	for _, d := range l.dirty {
		n += int64(d.bytes)
	}
	return n
}

// Flush writes the page cache to the Store and syncs it (fsync).
func (l *Log) Flush() error {
	if l.closed {
		return errClosed
	}
	return l.flushAll()
}

func (l *Log) flushAll() error {
	if len(l.dirty) == 0 && !l.anyUnsynced() {
		return nil
	}
	for _, s := range l.segs {
		if err := s.writeBack(s.size(), true); err != nil {
			l.forgetWritten()
			return err
		}
	}
	l.dirty = l.dirty[:0]
	l.lastFlush = l.now
	return nil
}

func (l *Log) anyUnsynced() bool {
	for _, s := range l.segs {
		if s.unsynced {
			return true
		}
	}
	return false
}

// forgetWritten drops dirty entries whose bytes reached the Store. It
// slices them off the front rather than moving the rest down: the list
// holds ~30 s of appends (the OS write-back model), and moving it at every
// write-back was a copy of the whole list per append. addDirty moves the
// list back to the array's start when it reaches the end.
func (l *Log) forgetWritten() {
	i := 0
	for i < len(l.dirty) && l.dirty[i].end <= l.dirty[i].seg.disk {
		i++
	}
	clear(l.dirty[:i]) // let go of their segments (retention may delete them)
	l.dirty = l.dirty[i:]
}

// addDirty appends d to l.dirty. When the list reached its array's end
// with at least half the array free before it (forgetWritten slid it
// along), it moves back to the start first instead of reallocating.
func (l *Log) addDirty(d dirtyAppend) {
	n := len(l.dirty)
	if n == cap(l.dirty) && n > 0 && 2*n <= cap(l.dirtyArr) {
		l.dirty = l.dirtyArr[:copy(l.dirtyArr, l.dirty)]
	}
	if len(l.dirty) == cap(l.dirty) { // a new array, twice the list
		l.dirtyArr = make([]dirtyAppend, max(2*len(l.dirty), 16))
		l.dirty = l.dirtyArr[:copy(l.dirtyArr, l.dirty)]
	}
	l.dirty = append(l.dirty, d)
}

// MaybeFlush runs the time-based policies and reports whether it wrote
// anything: the OS write-back model (Config.OSWritebackDelay: appends older
// than the delay are written to the Store without fsync, as Linux's flusher
// threads do) and flush.ms (a full flush once FlushMs passed since the last
// one, like Kafka's LogManager.flushDirtyLogs).
func (l *Log) MaybeFlush(now time.Duration) (bool, error) {
	if l.closed {
		return false, errClosed
	}
	l.observe(now)
	acted := false
	if d := l.cfg.OSWritebackDelay; d > 0 {
		i := 0
		for i < len(l.dirty) && now-l.dirty[i].at >= d {
			i++
		}
		for j := 0; j < i; j++ {
			// Write each segment up to its last expired append.
			if j+1 < i && l.dirty[j+1].seg == l.dirty[j].seg {
				continue
			}
			if err := l.dirty[j].seg.writeBack(l.dirty[j].end, false); err != nil {
				l.forgetWritten()
				return acted, err
			}
			acted = true
		}
		l.forgetWritten()
	}
	if len(l.dirty) > 0 && msElapsed(l.lastFlush, now, l.cfg.FlushMs) {
		if err := l.flushAll(); err != nil {
			return acted, err
		}
		acted = true
	}
	return acted, nil
}

// Crash models a power loss: everything still in the page cache is gone,
// the files are closed, and the log must be re-opened from its Store (which
// is what a restarted broker finds). It returns what was lost.
func (l *Log) Crash() Lost {
	if l.closed {
		return Lost{}
	}
	lost := Lost{FromOffset: l.FlushedOffset(), ToOffset: l.LEO()}
	for _, d := range l.dirty {
		lost.Batches++
		lost.Records += int64(d.records)
		lost.Bytes += int64(d.bytes)
	}
	for _, s := range l.segs {
		s.dirty, s.cache = pageBuf{}, readCache{}
	}
	l.dirty = nil
	l.closeFiles()
	l.closed = true
	return lost
}

// FlushError is returned by Append when the batch was appended (it is in
// the page cache and readable) but the flush that flush.messages asked for
// failed — a full or failing disk. Nothing already on disk is affected.
type FlushError struct{ Err error }

func (e *FlushError) Error() string { return "log: appended, but the flush failed: " + e.Err.Error() }

func (e *FlushError) Unwrap() error { return e.Err }
