package host

import (
	"bytes"
	"os"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
)

// BenchmarkCall is one round trip of a small request, in-process and
// through engine.wasm under wazero.
func BenchmarkCall(b *testing.B) {
	req := []byte(`{"method":"snapshot","params":{}}`)
	for _, c := range []struct {
		name string
		new  func(b *testing.B) Caller
	}{
		{"native", func(*testing.B) Caller { return NewNative(api.Options{}) }},
		{"wazero", func(b *testing.B) Caller { return newInstance(b) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			caller := c.new(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := caller.Call(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkThreeBrokerScenario reports simulated seconds per wall second of
// engine/cluster/testdata/bench3.json (3 brokers, RF=3, 2,000 records/s),
// in-process and under wazero.
func BenchmarkThreeBrokerScenario(b *testing.B) {
	sc, err := os.ReadFile("../../engine/cluster/testdata/bench3.json")
	if err != nil {
		b.Fatal(err)
	}
	open := []byte(`{"method":"open","params":` + string(sc) + `}`)
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
			b.ReportMetric(10*float64(b.N)/b.Elapsed().Seconds(), "sim-s/s")
		})
	}
}
