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

// BenchmarkAcks measures, in simulated time, what acks costs on a 3-broker
// RF=3 cluster: acknowledged records per simulated second and p50/p99
// produce latency, plus the engine's wall time per run.
func BenchmarkAcks(b *testing.B) {
	for _, acks := range []string{"0", "1", "all"} {
		b.Run("acks="+acks, func(b *testing.B) {
			s, err := scenario.Parse([]byte(`{"seed": 21, "cluster": {"brokers": 3},
			 "steps": [
			  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 6, "replication_factor": 3, "configs": {"min.insync.replicas": "2"}},
			  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"acks": "` + acks + `"}},
			  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 10000, "rate": "5000/s", "key": "k{i%50}", "value": "value-{i}"},
			  {"at": "5s", "op": "end"}]}`))
			if err != nil {
				b.Fatal(err)
			}
			var c *Cluster
			for b.Loop() {
				if c, err = New(s, nil); err != nil {
					b.Fatal(err)
				}
				c.KeepRecords = true // for Latencies
				c.Sim.RunUntil(s.End)
			}
			p := c.Producers["p"]
			lat := p.Latencies()
			if len(lat) == 0 {
				b.Fatal("nothing acknowledged")
			}
			b.ReportMetric(float64(p.Stats.Acked)/2.0, "acked-rec/sim-s")
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		})
	}
}

// BenchmarkSpeed plays the speed family (testdata/speed: 3 brokers, RF=3,
// min.insync.replicas=2, 6 partitions, ~50-byte keyed records at 1,000,
// 10,000 and 50,000 records/s with a group consumer, 60 simulated seconds)
// and reports simulated seconds per wall second; `make bench-speed` runs the
// same files natively, under wazero and in Chromium.
func BenchmarkSpeed(b *testing.B) {
	for _, name := range []string{"1k", "10k", "50k"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile("testdata/speed/" + name + ".json")
			if err != nil {
				b.Fatal(err)
			}
			s, err := scenario.Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				c, err := New(s, nil)
				if err != nil {
					b.Fatal(err)
				}
				c.Sim.RunUntil(s.End)
				if c.Consumers["c1"].Count == 0 {
					b.Fatal("the consumer read nothing")
				}
			}
			b.ReportMetric(s.End.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "sim-s/s")
		})
	}
}
