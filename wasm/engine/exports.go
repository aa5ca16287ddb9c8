//go:build wasip1

package main

import "unsafe"

// The host and this module share one linear memory; a pointer is an offset
// into it. Go's garbage collector does not move objects, so keeping a
// reference to a buffer is enough to keep its address valid.
var (
	engine = newEngine()
	// allocs holds every buffer handed out by bl_alloc until bl_free.
	allocs = map[uint32][]byte{}
	// reply holds the last reply until the next bl_call.
	reply []byte
)

// blAlloc returns the address of size fresh bytes for the host to fill.
//
//go:wasmexport bl_alloc
func blAlloc(size uint32) uint32 {
	buf := make([]byte, max(size, 1)) // a zero-size slice has no unique address
	ptr := addr(buf)
	allocs[ptr] = buf
	return ptr
}

// blFree releases a buffer from bl_alloc; unknown pointers are ignored.
//
//go:wasmexport bl_free
func blFree(ptr uint32) {
	delete(allocs, ptr)
}

// blCall runs the request in the first size bytes of the bl_alloc buffer at
// ptr and returns ptr<<32|len of the reply, which stays valid until the next
// bl_call.
//
//go:wasmexport bl_call
func blCall(ptr, size uint32) uint64 {
	if buf, ok := allocs[ptr]; ok && int(size) <= len(buf) {
		reply = safeCall(engine.Call, buf[:size:size])
	} else {
		reply = errorReply("INVALID_REQUEST", "wasm/engine: bl_call needs a buffer from bl_alloc")
	}
	// A reactor has no idle loop, so a runnable goroutine only runs when an
	// export yields. The garbage collector's mark workers are goroutines: left
	// runnable, a GC cycle never finishes and the heap grows without bound
	// (seen after ~5k calls of 64 KiB). Run a due cycle and let them run
	// once per call (see gcPacer).
	pacer.yield()
	if len(reply) == 0 {
		return 0
	}
	return uint64(addr(reply))<<32 | uint64(len(reply))
}

func addr(b []byte) uint32 { return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b)))) }
