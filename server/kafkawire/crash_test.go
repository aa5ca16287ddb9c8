package kafkawire

import (
	"fmt"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// leaderOf is the engine's leader of a partition, from the active
// controller's view (-1 when offline).
func leaderOf(e *Engine, topic string, partition int32) (leader int32) {
	e.Locked(func(c *cluster.Cluster) { leader = leaderIn(c, topic, partition) })
	return leader
}

func leaderIn(c *cluster.Cluster, topic string, partition int32) int32 {
	for _, b := range c.Brokers {
		if b.Down() {
			continue
		}
		if r := b.Replica(tp(topic, partition)); r != nil && r.IsLeader {
			return b.ID()
		}
	}
	return -1
}

// TestLeaderCrashMidStream: an idempotent acks=all producer keeps
// producing while its partition's leader is killed; the broker's reset
// closes its connection, the client refreshes its metadata, finds the new
// leader and carries on. Every record is acknowledged once and read back
// once, in order.
func TestLeaderCrashMidStream(t *testing.T) {
	s, e, _ := startAt(t, "", 5)
	p := client(t, s, kgo.DefaultProduceTopic("events"), kgo.ProducerBatchCompression(kgo.NoCompression()))
	createTopic(t, p, "events", 1, 3, map[string]string{"min.insync.replicas": "2"})
	produceN(t, p, "events", 0, 20)
	old := leaderOf(e, "events", 0)
	if old < 1 {
		t.Fatal("no leader for events-0")
	}
	if err := e.Apply([]byte(fmt.Sprintf(`{"op": "broker_crash", "broker": %d}`, old))); err != nil {
		t.Fatal(err)
	}
	produceN(t, p, "events", 20, 20)
	now := leaderOf(e, "events", 0)
	if now == old || now < 1 {
		t.Fatalf("the leader is %d after broker %d crashed", now, old)
	}
	// The new leader's epoch cache: epoch 0 (the first leader's) ended at
	// offset 20, where the new leader's epoch began (OffsetForLeaderEpoch,
	// as a consumer validates its position after the change).
	req := kmsg.NewPtrOffsetForLeaderEpochRequest()
	rt := kmsg.NewOffsetForLeaderEpochRequestTopic()
	rt.Topic = "events"
	rp := kmsg.NewOffsetForLeaderEpochRequestTopicPartition()
	rp.Partition, rp.CurrentLeaderEpoch, rp.LeaderEpoch = 0, -1, 0
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx(t), p)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Topics[0].Partitions[0]; got.ErrorCode != 0 || got.LeaderEpoch != 0 || got.EndOffset != 20 {
		t.Fatalf("OffsetForLeaderEpoch of epoch 0: error %d, epoch %d, end offset %d; want epoch 0 ending at 20", got.ErrorCode, got.LeaderEpoch, got.EndOffset)
	}
	cons := client(t, s, kgo.ConsumeTopics("events"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	for i, r := range consume(t, cons, 40) {
		if string(r.Value) != fmt.Sprint(i) || r.Offset != int64(i) {
			t.Fatalf("record %d is %q at offset %d: lost or duplicated across the crash", i, r.Value, r.Offset)
		}
	}
	if end := logEnd(e, "events", 0); end != 40 {
		t.Fatalf("the new leader's log ends at %d, want 40", end)
	}
}

// TestIsolatedBrokerNeverAnswers: a broker cut off by a network partition
// answers nothing, to connections open before the partition and to new
// ones; once healed, the same client gets its answer.
func TestIsolatedBrokerNeverAnswers(t *testing.T) {
	s, e, _ := start(t, "")
	cl := client(t, s)
	createTopic(t, cl, "cut", 1, 1, nil)
	var leader int32
	waitFor(t, e, "a leader for cut-0", func(c *cluster.Cluster) bool { leader = leaderIn(c, "cut", 0); return leader > 0 })
	if err := e.Apply([]byte(fmt.Sprintf(`{"op": "network_partition", "isolate": ["broker-%d"]}`, leader))); err != nil {
		t.Fatal(err)
	}
	p := client(t, s, kgo.DefaultProduceTopic("cut"), kgo.ProducerBatchCompression(kgo.NoCompression()), kgo.RecordDeliveryTimeout(2*time.Second),
		kgo.ProduceRequestTimeout(time.Second), kgo.RequestTimeoutOverhead(time.Second))
	if err := p.ProduceSync(ctx(t), &kgo.Record{Value: []byte("lost in the partition")}).FirstErr(); err == nil {
		t.Fatal("a produce to the isolated leader succeeded")
	}
	if end := logEnd(e, "cut", 0); end != 0 {
		t.Fatalf("the isolated leader's log ends at %d, want 0", end)
	}
	if err := e.Apply([]byte(`{"op": "heal"}`)); err != nil {
		t.Fatal(err)
	}
	if err := p.ProduceSync(ctx(t), &kgo.Record{Value: []byte("after the heal")}).FirstErr(); err != nil {
		t.Fatalf("after the heal: %v", err)
	}
}
