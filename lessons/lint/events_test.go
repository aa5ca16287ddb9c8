package lint

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/lessons"
)

// solutionLines plays l's scenario with its solution's engine commands at
// their times, and a minute past the last one (Play's horizon), calling fn
// with every canonical trace line.
func solutionLines(t *testing.T, l *lessons.Lesson, fn func(line []byte)) {
	t.Helper()
	s, err := scenario.Parse(l.Scenario)
	if err != nil {
		t.Fatalf("%s: %v", l.ID, err)
	}
	c, err := cluster.New(s, nil)
	if err != nil {
		t.Fatalf("%s: %v", l.ID, err)
	}
	c.Trace.Follow(fn)
	var last time.Duration
	for _, cmd := range l.Commands() {
		if lessons.IsLearnerOp(cmd.Op) {
			continue
		}
		var sc scenario.Command
		if err := json.Unmarshal(cmd.Raw, &sc); err != nil {
			t.Fatalf("%s: %s: %v", l.ID, cmd.Path(), err)
		}
		c.Sim.RunUntil(cmd.At)
		if err := c.Validate([]scenario.Command{sc}); err != nil {
			t.Fatalf("%s: %s: %v", l.ID, cmd.Path(), err)
		}
		c.Apply([]scenario.Command{sc})
		last = cmd.At
	}
	c.Sim.RunUntil(max(last+time.Minute, s.End))
}

// TestEventCatalogue plays every lesson's solution and decodes each event
// strictly through the event catalogue (engine/contract/events), checking
// it encodes back to the bytes the engine wrote.
func TestEventCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range loadLessons(t) {
		failed := map[string]bool{}
		solutionLines(t, l, func(line []byte) {
			kind, err := events.Verify(line)
			seen[kind] = true
			if err != nil && !failed[kind] {
				failed[kind] = true
				t.Errorf("%s: %v", l.ID, err)
			}
		})
	}
	t.Logf("%d kinds seen in the lessons' solutions", len(seen))
}
