package trace

import (
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
