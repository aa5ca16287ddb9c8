//go:build wasm

package sha256

import "hash"

// New returns a SHA-256 hash.
func New() hash.Hash { return newDigest() }

// Sum256 returns the SHA-256 sum of data.
func Sum256(data []byte) [Size]byte { return sumDigest(data) }
