//go:build linux || darwin

package host

import (
	"context"
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// withReservedMemory makes the instance's linear memory one reservation of
// its maximum size, mapped without committing pages, so growing it never
// copies. wazero's default grows a Go slice by append: every memory.grow of
// the guest (Go's runtime asks for a few pages at a time) can copy the whole
// memory and leave the old copy as garbage for the host's collector, which
// put peak RSS at several times the guest's memory. Untouched pages of the
// reservation cost no RSS.
func withReservedMemory(ctx context.Context) context.Context {
	return experimental.WithMemoryAllocator(ctx, experimental.MemoryAllocatorFunc(reserve))
}

// reserve maps limit bytes (capacity if limit is smaller) or returns nil,
// which makes wazero fail the instantiation.
func reserve(capacity, limit uint64) experimental.LinearMemory {
	size := max(capacity, limit)
	if size == 0 {
		size = 1 << 16
	}
	b, err := syscall.Mmap(-1, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		return nil
	}
	return &reserved{buf: b}
}

// reserved is a linear memory inside one mapping.
type reserved struct{ buf []byte }

// Reallocate returns the first size bytes of the mapping, or nil past it.
func (r *reserved) Reallocate(size uint64) []byte {
	if size > uint64(len(r.buf)) {
		return nil
	}
	return r.buf[:size]
}

// Free unmaps the memory.
func (r *reserved) Free() {
	if r.buf != nil {
		syscall.Munmap(r.buf)
		r.buf = nil
	}
}
