package cluster

import (
	"os"
	"testing"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

// BenchmarkThreeBrokerScenario reports simulated seconds per wall second for
// 10 s of a 3-broker, RF=3 cluster taking 2,000 records/s with a consumer.
func BenchmarkThreeBrokerScenario(b *testing.B) {
	data, err := os.ReadFile("testdata/bench3.json")
	if err != nil {
		b.Fatal(err)
	}
	s, err := scenario.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := New(s, nil)
		if err != nil {
			b.Fatal(err)
		}
		c.Sim.RunUntil(s.End)
		if i == 0 && c.Consumers["c1"].Count < 19000 {
			b.Fatalf("consumer read only %d records", c.Consumers["c1"].Count)
		}
	}
	b.ReportMetric(s.End.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "sim-s/s")
}
