package kafkawire

import (
	"bytes"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestReplaySameTraceHash: a session of real clients (a producer, a
// consumer group, a broker crash from the engine's side) is journaled;
// replaying the journal headless on a fresh engine gives the same trace
// hash at the same virtual time, though the live run's virtual clock
// followed the wall clock.
func TestReplaySameTraceHash(t *testing.T) {
	s, e, journal := startAt(t, "", 5)
	p := client(t, s, kgo.ProducerBatchCompression(kgo.NoCompression()))
	createTopic(t, p, "replayed", 2, 3, nil)
	produceN(t, p, "replayed", 0, 20)
	cons := client(t, s, kgo.ConsumerGroup("r"), kgo.ConsumeTopics("replayed"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	consume(t, cons, 20)
	if err := e.Apply([]byte(`{"op": "broker_crash", "broker": 2}`)); err != nil {
		t.Fatal(err)
	}
	produceN(t, p, "replayed", 20, 5)
	consume(t, cons, 5)
	cons.Close()
	p.Close()
	s.Close() // every connection closed and journaled; the driver stopped
	e.End()   // the hash a replay must reach

	var at time.Duration
	var live string
	var events int64
	e.Locked(func(c *cluster.Cluster) { at, live, events = c.Now(), c.Trace.Hash(), c.Trace.Count() })

	c, err := Replay(bytes.NewReader(journal.Bytes()), at)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Trace.Hash(); got != live || c.Trace.Count() != events {
		t.Fatalf("replay at %v: %d events, hash %s; the live run had %d events, hash %s", at, c.Trace.Count(), got, events, live)
	}
	t.Logf("%d events, %d journal bytes, trace hash %.12s… at %v", events, len(journal.Bytes()), live, at)
}
