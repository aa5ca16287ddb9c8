package api

import (
	"encoding/json"
	"testing"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
)

// BenchmarkReplyEncode encodes a snapshot result (records on) with the
// engine's codec and with encoding/json, which write the same bytes.
func BenchmarkReplyEncode(b *testing.B) {
	e := New(Options{})
	for _, step := range contractScript[:8] {
		e.Call([]byte(step.req))
	}
	v, err := e.snapshot([]byte(`{"records":true}`))
	if err != nil {
		b.Fatal(err)
	}
	want, _ := json.Marshal(v)
	got, _ := jsonwire.Marshal(v)
	if string(got) != string(want) {
		b.Fatal("jsonwire and encoding/json differ")
	}
	b.Logf("%d bytes", len(want))
	b.Run("jsonwire", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jsonwire.Marshal(v)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(v)
		}
	})
}
