package trace

import (
	"reflect"
	"testing"
	"time"
)

func TestSinceKeepsTheNewestEventsInOrder(t *testing.T) {
	now := time.Duration(0)
	tr := New(func() time.Duration { return now })
	tr.cap = 5
	for i := 0; i < 12; i++ {
		now += time.Millisecond
		tr.Emit(Event{Kind: "k"})
	}
	evs, truncated := tr.Since(0, 0)
	if !truncated || len(evs) != 5 || evs[0].Seq != 8 || evs[4].Seq != 12 {
		t.Fatalf("got %d events from %d, truncated %v", len(evs), evs[0].Seq, truncated)
	}
	evs, truncated = tr.Since(9, 2)
	if truncated || len(evs) != 2 || evs[0].Seq != 10 || evs[1].Seq != 11 {
		t.Fatalf("Since(9, 2) = %+v", evs)
	}
	if evs, _ := tr.Since(12, 0); len(evs) != 0 {
		t.Fatal("nothing after the last event")
	}
	if tr.Count() != 12 || len(tr.Hash()) != 64 {
		t.Fatal("count or hash wrong")
	}
	if tr.Dropped() != 7 {
		t.Fatalf("Dropped() = %d, want 7 (12 emitted, 5 kept)", tr.Dropped())
	}
	var seqs []int64
	if truncated := tr.Scan(10, func(e *Event) bool { seqs = append(seqs, e.Seq); return true }); truncated || len(seqs) != 2 || seqs[0] != 11 {
		t.Fatalf("Scan(10) = %v (truncated %v), want [11 12]", seqs, truncated)
	}
}

// The ring bounds what is kept, never what is hashed: a trace that keeps
// 3 events hashes the same as one that keeps them all.
func TestRingDoesNotChangeTheHash(t *testing.T) {
	small, big := New(func() time.Duration { return 0 }), New(func() time.Duration { return 0 })
	small.cap = 3
	for i := 0; i < 10; i++ {
		e := Event{Kind: "k", Data: map[string]any{"i": i}}
		small.Emit(e)
		big.Emit(e)
	}
	if small.Hash() != big.Hash() || small.Dropped() != 7 || big.Dropped() != 0 {
		t.Fatalf("hash %s vs %s, dropped %d and %d", small.Hash(), big.Hash(), small.Dropped(), big.Dropped())
	}
}

// EmitFields writes the line, hash and (through Since) the Data that Emit
// gives for the map of the same entries, in whatever order the fields come.
func TestEmitFieldsIsEmitOfTheMap(t *testing.T) {
	now := time.Duration(0)
	clock := func() time.Duration { return now }
	viaMap, viaFields := New(clock), New(clock)
	var mapLines, fieldLines []string
	viaMap.SetSink(func(l []byte) { mapLines = append(mapLines, string(l)) })
	viaFields.SetSink(func(l []byte) { fieldLines = append(fieldLines, string(l)) })
	viaFields.cap, viaMap.cap = 50, 50
	for i := range 3000 { // several slabs
		now += time.Millisecond
		e := Event{Kind: "appended", Node: "broker-1", Topic: "orders", Partition: P(int32(i % 6))}
		fields := []Field{Int("records", i), Int("base_offset", int64(i)*7), String("topic", "or\"ders<"), Int("leader_epoch", int32(-i)), Int("acks", int16(-1))}
		if i%3 == 0 {
			fields = fields[:i%len(fields)]
		}
		data := map[string]any{}
		for _, f := range fields {
			data[f.Key] = f.Value()
		}
		if len(data) == 0 {
			data = nil
		}
		m := e
		m.Data = data
		viaMap.Emit(m)
		viaFields.EmitFields(e, fields...)
	}
	if viaMap.Hash() != viaFields.Hash() {
		t.Fatalf("hash %s via fields, %s via the map", viaFields.Hash(), viaMap.Hash())
	}
	for i := range mapLines {
		if mapLines[i] != fieldLines[i] {
			t.Fatalf("event %d: %s via fields, %s via the map", i, fieldLines[i], mapLines[i])
		}
	}
	a, _ := viaMap.Since(0, 0)
	b, _ := viaFields.Since(0, 0)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("Since via fields %+v\nvia the map %+v", b[0], a[0])
	}
	var got []byte
	viaFields.Scan(viaFields.Count()-1, func(e *Event) bool { got = viaFields.AppendJSON(got, e); return true })
	if string(got) != mapLines[len(mapLines)-1] {
		t.Fatalf("AppendJSON %s, want %s", got, mapLines[len(mapLines)-1])
	}
}

// EmitFields allocates nothing per event beyond its share of a slab.
func TestEmitFieldsAllocates(t *testing.T) {
	tr := New(func() time.Duration { return 0 })
	tr.cap = 16
	e := Event{Kind: "hwm_advanced", Node: "broker-1"}
	for range 100 { // warm the ring and the line buffer
		tr.EmitFields(e, Int("from", int64(1)), Int("to", int64(2)))
	}
	if n := testing.AllocsPerRun(1000, func() { tr.EmitFields(e, Int("from", int64(1)), Int("to", int64(2))) }); n > 0.01 {
		t.Fatalf("EmitFields allocates %.2f times per event", n)
	}
}

func TestKeyLessIsLess(t *testing.T) {
	keys := []string{"", "a", "ab", "b", "base_offset", "bytes", "records", "to", "topic", "\xff", "A"}
	for _, a := range keys {
		for _, b := range keys {
			if keyLess(a, b) != (a < b) {
				t.Errorf("keyLess(%q, %q) = %v", a, b, keyLess(a, b))
			}
		}
	}
}

// A slab of fields is filled again only once the ring dropped every event
// pointing into it: the kept events' fields stay theirs, and a trace whose
// ring holds a few hundred fields allocates a few slabs however long it runs.
func TestFieldSlabsAreReusedOnlyWhenDropped(t *testing.T) {
	tr := New(func() time.Duration { return 0 })
	tr.cap = 700 // ~2,100 fields: more than two slabs
	for i := range 20000 {
		n := 1 + i%5
		fields := make([]Field, n)
		for k := range fields {
			fields[k] = Int(string(rune('a'+k)), int64(i*10+k))
		}
		tr.EmitFields(Event{Kind: "k"}, fields...)
	}
	tr.Scan(0, func(e *Event) bool {
		i := e.Seq - 1
		if want := 1 + int(i%5); len(e.Fields) != want {
			t.Fatalf("event %d has %d fields, want %d", e.Seq, len(e.Fields), want)
		}
		for k, f := range e.Fields {
			if f.Key != string(rune('a'+k)) || f.Int != i*10+int64(k) {
				t.Fatalf("event %d field %d = %+v", e.Seq, k, f)
			}
		}
		return true
	})
	if slabs := len(tr.full) + 1; slabs > 5 {
		t.Errorf("%d slabs for a ring of 700 events of up to 5 fields", slabs)
	}
}
