package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must never panic, must fail
// with one of the package's error kinds, and any batch it accepts must
// re-encode to exactly the bytes it consumed.
func FuzzDecode(f *testing.F) {
	f.Add(handBuilt())
	f.Add(NewBatch(5, Record{Key: []byte("a"), Value: []byte("b")}).Encode())
	f.Add([]byte{})
	f.Add(make([]byte, 61))
	f.Add(handBuilt()[:40])
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 8; i++ {
		f.Add(randomBatch(rng, 4).Encode())
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecode(t, in)
		// Random bytes almost never pass the CRC, so decode a second copy
		// whose batchLength and crc are made consistent: that reaches the
		// records parser with arbitrary bytes.
		if len(in) >= HeaderSize {
			fixed := append([]byte(nil), in...)
			binary.BigEndian.PutUint32(fixed[posLength:], uint32(len(fixed)-LogOverhead))
			fixed[posMagic] = Magic
			fixCRC(fixed)
			checkDecode(t, fixed)
		}
	})
}

func checkDecode(t *testing.T, in []byte) {
	t.Helper()
	orig := append([]byte(nil), in...)
	b, n, err := Decode(in)
	if !bytes.Equal(in, orig) {
		t.Fatal("Decode modified its input")
	}
	if err != nil {
		if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("error of unknown kind: %v", err)
		}
		return
	}
	if n < HeaderSize || n > len(in) {
		t.Fatalf("consumed %d of %d bytes", n, len(in))
	}
	if b.Compression() != CompressionNone {
		return // a codec need not reproduce the same compressed bytes
	}
	if enc := b.Encode(); !bytes.Equal(enc, in[:n]) {
		t.Fatalf("re-encoding differs:\n got % x\nwant % x", enc, in[:n])
	}
	if b.SizeInBytes() != n {
		t.Fatalf("SizeInBytes %d, consumed %d", b.SizeInBytes(), n)
	}

}
