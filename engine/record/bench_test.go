package record

import "testing"

func benchBatch(n int) *Batch {
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = Record{Key: []byte("key-0001"), Value: []byte("value-0123456789-0123456789")}
	}
	return NewBatch(1700000000000, recs...)
}

func BenchmarkEncode100(b *testing.B) {
	bt := benchBatch(100)
	buf := make([]byte, 0, bt.SizeInBytes())
	b.SetBytes(int64(bt.SizeInBytes()))
	for b.Loop() {
		buf = bt.AppendTo(buf[:0])
	}
}

func BenchmarkDecode100(b *testing.B) {
	enc := benchBatch(100).Encode()
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, _, err := Decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}
