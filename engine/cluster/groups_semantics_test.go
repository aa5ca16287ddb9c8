package cluster

import (
	"time"

	"fmt"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"testing"
)

// semanticsScenario: one consumer reads 30 records 5 at a time, 10 ms per
// record, and dies at crashAt; a new instance takes over at 3 s.
func semanticsScenario(commit, crashAt string) []byte {
	cfg := `{"group.id": "g", "auto.offset.reset": "earliest", "enable.auto.commit": "false", "max.poll.records": "5", "session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"}`
	return []byte(fmt.Sprintf(`{"seed": 14, "cluster": {"brokers": 1, "configs": {"offsets.topic.num.partitions": "1", "offsets.topic.replication.factor": "1", "group.initial.rebalance.delay.ms": "0"}},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1},
	  {"at": "0s", "op": "producer_start", "producer": "p"},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 30, "key": "k", "value": "v{i}"},
	  {"at": "1s", "op": "consumer_start", "consumer": "c", "topics": ["t"], "mode": %q, "delay": "10ms", "configs": %s},
	  {"at": "1.2s", "op": "consumer_crash", "consumer": "c", "mode": %q},
	  {"at": "3s", "op": "consumer_start", "consumer": "c", "topics": ["t"], "mode": %q, "delay": "10ms", "configs": %s},
	  {"at": "15s", "op": "end"}]}`, commit, cfg, crashAt, commit, cfg))
}

func processedCounts(c *Cluster) (dups, lost int) {
	n := map[string]int{}
	for _, r := range c.Consumers["c"].History() {
		n[r.Value]++
	}
	for i := 0; i < 30; i++ {
		switch k := n[fmt.Sprintf("v%d", i)]; {
		case k == 0:
			lost++
		case k > 1:
			dups += k - 1
		}
	}
	return dups, lost
}

// TestDeliverySemanticsUnderACrash is lesson 15's experiment: a crash
// between processing and committing duplicates records when the
// application commits after processing (at-least-once) and loses them when
// it commits first (at-most-once).
func TestDeliverySemanticsUnderACrash(t *testing.T) {
	for _, tc := range []struct {
		name, commit, crash string
		dups, lost          bool
	}{
		{"at-least-once", "sync", "before_commit", true, false},
		{"at-most-once", "before", "before_process", false, true},
		{"at-least-once, crash between polls", "sync", "before_process", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := runGroupScenario(t, semanticsScenario(tc.commit, tc.crash))
			dups, lost := processedCounts(c)
			if (dups > 0) != tc.dups || (lost > 0) != tc.lost {
				t.Fatalf("commit %s, crash %s: %d duplicates, %d lost; want duplicates %v, loss %v", tc.commit, tc.crash, dups, lost, tc.dups, tc.lost)
			}
		})
	}
}

// TestLagAndIdleConsumers is lesson 14's experiment: a slow consumer falls
// behind; more consumers bring the lag back to zero; past the partition
// count the extra consumer owns nothing.
func TestLagAndIdleConsumers(t *testing.T) {
	data := []byte(`{"seed": 15, "cluster": {"brokers": 1, "configs": {"offsets.topic.num.partitions": "1", "offsets.topic.replication.factor": "1", "group.initial.rebalance.delay.ms": "0"}},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 2},
	  {"at": "0s", "op": "producer_start", "producer": "p"},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 600, "rate": "20/s", "value": "v{i}"},
	  {"at": "1s", "op": "consumer_start", "consumer": "c1", "topics": ["t"], "delay": "100ms", "configs": {"group.id": "g", "auto.offset.reset": "earliest", "auto.commit.interval.ms": "1000"}},
	  {"at": "20s", "op": "end"}]}`)
	c := runGroupScenario(t, data)
	g := groupOf(c.Snapshot(SnapshotOptions{}), "g")
	if g == nil || g.TotalLag < 100 {
		t.Fatalf("one consumer at 10 records/s should lag far behind 20 records/s: %+v", g)
	}
	lag := g.TotalLag
	for _, p := range g.Partitions {
		if p.Lag != p.HWM-p.Committed || p.Committed < 0 {
			t.Fatalf("lag of %s-%d is %d, want HWM %d − committed %d", p.Topic, p.Partition, p.Lag, p.HWM, p.Committed)
		}
	}
	// Two more consumers: the lag drains; the third owns nothing.
	more := `{"op": "consumer_start", "consumer": "%s", "topics": ["t"], "delay": "100ms", "configs": {"group.id": "g", "auto.offset.reset": "earliest", "auto.commit.interval.ms": "1000"}}`
	var cmds []scenario.Command
	for _, n := range []string{"c2", "c3"} {
		cmd, err := scenario.ParseCommand([]byte(fmt.Sprintf(more, n)))
		if err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	if err := c.Validate(cmds); err != nil {
		t.Fatal(err)
	}
	c.Apply(cmds)
	c.Sim.RunUntil(c.Now() + 60*time.Second)
	g = groupOf(c.Snapshot(SnapshotOptions{}), "g")
	idle := 0
	for _, m := range g.Members {
		if len(m.Assignment) == 0 {
			idle++
		}
	}
	if len(g.Members) != 3 || idle != 1 {
		t.Fatalf("3 consumers on 2 partitions: want exactly one idle member, got %d members, %d idle", len(g.Members), idle)
	}
	if g.TotalLag != 0 {
		t.Fatalf("lag %d (was %d) should have drained once the producer stopped", g.TotalLag, lag)
	}
}

// TestCrashArmedInSnapshot: a crash asked for the next commit shows in
// the consumer's snapshot until it strikes (the clients panel tells the
// learner to wait before starting the consumer again).
func TestCrashArmedInSnapshot(t *testing.T) {
	s, err := scenario.Parse(semanticsScenario("sync", "before_commit"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	consumer := func() (armed string, stopped bool) {
		for _, k := range c.Snapshot(SnapshotOptions{}).Consumers {
			if k.Name == "c" {
				return k.CrashArmed, k.Stopped
			}
		}
		t.Fatal("consumer c is not in the snapshot")
		return "", false
	}
	c.Sim.RunUntil(1200*time.Millisecond + time.Microsecond)
	if armed, stopped := consumer(); armed != "before_commit" || stopped {
		t.Fatalf("just after the crash was asked: crash_armed %q, stopped %v; want before_commit, running", armed, stopped)
	}
	c.Sim.RunUntil(2900 * time.Millisecond)
	if armed, stopped := consumer(); armed != "" || !stopped {
		t.Fatalf("after its next commit: crash_armed %q, stopped %v; want none, stopped", armed, stopped)
	}
}
