package ui

import (
	"encoding/json"
	"testing"

	"github.com/brokerlab/brokerlab/lessons"
)

// TestGoalEventsAreNeverSkipped: a lesson whose goals read events plays a
// frame far behind (a minute of simulated time at once, thousands of
// events): the session fetches every event instead of skipping to the
// newest, so a goal cannot miss the one it waits for.
func TestGoalEventsAreNeverSkipped(t *testing.T) {
	s, l := openDeliverySemantics(t, fullEventBudget)
	var cmds []Cmd
	for _, raw := range l.Steps[0].Solution[:1] { // a consumer that commits as it goes
		var c Cmd
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		c.At = ""
		cmds = append(cmds, c)
	}
	if err := s.AdvanceTo(2_000_000); err != nil { // the scenario creates its topics
		t.Fatal(err)
	}
	if err := s.Apply(cmds...); err != nil {
		t.Fatal(err)
	}
	if err := s.Frame(120_000_000, false); err != nil {
		t.Fatal(err)
	}
	if s.Skipped != 0 || int64(len(s.Events)) != s.LastSeq || s.LastSeq <= fullEventBudget {
		t.Fatalf("skipped %d, kept %d events up to seq %d (want every event, more than one budget of %d)", s.Skipped, len(s.Events), s.LastSeq, fullEventBudget)
	}
	for i, e := range s.Events {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d: a gap", i, e.Seq)
		}
	}
}

// TestBehindFrameSkipsToNewest: without goals that read events, a frame far
// behind keeps only the newest budget of events (the engine skips in the
// same call) and counts the rest as skipped.
func TestBehindFrameSkipsToNewest(t *testing.T) {
	s, _ := openDeliverySemantics(t, 50)
	if err := s.Frame(60_000_000, false); err != nil {
		t.Fatal(err)
	}
	total := s.LastSeq
	if total <= 2*50 || s.Skipped != total-50 || len(s.Events) != 50 {
		t.Fatalf("after a frame of %d events: skipped %d, kept %d (want %d skipped, the newest 50 kept)", total, s.Skipped, len(s.Events), total-50)
	}
	for i, e := range s.Events {
		if e.Seq != total-49+int64(i) {
			t.Fatalf("kept event %d has seq %d, want %d: not the newest", i, e.Seq, total-49+int64(i))
		}
	}
}

// openDeliverySemantics opens lesson 15's scenario in a session on the fake
// platform with an event budget.
func openDeliverySemantics(t *testing.T, budget int) (*Session, *lessons.Lesson) {
	t.Helper()
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := lessons.ByID(all, "delivery-semantics")
	s := newSession(&engineClient{p: newFake(map[string]string{}, "")})
	s.EventBudget = budget
	if err := s.Open(l.Scenario); err != nil {
		t.Fatal(err)
	}
	return s, l
}
