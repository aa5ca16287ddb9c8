// Command bare is the smallest Go wasip1 reactor with the engine's ABI: it
// echoes the request. The shim's tests list the WASI imports it needs.
package main

import "unsafe"

var (
	buffers = map[uint32][]byte{}
	reply   []byte
)

//go:wasmexport bl_alloc
func blAlloc(size uint32) uint32 {
	b := make([]byte, size+1)
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	buffers[p] = b
	return p
}

//go:wasmexport bl_free
func blFree(p uint32) { delete(buffers, p) }

//go:wasmexport bl_call
func blCall(p, n uint32) uint64 {
	reply = append(append([]byte(`{"result":`), buffers[p][:n]...), '}')
	return uint64(uintptr(unsafe.Pointer(&reply[0])))<<32 | uint64(len(reply))
}

func main() {}
