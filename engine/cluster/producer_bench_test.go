package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// BenchmarkProducerSend measures the engine's own cost of send(), in
// records per wall second: "accumulator" appends to batches while the only
// broker is paused (nothing comes back, so this is the accumulator and the
// sender's ready pass); "end-to-end" runs the whole path to a 3-broker RF=3
// topic with acks=all, advancing simulated time 1 ms every 100 records.
//
// For the same engine under wazero (about 8× slower on the producer
// scenario) see wasm/host/producer_bench_test.go (make build first).
func BenchmarkProducerSend(b *testing.B) {
	for _, c := range []struct {
		name, js string
	}{
		{"accumulator", `{"seed": 1, "cluster": {"brokers": 1}, "steps": [
		  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 6},
		  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"acks": "1", "buffer.memory": "4000000000", "linger.ms": "5"}},
		  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "value": "warm-up"},
		  {"at": "50ms", "op": "broker_pause", "broker": 1}]}`},
		{"end-to-end", `{"seed": 1, "cluster": {"brokers": 3}, "steps": [
		  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 6, "replication_factor": 3, "configs": {"min.insync.replicas": "2"}},
		  {"at": "0s", "op": "producer_start", "producer": "p"},
		  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "value": "warm-up"}]}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, err := scenario.Parse([]byte(c.js))
			if err != nil {
				b.Fatal(err)
			}
			cl, err := New(s, nil)
			if err != nil {
				b.Fatal(err)
			}
			cl.Sim.RunUntil(100 * time.Millisecond)
			p := cl.Producers["p"]
			msgs := make([]client.Message, 1000)
			for i := range msgs {
				msgs[i] = client.Message{Topic: "t", Partition: -1, Key: []byte(fmt.Sprintf("user-%d", i%100)), Value: []byte(fmt.Sprintf("payload-%06d-abcdefghijklmnopqrstuvwxyz", i))}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p.Send(msgs[i%len(msgs)])
				i++
				if i%100 == 0 {
					cl.Sim.RunUntil(cl.Now() + time.Millisecond)
				}
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkProducerCurve is lesson 2's experiment in simulated time: a
// producer is offered 200,000 keyless records/s for one second on a 3-broker
// RF=3 topic (acks=all), for linger.ms × batch.size. It reports the
// throughput (records over the time until the last was acknowledged, in
// simulated seconds), send-to-ack latency p50/p99, the average batch and
// the records per request.
func BenchmarkProducerCurve(b *testing.B) {
	for _, linger := range []int{0, 5, 20, 100} {
		for _, size := range []int{1 << 10, 16 << 10, 256 << 10} {
			b.Run(fmt.Sprintf("linger=%d/batch=%dKiB", linger, size>>10), func(b *testing.B) {
				s, err := scenario.Parse([]byte(curveScenario(linger, size)))
				if err != nil {
					b.Fatal(err)
				}
				var c *Cluster
				var done time.Duration
				for b.Loop() {
					if c, err = New(s, nil); err != nil {
						b.Fatal(err)
					}
					for c.Now() < s.End && c.Producers["p"] == nil || c.Producers["p"].Stats.Acked < curveRecords {
						if c.Now() >= s.End {
							b.Fatalf("only %d of %d records acknowledged by %v", c.Producers["p"].Stats.Acked, curveRecords, s.End)
						}
						c.Sim.RunUntil(c.Now() + time.Millisecond)
					}
					done = c.Now()
				}
				p := c.Producers["p"]
				m := p.Metrics()
				b.ReportMetric(curveRecords/(done-curveStart).Seconds(), "rec/sim-s")
				b.ReportMetric(m["produce-latency-p50-ms"], "p50-ms")
				b.ReportMetric(m["produce-latency-p99-ms"], "p99-ms")
				b.ReportMetric(m["batch-size-avg"], "batch-B")
				b.ReportMetric(m["records-per-request-avg"], "rec/req")
			})
		}
	}
}

const (
	curveRecords = 200000
	curveStart   = 10 * time.Millisecond
)

func curveScenario(lingerMs, batchSize int) string {
	return fmt.Sprintf(`{"seed": 21, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 6, "replication_factor": 3, "configs": {"min.insync.replicas": "2"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "%d", "batch.size": "%d"}},
	  {"at": "%s", "op": "produce", "producer": "p", "topic": "t", "count": %d, "rate": "%d/s", "value": "payload-{i}-abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"},
	  {"at": "30s", "op": "end"}]}`, lingerMs, batchSize, curveStart, curveRecords, curveRecords)
}
