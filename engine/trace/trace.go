// Package trace records the engine's typed events: every state change, with
// stable JSON field names and a one-line plain-words explanation, hashed as
// it is written so that same seed + same commands ⇒ same SHA-256.
package trace

import (
	"encoding/hex"
	"hash"
	"time"

	"github.com/brokerlab/brokerlab/engine/internal/sha256"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Event is one entry of the trace (see package view).
type Event = view.Event

// Trace collects events. It keeps the most recent Cap events for readers
// and hashes every event ever written.
type Trace struct {
	now  func() time.Duration
	seq  int64
	h    hash.Hash
	ring []Event // the most recent events, ring[(seq-1) % cap]
	cap  int
	sink func(line []byte)
	enc  encoder
	buf  []byte // the last event's line plus '\n', reused
}

// DefaultCap is how many recent events a trace keeps for readers.
const DefaultCap = 20000

// New returns a trace stamping events with now().
func New(now func() time.Duration) *Trace {
	return &Trace{now: now, h: sha256.New(), cap: DefaultCap}
}

// SetSink receives the canonical JSON line of every event (tests diff these).
// The line's bytes are reused by the next Emit: copy them to keep them.
func (t *Trace) SetSink(f func(line []byte)) { t.sink = f }

// Emit appends an event, filling in its sequence number and time.
func (t *Trace) Emit(e Event) {
	t.seq++
	e.Seq = t.seq
	e.TimeUS = int64(t.now() / time.Microsecond)
	line, err := t.enc.appendEvent(t.buf[:0], &e)
	if err != nil {
		panic("trace: event not encodable: " + err.Error())
	}
	buf := append(line, '\n')
	t.h.Write(buf)
	if t.sink != nil {
		t.buf = nil // a sink that emits gets a buffer of its own
		t.sink(buf[:len(line)])
	}
	t.buf = buf
	if len(t.ring) < t.cap {
		t.ring = append(t.ring, e)
	} else {
		t.ring[(t.seq-1)%int64(t.cap)] = e
	}
}

// Hash is the hex SHA-256 of every event's canonical JSON line so far.
func (t *Trace) Hash() string {
	return hex.EncodeToString(t.h.Sum(nil))
}

// Count is how many events were ever emitted.
func (t *Trace) Count() int64 { return t.seq }

// Since returns up to max events with Seq > after that are still kept, and
// whether older ones were already discarded.
func (t *Trace) Since(after int64, max int) (events []Event, truncated bool) {
	oldest := t.seq - int64(len(t.ring)) + 1
	if after+1 < oldest {
		truncated = true
		after = oldest - 1
	}
	n := int(t.seq - after)
	if max > 0 && n > max {
		n = max
	}
	out := make([]Event, 0, max0(n))
	for s := after + 1; s <= after+int64(n); s++ {
		out = append(out, t.ring[(s-1)%int64(t.cap)])
	}
	return out, truncated
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// P returns a pointer to a partition number, for Event.Partition.
func P(p int32) *int32 { return &p }
