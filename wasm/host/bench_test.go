package host

import (
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
