//go:build !wasm

package sha256

import (
	"crypto/sha256"
	"hash"
)

// New returns a SHA-256 hash.
func New() hash.Hash { return sha256.New() }

// Sum256 returns the SHA-256 sum of data.
func Sum256(data []byte) [Size]byte { return sha256.Sum256(data) }
