package host

import (
	"bytes"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
)

// BenchmarkProducerScenario is the producer's cost under wazero next to
// native: 20,000 keyless records at 20,000/s (linger.ms=5, gzip) to a
// 3-broker RF=3 topic with acks=all, one simulated second. It reports
// records per wall second. Run `make build` first (dist/engine.wasm):
//
//	go test -run '^$' -bench ProducerScenario ./wasm/host
func BenchmarkProducerScenario(b *testing.B) {
	const records = 20000
	open := []byte(`{"method":"open","params":{"seed": 5, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 6, "replication_factor": 3, "configs": {"min.insync.replicas": "2"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "5", "compression.type": "gzip"}},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 20000, "rate": "20000/s", "value": "user=u{i%100} event=page_view page=/products/{i%37} n={i}"},
	  {"at": "1500ms", "op": "end"}]}}`)
	run := []byte(`{"method":"advance","params":{"to":"end"}}`)
	for _, c := range []struct {
		name string
		new  func(b *testing.B) Caller
	}{
		{"native", func(*testing.B) Caller { return NewNative(api.Options{}) }},
		{"wazero", func(b *testing.B) Caller { return newInstance(b) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			caller := c.new(b)
			for b.Loop() {
				for _, req := range [][]byte{open, run} {
					if reply, err := caller.Call(req); err != nil || bytes.HasPrefix(reply, []byte(`{"error"`)) {
						b.Fatalf("%s: %v", reply, err)
					}
				}
			}
			b.ReportMetric(records*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
