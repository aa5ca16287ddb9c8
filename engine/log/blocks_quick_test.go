package log

import (
	"bytes"
	"math/rand"

	"github.com/brokerlab/brokerlab/engine/record"
	"testing"
)

// TestMemFileQuick checks the memory store's block files against a plain
// byte slice under random writes, truncations and reads.
func TestMemFileQuick(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for round := 0; round < 20; round++ {
		s := NewMemStore()
		f, _ := s.Open("a/b")
		var ref []byte
		for op := 0; op < 200; op++ {
			switch r.Intn(4) {
			case 0, 1:
				off := int64(r.Intn(len(ref) + 1 + r.Intn(3)*70000))
				p := make([]byte, r.Intn(100000))
				r.Read(p)
				f.WriteAt(p, off)
				if end := int(off) + len(p); end > len(ref) {
					ref = append(ref, make([]byte, end-len(ref))...)
				}
				copy(ref[off:], p)
			case 2:
				n := int64(r.Intn(len(ref) + 70000))
				f.Truncate(n)
				if int(n) <= len(ref) {
					ref = ref[:n]
				} else {
					ref = append(ref, make([]byte, int(n)-len(ref))...)
				}
			case 3:
				off := int64(r.Intn(len(ref) + 1))
				p := make([]byte, r.Intn(200000))
				n, _ := f.ReadAt(p, off)
				want := ref[off:]
				if len(want) > len(p) {
					want = want[:len(p)]
				}
				if n != len(want) || !bytes.Equal(p[:n], want) {
					t.Fatalf("round %d op %d: read mismatch", round, op)
				}
			}
			if sz, _ := f.Size(); sz != int64(len(ref)) {
				t.Fatalf("size %d want %d", sz, len(ref))
			}
		}
	}
}

// TestPageBufQuick checks the page cache's blocks against a plain byte
// slice under random appends, write-backs, truncations and reads.
func TestPageBufQuick(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for round := 0; round < 40; round++ {
		var p pageBuf
		var ref []byte
		for op := 0; op < 300; op++ {
			switch r.Intn(5) {
			case 0, 1:
				n := 1 + r.Intn(3)
				if r.Intn(20) == 0 {
					n = 2000
				}
				recs := make([]record.Record, n)
				for i := range recs {
					recs[i].Value = make([]byte, r.Intn(100))
					r.Read(recs[i].Value)
				}
				b := record.NewBatch(int64(r.Intn(1000)), recs...)
				enc := b.Encode()
				p.appendBatch(b, len(enc))
				ref = append(ref, enc...)
			case 2:
				k := r.Intn(len(ref) + 1)
				p.consume(k)
				ref = ref[k:]
			case 3:
				n := r.Intn(len(ref) + 1)
				p.truncate(n)
				ref = ref[:n]
			case 4:
				from := r.Intn(len(ref) + 1)
				dst := make([]byte, r.Intn(len(ref)-from+1))
				p.copyAt(dst, from)
				if !bytes.Equal(dst, ref[from:from+len(dst)]) {
					t.Fatalf("round %d op %d: copyAt mismatch", round, op)
				}
			}
			if p.len() != len(ref) {
				t.Fatalf("round %d op %d: len %d want %d", round, op, p.len(), len(ref))
			}
		}
		s := NewMemStore()
		f, _ := s.Open("x")
		if err := p.writeTo(f, len(ref), 0); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(ref))
		f.ReadAt(got, 0)
		if !bytes.Equal(got, ref) {
			t.Fatalf("round %d: writeTo mismatch", round)
		}
	}
}
