package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcPacer runs the garbage collector's cycles whole, at the engine's yield
// points (Options.Yield, every few hundred simulation steps), instead of
// leaving them to the runtime. A reactor is single-threaded and its clocks
// are fake, so a concurrent cycle the runtime starts marks only in
// allocation assists and in the brief turns the yields give its worker:
// it stays in its mark phase for most of an advance, with every pointer
// write paying the write barrier (about a tenth of the engine's time in
// V8). Run as one call, the same marking is done at once and the barrier
// is off the rest of the time.
//
// The pacer keeps GOGC=100's heap: a cycle once the bytes allocated since
// the last one reach the heap that survived it. The runtime's own trigger
// stays as a backstop for work that never yields, at a larger GOGC.
type gcPacer struct {
	samples [2]metrics.Sample
	next    uint64 // run a cycle once cumulative allocations reach this
}

// minGCHeap is the least a cycle waits for, so a small heap is not
// collected at every yield.
const minGCHeap = 4 << 20

// backstopGOGC is the runtime's own GOGC while the pacer runs cycles.
const backstopGOGC = 400

// pacer is the reactor's: advances yield to it, and every bl_call ends in
// it (an advance of a few steps never reaches a yield point).
var pacer = newGCPacer()

func newGCPacer() *gcPacer {
	p := &gcPacer{}
	p.samples[0].Name = "/gc/heap/allocs:bytes"
	p.samples[1].Name = "/gc/heap/live:bytes"
	debug.SetGCPercent(backstopGOGC)
	p.plan()
	return p
}

// plan sets the allocation mark of the next cycle.
func (p *gcPacer) plan() {
	metrics.Read(p.samples[:])
	p.next = p.samples[0].Value.Uint64() + max(p.samples[1].Value.Uint64(), minGCHeap)
}

// yield is Options.Yield: a whole cycle when one is due, then a turn for
// any other goroutine.
func (p *gcPacer) yield() {
	metrics.Read(p.samples[:1])
	if p.samples[0].Value.Uint64() >= p.next {
		runtime.GC()
		p.plan()
	}
	runtime.Gosched()
}
