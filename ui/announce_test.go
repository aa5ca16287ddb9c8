package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func part(topic string, p, leader, epoch int32, isr ...int32) view.PartitionState {
	return view.PartitionState{Topic: topic, Partition: p, Leader: leader, LeaderEpoch: epoch, ISR: isr}
}

// TestAnnouncer: a leader change, an ISR shrink and a goal are announced,
// at most one message every announceEveryMS and at most maxAnnounced
// changes in words; a new run or a rewind starts over silently; internal
// topics are never announced.
func TestAnnouncer(t *testing.T) {
	var an announcer
	snap := func(us int64, parts ...view.PartitionState) view.Snapshot {
		return view.Snapshot{TimeUS: us, Partitions: parts}
	}
	an.observe(1, snap(0, part("orders", 0, 1, 0, 1, 2, 3), part("__consumer_offsets", 0, 1, 0, 1)))
	if msg, ok := an.take(1000); ok {
		t.Fatalf("the first snapshot is announced: %q", msg)
	}
	an.observe(1, snap(10, part("orders", 0, 2, 1, 2, 3), part("__consumer_offsets", 0, 2, 1, 2)))
	msg, ok := an.take(2000)
	if !ok || !strings.Contains(msg, "orders-0: broker 2 leads now, epoch 1.") || !strings.Contains(msg, "orders-0: ISR shrank to 2 3.") || strings.Contains(msg, "__") {
		t.Fatalf("leader change and ISR shrink: %q %v", msg, ok)
	}
	an.goal("done")
	an.goal("done too")
	an.goal("and this")
	if _, ok := an.take(2000 + announceEveryMS/2); ok {
		t.Fatal("announced again within announceEveryMS")
	}
	msg, ok = an.take(2000 + announceEveryMS)
	if !ok || !strings.Contains(msg, "Goal met: done") || !strings.Contains(msg, "And 1 more changes.") {
		t.Fatalf("goals: %q %v", msg, ok)
	}
	an.observe(1, snap(5, part("orders", 0, 3, 2, 3)))
	an.observe(2, snap(20, part("orders", 0, 1, 0, 1, 2, 3)))
	if msg, ok := an.take(1e9); ok {
		t.Fatalf("a rewind or a new run was announced: %q", msg)
	}
}
