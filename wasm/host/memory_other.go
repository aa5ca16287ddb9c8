//go:build !(linux || darwin)

package host

import "context"

// withReservedMemory keeps wazero's default linear memory where this package
// does not map memory itself (see memory_mmap.go).
func withReservedMemory(ctx context.Context) context.Context { return ctx }
