package client

import "github.com/brokerlab/brokerlab/engine/sim"

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
		l.flat = append(l.flat, Acked{Topic: e.q.tp.topic, Partition: e.q.tp.part, Offset: e.offset, Key: key, Value: value, Seq: e.seq})
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

// messageSlab is how many sent messages share one allocation.
const messageSlab = 64

// keep copies a message handed to send(), which the producer holds until
// its batch is done. Copies come from slabs of messageSlab.
func (p *Producer) keep(m *Message) *Message {
	if len(p.msgSlab) == cap(p.msgSlab) {
		p.msgSlab = make([]Message, 0, messageSlab)
	}
	p.msgSlab = append(p.msgSlab, *m)
	return &p.msgSlab[len(p.msgSlab)-1]
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
