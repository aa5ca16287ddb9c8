package client

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// Helpers that keep the producer's and consumer's hot paths from allocating
// per record: the engine also runs as wasm, where garbage collection
// dominates the profile.

// recordLog is an append-only list (acknowledged or consumed records) kept
// in fixed-size chunks, so that growing it never copies: an appended slice
// of 20,000 records would copy about five times its size on the way.
type recordLog[T any] struct {
	chunks [][]T
	flat   []T // what all returned last
}

// logChunk is how many items share one chunk of a recordLog.
const logChunk = 1024

func (l *recordLog[T]) add(v T) {
	n := len(l.chunks)
	if n == 0 || len(l.chunks[n-1]) == logChunk {
		l.chunks = append(l.chunks, make([]T, 0, logChunk))
		n++
	}
	l.chunks[n-1] = append(l.chunks[n-1], v)
}

func (l *recordLog[T]) len() int {
	n := len(l.chunks)
	if n == 0 {
		return 0
	}
	return (n-1)*logChunk + len(l.chunks[n-1])
}

// appendFrom appends the items from index i on to dst.
func (l *recordLog[T]) appendFrom(dst []T, i int) []T {
	for n := l.len(); i < n; {
		c := l.chunks[i/logChunk][i%logChunk:]
		dst = append(dst, c...)
		i += len(c)
	}
	return dst
}

// all lists every item in order, appending what was added since the last
// call to the slice returned then. The result is shared: do not modify it.
func (l *recordLog[T]) all() []T {
	l.flat = l.appendFrom(l.flat, len(l.flat))
	return l.flat
}

// ackedLog keeps the acknowledged records for AckedRecords without a
// string per record: an entry holds the key and value bytes handed to
// send() (nothing changes them afterwards), and the Acked values are made
// only when asked for.
type ackedLog struct {
	entries recordLog[ackedEntry]
	flat    []Acked // what all returned last
}

type ackedEntry struct {
	q           *partitionQueue
	key, value  []byte
	offset, seq int64
}

func (l *ackedLog) add(e ackedEntry) { l.entries.add(e) }

// all lists every acknowledged record in order, making the Acked values of
// those added since the last call. The result is shared: do not modify it.
func (l *ackedLog) all() []Acked {
	for i := len(l.flat); i < l.entries.len(); i++ {
		e := &l.entries.chunks[i/logChunk][i%logChunk]
		key, value := keyValue(e.key, e.value)
		l.flat = append(l.flat, Acked{Topic: e.q.tp.Topic, Partition: e.q.tp.Partition, Offset: e.offset, Key: key, KeyNull: e.key == nil, Value: value, Seq: e.seq})
	}
	return l.flat
}

// keyValue converts a record's key and value to strings with one
// allocation: both are substrings of their concatenation.
func keyValue(key, value []byte) (string, string) {
	kv := string(key) + string(value)
	return kv[:len(key)], kv[len(key):]
}

// carve appends p to *buf and returns the copy as a slice of its own
// (capped, so appending to it never reaches a neighbour). With *buf sized
// in advance, many copies share one allocation. *buf must not be nil, so a
// copy of an empty slice is empty rather than nil.
func carve(buf *[]byte, p []byte) []byte {
	start := len(*buf)
	*buf = append(*buf, p...)
	return (*buf)[start:len(*buf):len(*buf)]
}

// arenaChunk is the size of one allocation of a byteArena.
const arenaChunk = 16 << 10

// byteArena hands out copies of byte slices carved from shared chunks, so
// that the keys and values of many records take one allocation. A copy is
// never changed or reused: a chunk lives while any copy in it does.
type byteArena struct{ buf []byte }

// copy returns a copy of p of its own (capped, so appending to it never
// reaches a neighbour), non-nil even when p is empty.
func (a *byteArena) copy(p []byte) []byte {
	if len(p) > arenaChunk/8 {
		return append(make([]byte, 0, len(p)), p...)
	}
	if a.buf == nil || cap(a.buf)-len(a.buf) < len(p) {
		a.buf = make([]byte, 0, arenaChunk)
	}
	return carve(&a.buf, p)
}

// batchPool recycles what an open batch grows while send() appends to it,
// and hands out batches, their final record arrays and request batches
// from slabs, so that the producer allocates per many batches rather than
// per record or per batch.
type batchPool struct {
	pending [][]pending       // batch.records of finished batches
	open    [][]record.Record // batch.recs of closed batches: records are copied out by settle
	slab    []record.Record   // settled records
	batches []batch
	wires   []record.Batch
	// a produce request's parts
	drained []*batch
	topics  []proto.ProduceTopic
	parts   []proto.ProducePartition
	calls   []produceCall
}

// Slab sizes, and how many grown slices the pool keeps.
const (
	recordSlab  = 512
	batchSlab   = 32
	wireSlab    = 64
	requestSlab = 64
	poolEntries = 64
)

// newBatch returns a zeroed batch whose record slices may have room.
func (bp *batchPool) newBatch() *batch {
	if len(bp.batches) == cap(bp.batches) {
		bp.batches = make([]batch, 0, batchSlab)
	}
	bp.batches = bp.batches[:len(bp.batches)+1]
	b := &bp.batches[len(bp.batches)-1]
	if n := len(bp.pending); n > 0 {
		b.records, bp.pending = bp.pending[n-1], bp.pending[:n-1]
	}
	if n := len(bp.open); n > 0 {
		b.recs, bp.open = bp.open[n-1], bp.open[:n-1]
	}
	return b
}

// settle moves a closed batch's records into a slab, exactly sized, and
// keeps the array they grew in for another batch.
func (bp *batchPool) settle(recs []record.Record) []record.Record {
	n := len(recs)
	var out []record.Record
	if n > recordSlab/4 {
		out = append(make([]record.Record, 0, n), recs...)
	} else {
		if cap(bp.slab)-len(bp.slab) < n {
			bp.slab = make([]record.Record, 0, recordSlab)
		}
		start := len(bp.slab)
		bp.slab = append(bp.slab, recs...)
		out = bp.slab[start:len(bp.slab):len(bp.slab)]
	}
	if len(bp.open) < poolEntries {
		clear(recs) // let go of the keys and values
		bp.open = append(bp.open, recs[:0])
	}
	return out
}

// donePending keeps a finished batch's pending records for another batch.
func (bp *batchPool) donePending(ps []pending) {
	if cap(ps) > 0 && len(bp.pending) < poolEntries {
		bp.pending = append(bp.pending, ps[:0])
	}
}

// wire returns a zeroed record.Batch for a request.
func (bp *batchPool) wire() *record.Batch {
	if len(bp.wires) == cap(bp.wires) {
		bp.wires = make([]record.Batch, 0, wireSlab)
	}
	bp.wires = bp.wires[:len(bp.wires)+1]
	return &bp.wires[len(bp.wires)-1]
}

// call returns a zeroed produceCall.
func (bp *batchPool) call() *produceCall {
	if len(bp.calls) == cap(bp.calls) {
		bp.calls = make([]produceCall, 0, requestSlab)
	}
	bp.calls = bp.calls[:len(bp.calls)+1]
	return &bp.calls[len(bp.calls)-1]
}

// carveSlab returns an empty slice with room for n items carved from
// *slab, which is refilled with size items when short. Nothing else ever
// uses the room, so the slice may be kept (in a request on the network).
func carveSlab[T any](slab *[]T, n, size int) []T {
	if n > size/4 {
		return make([]T, 0, n)
	}
	if cap(*slab)-len(*slab) < n {
		*slab = make([]T, 0, size)
	}
	start := len(*slab)
	*slab = (*slab)[:start+n]
	return (*slab)[start : start : start+n]
}

// ownMessage copies the key and value of a send() call that has to wait:
// its caller may reuse their bytes once send() returns.
func ownMessage(m Message) Message {
	kv := make([]byte, 0, len(m.Key)+len(m.Value))
	if m.Key != nil {
		m.Key = carve(&kv, m.Key)
	}
	if m.Value != nil {
		m.Value = carve(&kv, m.Value)
	}
	return m
}

// popFront removes the first item of a FIFO queue kept in a slice. The
// last item leaves the queue empty at the same place in its array, so a
// queue that holds one item at a time never reallocates (s[1:] would use
// up the array's capacity and make the next append allocate).
func popFront[T any](s []T) []T {
	var zero T
	s[0] = zero // let it go
	if len(s) == 1 {
		return s[:0]
	}
	return s[1:]
}

// shiftFront removes the first item of a short FIFO queue (the requests
// in flight on a connection) by moving the others down, so that the array
// is reused for good instead of being walked off by popFront's s[1:].
func shiftFront[T any](s []T) []T {
	var zero T
	n := copy(s, s[1:])
	s[n] = zero // let it go
	return s[:n]
}

// popCall removes the first call of the application thread's queue.
func (p *Producer) popCall() { p.calls = popFront(p.calls) }

// wakeEvent is armWake's event, on a timer of its own.
type wakeEvent struct {
	p     *Producer
	timer sim.Timer
}

// Fire implements sim.Event.
func (e *wakeEvent) Fire() { e.p.wakeup() }

// soonEvent is wakeSoon's event, on a timer of its own.
type soonEvent struct {
	p     *Producer
	timer sim.Timer
}

// Fire implements sim.Event.
func (e *soonEvent) Fire() {
	e.p.wakePending = false
	e.p.wakeup()
}
