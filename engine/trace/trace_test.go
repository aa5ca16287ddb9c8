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
}
