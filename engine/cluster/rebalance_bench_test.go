package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

// BenchmarkRebalanceProtocols measures one trigger under the three
// rebalance protocols (issue 15): a 4th consumer joins a group of 3 that
// shares 12 partitions at 30 s, with records arriving at 100/s. It reports,
// from the engine's own events (RebalanceMeter), the partition-seconds a
// partition was owned by no one and the time to settle, in simulated time;
// dd/rebalance_protocols.txt pins the same figures.
func BenchmarkRebalanceProtocols(b *testing.B) {
	for _, p := range []struct{ name, configs string }{
		{"classic-eager", `"partition.assignment.strategy": "range"`},
		{"classic-cooperative-sticky", `"partition.assignment.strategy": "cooperative-sticky"`},
		{"consumer", `"group.protocol": "consumer"`},
	} {
		b.Run(p.name, func(b *testing.B) {
			consumer := func(name, at string) string {
				return fmt.Sprintf(`{"at": %q, "op": "consumer_start", "consumer": %q, "topics": ["t"], "configs": {"group.id": "g", "auto.offset.reset": "earliest", %s}}`, at, name, p.configs)
			}
			s, err := scenario.Parse([]byte(`{"seed": 21, "cluster": {"brokers": 3, "configs": {"offsets.topic.num.partitions": "3"}},
			 "steps": [
			  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 12, "replication_factor": 3},
			  {"at": "0s", "op": "producer_start", "producer": "p"},
			  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 9000, "rate": "100/s", "key": "k{i}", "value": "v{i}"},
			  ` + consumer("c1", "1s") + `, ` + consumer("c2", "2s") + `, ` + consumer("c3", "3s") + `, ` + consumer("c4", "30s") + `]}`))
			if err != nil {
				b.Fatal(err)
			}
			var r RebalanceCost
			for b.Loop() {
				c, err := New(s, nil)
				if err != nil {
					b.Fatal(err)
				}
				m := c.WatchRebalance("g", map[string]int32{"t": 12}, 30*time.Second, 90*time.Second)
				c.Sim.RunUntil(90 * time.Second)
				r = m.Result()
			}
			if r.Changes == 0 {
				b.Fatalf("no ownership change after the 4th consumer joined: %+v", r)
			}
			b.ReportMetric(r.UnownedPartitionS, "partition-s-unowned")
			b.ReportMetric(r.Settle.Seconds(), "settle-s")
			b.ReportMetric(float64(r.Moves), "moved")
		})
	}
}
