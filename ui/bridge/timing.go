//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/brokerlab/brokerlab/ui"
)

// WorkerTimings returns what each call of the last Call or CallBatch cost
// inside the engine worker (the timing that engine-host.js posts with each
// reply), in request order.
func (b *Browser) WorkerTimings() []ui.WorkerTiming { return b.timings }

// workerTiming reads a reply's timing object (null: no engine ran).
func workerTiming(t js.Value) ui.WorkerTiming {
	if t.Type() != js.TypeObject {
		return ui.WorkerTiming{}
	}
	num := func(v js.Value, k string) float64 {
		if f := v.Get(k); f.Type() == js.TypeNumber {
			return f.Float()
		}
		return 0
	}
	w := ui.WorkerTiming{CallMS: num(t, "call_ms"), EngineMS: num(t, "engine_ms"), CopyMS: num(t, "copy_ms"),
		WaitMS: num(t, "wait_ms"), AfterPrevMS: num(t, "after_prev_ms"), MemoryBytes: int64(num(t, "memory_bytes"))}
	if io := t.Get("io"); io.Type() == js.TypeObject {
		w.WriteMS, w.Writes = num(io, "write_ms"), int(num(io, "writes"))
		w.SyncMS, w.Syncs = num(io, "sync_ms"), int(num(io, "syncs"))
		w.ReadMS, w.Reads = num(io, "read_ms"), int(num(io, "reads"))
		w.MetaMS, w.Metas = num(io, "meta_ms"), int(num(io, "metas"))
	}
	return w
}
