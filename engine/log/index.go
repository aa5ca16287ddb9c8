package log

import "sort"

// offsetIndex is a segment's sparse offset index (Kafka's OffsetIndex, kept
// in memory): each entry maps the last offset of an indexed batch to the
// byte position where that batch starts. Entries are added at most every
// index.interval.bytes, so a lookup lands on a nearby batch and the rest is
// a short scan.
type offsetIndex struct{ entries []offsetEntry }

type offsetEntry struct {
	offset int64 // last offset of the batch at pos
	pos    int64
}

func (x *offsetIndex) append(offset, pos int64) {
	x.entries = append(x.entries, offsetEntry{offset, pos})
}

// lookup returns the position of the indexed batch with the largest last
// offset ≤ target, or 0: the place to start scanning for target.
func (x *offsetIndex) lookup(target int64) int64 {
	i := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].offset > target })
	if i == 0 {
		return 0
	}
	return x.entries[i-1].pos
}

// truncateAt drops entries for batches at or after byte position pos.
func (x *offsetIndex) truncateAt(pos int64) {
	i := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].pos >= pos })
	x.entries = x.entries[:i]
}

// timeIndex is a segment's time index (Kafka's TimeIndex, in memory): entries
// of (max timestamp so far, the offset that reached it), appended only when
// the timestamp grows.
type timeIndex struct{ entries []timeEntry }

type timeEntry struct {
	timestamp int64
	offset    int64
}

// maybeAppend adds an entry if ts is larger than the last one (and is a
// timestamp at all: Kafka's NO_TIMESTAMP is -1).
func (x *timeIndex) maybeAppend(ts, offset int64) {
	last := int64(-1)
	if n := len(x.entries); n > 0 {
		last = x.entries[n-1].timestamp
	}
	if ts > last {
		x.entries = append(x.entries, timeEntry{ts, offset})
	}
}

// lookup returns the offset of the entry with the largest timestamp ≤ ts, or
// base if there is none.
func (x *timeIndex) lookup(ts, base int64) int64 {
	i := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].timestamp > ts })
	if i == 0 {
		return base
	}
	return x.entries[i-1].offset
}
