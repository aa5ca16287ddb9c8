package log

import (
	"sort"

	"github.com/brokerlab/brokerlab/engine/record"
)

// readCache keeps the most recently read run of a segment's batches
// decoded. Every batch near the log end is read several times — once by
// each follower and again by consumers — and decoding it each time was
// most of a fetch's cost. The cached batches are handed to every reader,
// which only read them (a follower appends a copy of the header; its log
// encodes its own bytes); their keys and values alias the buffer they were
// decoded from, or are the appended batch's own (Append caches what it
// appends at the end of the run), never the bytes of the segment. A cache is a contiguous
// run of batches, entries[i+1].pos = entries[i].pos + entries[i].size; a
// read that does not touch it decodes as before. It is a simulation
// shortcut, not a model: nothing observable depends on hits or misses.
type readCache struct {
	entries []cachedBatch // entries[head:] are live
	// batches[i] is entries[i]'s batch. A read served from the cache alone
	// returns a slice of this array (capacity cut to its length), which
	// readers may keep (a consumer holds fetched batches until a poll takes
	// them): a slot once set is never written again. Dropping entries from
	// the front leaves their slots; moving or cutting the run starts a new
	// array.
	batches []*record.Batch
	head    int
	bytes   int // size of the live entries
}

type cachedBatch struct {
	pos        int64
	size       int
	base, last int64 // the batch's base and last offsets
}

// readCacheBytes bounds a segment's cache: enough for the readers that
// follow the log end, small beside the log itself.
const readCacheBytes = 1 << 20

func (c *readCache) live() []cachedBatch { return c.entries[c.head:] }

// end is the position after the cached run (or -1 when empty).
func (c *readCache) end() int64 {
	if live := c.live(); len(live) > 0 {
		last := live[len(live)-1]
		return last.pos + int64(last.size)
	}
	return -1
}

// at returns the index in live() of the batch at byte position pos.
func (c *readCache) at(pos int64) (int, bool) {
	live := c.live()
	i := sort.Search(len(live), func(i int) bool { return live[i].pos >= pos })
	return i, i < len(live) && live[i].pos == pos
}

// byOffset returns the index in live() of the first batch whose last
// offset is ≥ target, if the cache can tell: target lies within the run.
func (c *readCache) byOffset(target int64) (int, bool) {
	live := c.live()
	if len(live) == 0 || target < live[0].base || target > live[len(live)-1].last {
		return 0, false
	}
	i := sort.Search(len(live), func(i int) bool { return live[i].last >= target })
	return i, i < len(live)
}

// add caches a batch decoded at pos if it extends the run; a batch past the
// run's end starts a new run (readers moved on), one before it is dropped.
func (c *readCache) add(pos int64, size int, b *record.Batch) {
	if end := c.end(); end != pos {
		if end >= 0 && pos < end {
			return
		}
		c.clear()
	}
	c.entries = append(c.entries, cachedBatch{pos: pos, size: size, base: b.BaseOffset, last: b.LastOffset()})
	c.batches = append(c.batches, b)
	c.bytes += size
	for c.bytes > readCacheBytes && len(c.live()) > 1 {
		c.bytes -= c.entries[c.head].size
		c.head++
	}
	if c.head > 64 && c.head > len(c.entries)/2 {
		n := copy(c.entries, c.entries[c.head:])
		c.entries = c.entries[:n]
		// The next append copies the live batches to a new array; the old
		// one stays with the readers holding parts of it.
		c.batches, c.head = c.batches[c.head:len(c.batches):len(c.batches)], 0
	}
}

// batch is the batch of live()[i].
func (c *readCache) batch(i int) *record.Batch { return c.batches[c.head+i] }

// run returns the batches of live()[i:j], to be kept by readers: their
// slots are never written again.
func (c *readCache) run(i, j int) []*record.Batch {
	return c.batches[c.head+i : c.head+j : c.head+j]
}

// addAppended caches a batch just appended at pos, as if a reader had
// decoded it, when it extends a run that readers keep up with: a reader at
// the log end then gets it without decoding the bytes just encoded. A log
// nobody reads (a follower's) starts no run. The batch must read back the
// same as its decoded bytes would: records with headers are left to be
// decoded (a decoded record without headers has nil Headers, and header
// values would alias the producer's).
func (c *readCache) addAppended(pos int64, size int, b *record.Batch) {
	if c.end() != pos {
		return
	}
	for i := range b.Records {
		if b.Records[i].Headers != nil {
			return
		}
	}
	c.add(pos, size, b)
}

// truncateAt forgets batches at or after byte position pos.
func (c *readCache) truncateAt(pos int64) {
	i, _ := c.at(pos)
	live := c.live()
	for _, e := range live[i:] {
		c.bytes -= e.size
	}
	n := c.head + i
	c.entries = c.entries[:n]
	c.batches = c.batches[:n:n] // the cut slots may be held by readers: appends go to a new array
}

func (c *readCache) clear() {
	c.entries, c.head, c.bytes = c.entries[:0], 0, 0
	c.batches = nil // readers may hold slices of the old array
}
