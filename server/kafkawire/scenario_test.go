package kafkawire

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestScenarioFaults: a scenario file's topics and scheduled faults run
// against a real client, as a client's CI would use it: the topic exists
// from the start, broker 1 crashes at 2 s of virtual time, and the
// idempotent producer's records all land once.
func TestScenarioFaults(t *testing.T) {
	const js = `{"seed": 7, "cluster": {"brokers": 3, "controllers": 1, "configs": {"transaction.version": "1"}},
		"steps": [
			{"at": "0s", "op": "create_topic", "topic": "orders", "partitions": 3, "replication_factor": 3, "configs": {"min.insync.replicas": "2"}},
			{"at": "2s", "op": "broker_crash", "broker": 1}
		]}`
	s, e, _ := startAt(t, js, 5)
	p := client(t, s, kgo.DefaultProduceTopic("orders"), kgo.ProducerBatchCompression(kgo.NoCompression()))
	n := 0
	for down := false; !down; n++ {
		if err := p.ProduceSync(ctx(t), &kgo.Record{Key: []byte{byte(n)}, Value: []byte{byte(n)}}).FirstErr(); err != nil {
			t.Fatalf("record %d: %v", n, err)
		}
		e.Locked(func(c *cluster.Cluster) { down = c.Broker(1).Down() && c.Now() > 3*time.Second })
	}
	var total int64
	for part := int32(0); part < 3; part++ {
		total += logEnd(e, "orders", part)
	}
	if total != int64(n) {
		t.Fatalf("the leaders' logs hold %d records, the client had %d acknowledged", total, n)
	}
}
