package cluster

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// TestPowerLossLosesExactlyTheUnflushedAppends crashes an RF=1 broker with
// flush.messages=40 and checks that what survives is exactly what had been
// flushed, and that the acknowledged records lost are exactly those above it.
func TestPowerLossLosesExactlyTheUnflushedAppends(t *testing.T) {
	s, err := scenario.Parse([]byte(`{"seed": 5, "cluster": {"brokers": 1, "os_writeback": "0s"},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 2, "configs": {"flush.messages": "40"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "0"}},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 300, "rate": "1000/s", "key": "k{i%13}", "value": "v{i}"},
	  {"at": "2s", "op": "end"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.KeepRecords = true
	c.Sim.RunUntil(400 * time.Millisecond)
	b := c.Broker(1)
	flushed := map[int32]int64{}
	leo := map[int32]int64{}
	for _, r := range b.Replicas() {
		flushed[r.TP.Partition] = r.Log().FlushedOffset()
		leo[r.TP.Partition] = r.LEO()
	}
	lostSomething := false
	for p := range leo {
		if leo[p] > flushed[p] {
			lostSomething = true
		}
		if flushed[p] == 0 {
			t.Fatalf("partition %d: nothing flushed yet; the test needs flushed and unflushed data", p)
		}
	}
	if !lostSomething {
		t.Fatal("nothing unflushed at crash time; the test would prove nothing")
	}
	acked := c.Producers["p"].AckedRecords()
	b.Crash(true)
	b.Restart()
	c.Sim.RunUntil(500 * time.Millisecond)
	for p := range leo {
		r := b.Replica(names.TopicPartition{Topic: "t", Partition: p})
		if r == nil {
			t.Fatalf("partition %d not hosted after restart", p)
		}
		if r.LEO() != flushed[p] {
			t.Errorf("partition %d: LEO after recovery %d, want the flushed offset %d (LEO before crash %d)", p, r.LEO(), flushed[p], leo[p])
		}
	}
	// Acknowledged records above the flushed offset are gone; below, intact.
	var lost int
	for _, a := range acked {
		if a.Offset >= flushed[a.Partition] {
			lost++
		}
	}
	if lost == 0 {
		t.Fatal("expected acknowledged records to be lost with RF=1")
	}
	if got := b.Metrics.LostUnflushedRecords; got != int64(sumLost(leo, flushed)) {
		t.Errorf("broker reports %d lost records, want %d", got, sumLost(leo, flushed))
	}
}

func sumLost(leo, flushed map[int32]int64) int {
	n := 0
	for p := range leo {
		n += int(leo[p] - flushed[p])
	}
	return n
}
