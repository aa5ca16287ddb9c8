package record

import (
	"bytes"
	"sync"
)

// maxDecompressed bounds what any codec inflates one records section to
// (a hostile batch must not allocate without limit).
const maxDecompressed = 32 << 20

// A batch's records are compressed once by the producer but sized and
// written several times on their way (the leader's checks and log append,
// every follower, every fetch), and a Batch keeps its records decoded. The
// codecs therefore remember their last few results: compression is
// deterministic, so a remembered result is byte-for-byte what compressing
// again would give, only cheaper.
const (
	memoEntries  = 16
	memoMaxInput = 1 << 20
)

type memoEntry struct {
	codec    Compression
	raw, out []byte
}

var memo struct {
	sync.Mutex // native tests run clusters in parallel; the engine itself is single-threaded
	entries    [memoEntries]memoEntry
	next       int
}

// memoCompress appends the compressed form of src to dst, from memory when
// the same codec compressed the same bytes recently, else with compress.
func memoCompress(c Compression, dst, src []byte, compress func(dst, src []byte) []byte) []byte {
	if len(src) > memoMaxInput {
		return compress(dst, src)
	}
	memo.Lock()
	for i := range memo.entries {
		if e := &memo.entries[i]; e.codec == c && len(e.raw) == len(src) && bytes.Equal(e.raw, src) {
			dst = append(dst, e.out...)
			memo.Unlock()
			return dst
		}
	}
	memo.Unlock()
	start := len(dst)
	dst = compress(dst, src)
	memo.Lock()
	memo.entries[memo.next] = memoEntry{codec: c, raw: append([]byte(nil), src...), out: append([]byte(nil), dst[start:]...)}
	memo.next = (memo.next + 1) % memoEntries
	memo.Unlock()
	return dst
}

// ParseCompression maps a compression.type name to its codec id.
func ParseCompression(name string) (Compression, bool) {
	for c := CompressionNone; c <= CompressionZstd; c++ {
		if c.String() == name {
			return c, true
		}
	}
	return 0, false
}

// Supported reports whether batches with codec c can be encoded and decoded
// by this build.
func Supported(c Compression) bool {
	if c == CompressionNone {
		return true
	}
	_, err := lookupCodec(c)
	return err == nil
}
