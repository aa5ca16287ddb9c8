// Package sha256 is SHA-256 (FIPS 180-4) for the engine's trace and
// scenario hashes. Natively it is crypto/sha256; in WebAssembly, where
// crypto/sha256 has no assembly and pulls the whole FIPS 140 module
// (AES, DRBG, SHA-3, HMAC: ~120 KB of engine.wasm), it is the plain
// Go digest of digest.go, whose block function (block.go, written by
// gen.go) is unrolled for speed in V8; it gives the same sums.
package sha256

// Size is the length of a SHA-256 sum in bytes.
const Size = 32
