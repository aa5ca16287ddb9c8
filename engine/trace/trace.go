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

// Field is one entry of an event's compact data (see EmitFields).
type Field = view.Field

// Int is a Field holding an integer as Data would hold v: as an int,
// int16, int32 or int64.
func Int[T int | int16 | int32 | int64](key string, v T) Field {
	f := Field{Key: key, Int: int64(v)}
	switch any(v).(type) {
	case int16:
		f.Type = view.FieldInt16
	case int32:
		f.Type = view.FieldInt32
	case int64:
		f.Type = view.FieldInt64
	}
	return f
}

// String is a Field holding a string.
func String(key, v string) Field { return Field{Key: key, Str: v, Type: view.FieldString} }

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
	// slab is where EmitFields copies events' fields: one allocation per
	// slabFields fields instead of a map and boxed values per event. A
	// full slab waits in full until the ring has dropped every event that
	// points into it, then is filled again: readers never keep an event's
	// fields (Scan lends them, Since copies them into Data), so the trace
	// allocates slabs only for the events the ring holds.
	slab []Field
	full []fullSlab // oldest first
}

// fullSlab is a filled slab and the Seq of the last event pointing into it.
type fullSlab struct {
	fields []Field
	last   int64
}

// slabFields is the size of one slab of event fields.
const slabFields = 1024

// DefaultCap is how many recent events a trace keeps for readers.
const DefaultCap = 20000

// New returns a trace stamping events with now().
func New(now func() time.Duration) *Trace {
	return &Trace{now: now, h: sha256.New(), cap: DefaultCap}
}

// Follow calls fn with the canonical line of every event still kept, then
// makes it the sink, so it also gets every later one. The line's bytes are
// reused by the next call: copy them to keep them.
func (t *Trace) Follow(fn func(line []byte)) {
	var buf []byte
	t.Scan(0, func(e *Event) bool {
		buf = t.AppendJSON(buf[:0], e)
		fn(buf)
		return true
	})
	t.SetSink(fn)
}

// SetSink receives the canonical JSON line of every event (tests diff these).
// The line's bytes are reused by the next Emit: copy them to keep them.
func (t *Trace) SetSink(f func(line []byte)) { t.sink = f }

// Emit appends an event, filling in its sequence number and time.
func (t *Trace) Emit(e Event) {
	if e.Fields != nil {
		e.Fields = t.keep(e.Fields)
	}
	t.emit(e)
}

// EmitFields is Emit for an event whose data is fields (e.Data and
// e.Fields unset), in any order: it is encoded as the map of the same keys
// and values would be, without building one. fields is copied.
func (t *Trace) EmitFields(e Event, fields ...Field) {
	e.Data = nil
	e.Fields = t.keep(fields)
	t.emit(e)
}

// keep copies fields into the slab, sorted by key (the encoder writes
// them in order, as encoding/json writes a map's keys).
func (t *Trace) keep(fields []Field) []Field {
	n := len(fields)
	if n == 0 {
		return nil
	}
	if len(t.slab)+n > cap(t.slab) {
		t.nextSlab(n)
	}
	i := len(t.slab)
	t.slab = append(t.slab, fields...)
	out := t.slab[i : i+n : i+n]
	for i := 1; i < n; i++ { // insertion sort: a handful of fields, usually in order already
		for j := i; j > 0 && keyLess(out[j].Key, out[j-1].Key); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// nextSlab makes t.slab a slab with room for n fields: the oldest full one
// once the ring has dropped its last event, else a new one. The slab being
// left holds fields of events up to the one emitted last (t.seq).
func (t *Trace) nextSlab(n int) {
	if cap(t.slab) == slabFields {
		t.full = append(t.full, fullSlab{t.slab, t.seq})
	}
	if n <= slabFields && len(t.full) > 0 && t.full[0].last <= t.Dropped() {
		t.slab = t.full[0].fields[:0]
		t.full[0] = fullSlab{}
		t.full = t.full[1:]
		return
	}
	t.slab = make([]Field, 0, max(slabFields, n))
}

// keyLess is a < b, deciding on the first byte when it differs (as it
// does for most neighbouring keys) without a call to compare strings.
func keyLess(a, b string) bool {
	if a != "" && b != "" && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

func (t *Trace) emit(e Event) {
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
		if len(t.ring) == cap(t.ring) {
			t.grow()
		}
		t.ring = append(t.ring, e)
	} else {
		t.ring[(t.seq-1)%int64(t.cap)] = e
	}
}

// grow doubles the ring's room up to cap: append's own growth of 1.25×
// for large slices would allocate and copy about five times the final
// ring on the way to it, twice as much as doubling.
func (t *Trace) grow() {
	n := min(max(2*cap(t.ring), 256), t.cap)
	ring := make([]Event, len(t.ring), n)
	copy(ring, t.ring)
	t.ring = ring
}

// AppendJSON appends e's canonical JSON (the bytes json.Marshal gives, and
// the line that was hashed, without its newline) to dst: readers that send
// events on as JSON skip reflection.
func (t *Trace) AppendJSON(dst []byte, e *Event) []byte {
	out, err := t.enc.appendEvent(dst, e)
	if err != nil {
		panic("trace: event not encodable: " + err.Error()) // Emit encoded it before
	}
	return out
}

// Hash is the hex SHA-256 of every event's canonical JSON line so far.
func (t *Trace) Hash() string {
	return hex.EncodeToString(t.h.Sum(nil))
}

// Count is how many events were ever emitted.
func (t *Trace) Count() int64 { return t.seq }

// Dropped is how many events the trace no longer keeps for readers: the
// oldest, beyond the most recent Cap. They were hashed (and given to the
// sink) when emitted; only reading them back is no longer possible.
func (t *Trace) Dropped() int64 { return t.seq - int64(len(t.ring)) }

// Since returns up to max events with Seq > after that are still kept, and
// whether older ones were already discarded.
func (t *Trace) Since(after int64, max int) (events []Event, truncated bool) {
	n := t.seq - max64(after, t.Dropped())
	if max > 0 && n > int64(max) {
		n = int64(max)
	}
	out := make([]Event, 0, max0(int(n)))
	truncated = t.Scan(after, func(e *Event) bool {
		c := *e
		if c.Fields != nil { // a copy goes beyond the engine: give it Data
			c.Data = make(map[string]any, len(c.Fields))
			for _, f := range c.Fields {
				c.Data[f.Key] = f.Value()
			}
			c.Fields = nil
		}
		out = append(out, c)
		return len(out) < cap(out)
	})
	return out, truncated
}

// Scan calls fn with every kept event with Seq > after, oldest first,
// until fn returns false, without copying the events (fn must not keep
// the pointer; an event's data may be in Fields rather than Data). It reports whether events after after were already
// discarded.
func (t *Trace) Scan(after int64, fn func(e *Event) bool) (truncated bool) {
	if oldest := t.Dropped(); after < oldest {
		truncated, after = true, oldest
	}
	for s := after + 1; s <= t.seq; s++ {
		if !fn(&t.ring[(s-1)%int64(t.cap)]) {
			break
		}
	}
	return truncated
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// P returns a pointer to a partition number, for Event.Partition.
func P(p int32) *int32 { return &p }
