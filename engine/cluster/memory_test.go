package cluster

import (
	"runtime"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

// memoryScenario is the speed family's cluster (3 brokers, RF=3,
// min.insync.replicas=2, 6 partitions, keyed records, a group consumer) at
// 2,000 records/s, with retention keeping each partition's log to a few
// 64 KiB segments: what a long run must keep is then bounded, so the
// engine's memory must be too.
const memoryScenario = `{"seed": 7, "cluster": {"brokers": 3, "configs": {"log.retention.check.interval.ms": "1000"}},
 "steps": [
  {"at": "0s", "op": "create_topic", "topic": "orders", "partitions": 6, "replication_factor": 3,
   "configs": {"min.insync.replicas": "2", "internal.segment.bytes": "65536", "retention.bytes": "131072"}},
  {"at": "0s", "op": "producer_start", "producer": "p1"},
  {"at": "0s", "op": "consumer_start", "consumer": "c1", "topics": ["orders"],
   "configs": {"group.id": "g1", "auto.offset.reset": "earliest"}},
  {"at": "10ms", "op": "produce", "producer": "p1", "topic": "orders", "count": 180000, "rate": "2000/s",
   "key": "user-{i%1000}", "value": "order-{i}-payload-abcdefghijklmnopqrstuv"},
  {"at": "90s", "op": "end"}]}`

// TestMemoryDoesNotGrowWithHistory plays the load for 45 and then 90
// simulated seconds (90,000 more records, ~150,000 more events) and
// compares the live heap: with the retained log bounded, what is left must
// not grow with the records sent and read or the events emitted. 45 s
// leaves every bounded window full at the first measurement (the trace's
// 20,000 events, request.timeout.ms of cancelled timeouts). Keeping the
// records (cluster.KeepRecords) makes it fail by ~25 MB.
func TestMemoryDoesNotGrowWithHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 120 simulated seconds at 2,000 records/s")
	}
	s, err := scenario.Parse([]byte(memoryScenario))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	live := func(at time.Duration) uint64 {
		c.Sim.RunUntil(at)
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	first := live(45 * time.Second)
	events := c.Trace.Count()
	acked := c.Producers["p1"].Stats.Acked
	read := c.Consumers["c1"].Count
	second := live(90 * time.Second)
	events, acked, read = c.Trace.Count()-events, c.Producers["p1"].Stats.Acked-acked, c.Consumers["c1"].Count-read
	if acked < 80000 || read < 80000 {
		t.Fatalf("between 45 s and 90 s the producer had %d records acknowledged and the consumer read %d: the load did not run", acked, read)
	}
	// A record or event kept anywhere costs well over 100 bytes (a record's
	// key and value alone are ~50): 180,000 records and 150,000 events kept
	// would add tens of MB. Allow 4 MiB for the retained log's sawtooth
	// (18 replicas between two and three 64 KiB segments, deleted each
	// second) and 4 bytes per record or event.
	limit := uint64(4<<20 + 4*(acked+read+events))
	t.Logf("live heap %d KiB at 45 s, %d KiB at 90 s; %d events, %d records acknowledged, %d read in between", first>>10, second>>10, events, acked, read)
	if second > first+limit {
		t.Errorf("the live heap grew by %d KiB (from %d KiB) while %d events were emitted and %d records sent and read: something keeps history (allowed %d KiB)",
			(second-first)>>10, first>>10, events, acked+read, limit>>10)
	}
	runtime.KeepAlive(c)
}
