package sha256

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// TestDigestMatchesCrypto checks the WebAssembly block function against
// crypto/sha256 over every length across several blocks, written whole and
// in uneven pieces, and that Sum leaves the running hash alone.
func TestDigestMatchesCrypto(t *testing.T) {
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(i*7 + i>>3)
	}
	for n := 0; n <= len(data); n++ {
		want := sha256.Sum256(data[:n])
		if got := sumDigest(data[:n]); got != want {
			t.Fatalf("len %d: Sum256 %x, want %x", n, got, want)
		}
		h := newDigest()
		for p := data[:n]; len(p) > 0; {
			c := min(len(p), 1+n%13)
			h.Write(p[:c])
			p = p[c:]
			if len(p)%2 == 0 {
				h.Sum(nil)
			}
		}
		if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
			t.Fatalf("len %d: pieces %x, want %x", n, got, want)
		}
	}
}

// BenchmarkWrite hashes trace-sized lines (GOOS=js GOARCH=wasm go test
// -exec $(go env GOROOT)/lib/wasm/go_js_wasm_exec measures it in V8).
func BenchmarkWrite(b *testing.B) {
	line := make([]byte, 230)
	for i := range line {
		line[i] = byte('a' + i%26)
	}
	h := newDigest()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		h.Write(line)
	}
}
