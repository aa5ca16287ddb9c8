package sha256

import (
	"encoding/binary"
	"hash"
)

const blockSize = 64

//go:generate go run gen.go

type digest struct {
	h   [8]uint32
	x   [blockSize]byte
	nx  int
	len uint64
}

// newDigest is the plain Go SHA-256 New uses in WebAssembly.
func newDigest() hash.Hash {
	d := new(digest)
	d.Reset()
	return d
}

// sumDigest is the plain Go SHA-256 Sum256 uses in WebAssembly.
func sumDigest(data []byte) [Size]byte {
	var d digest
	d.Reset()
	d.Write(data)
	return d.sum()
}

func (d *digest) Reset() {
	d.h = [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
	d.nx = 0
	d.len = 0
}

func (d *digest) Size() int      { return Size }
func (d *digest) BlockSize() int { return blockSize }

func (d *digest) Write(p []byte) (int, error) {
	n := len(p)
	d.len += uint64(n)
	if d.nx > 0 {
		c := copy(d.x[d.nx:], p)
		d.nx += c
		p = p[c:]
		if d.nx < blockSize {
			return n, nil
		}
		d.block(d.x[:])
		d.nx = 0
	}
	if len(p) >= blockSize {
		m := len(p) &^ (blockSize - 1)
		d.block(p[:m])
		p = p[m:]
	}
	d.nx = copy(d.x[:], p)
	return n, nil
}

func (d *digest) Sum(in []byte) []byte {
	c := *d // Sum does not change the running hash
	s := c.sum()
	return append(in, s[:]...)
}

func (d *digest) sum() [Size]byte {
	n := d.len
	var pad [blockSize + 8]byte
	pad[0] = 0x80
	padLen := 56 - int(n%blockSize)
	if padLen <= 0 {
		padLen += blockSize
	}
	binary.BigEndian.PutUint64(pad[padLen:], n<<3)
	d.Write(pad[:padLen+8])
	var out [Size]byte
	for i, v := range d.h {
		binary.BigEndian.PutUint32(out[i*4:], v)
	}
	return out
}
