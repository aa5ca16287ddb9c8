package log

import (
	"fmt"
	"testing"

	"github.com/brokerlab/brokerlab/engine/record"
)

// BenchmarkAppend appends batches of small records to a memory-store log
// with Kafka's defaults but 1 MiB segments; every 4096 appends old segments
// are deleted, as retention would, to keep memory flat.
func BenchmarkAppend(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.SegmentBytes = 1 << 20
			l, _, err := Open(NewMemStore(), testDir, cfg, 0)
			if err != nil {
				b.Fatal(err)
			}
			recs := make([]record.Record, n)
			for i := range recs {
				recs[i] = record.Record{Key: []byte("key-0001"), Value: []byte("value-0123456789-0123456789")}
			}
			batch := record.NewBatch(1700000000000, recs...)
			b.SetBytes(int64(batch.SizeInBytes()))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				batch.BaseOffset = l.LEO()
				if err := l.Append(batch, 0); err != nil {
					b.Fatal(err)
				}
				if i++; i%4096 == 0 {
					if _, err := l.DeleteSegmentsBelow(l.LEO()); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkRead reads one batch at a random-ish offset from a flushed log.
func BenchmarkRead(b *testing.B) {
	cfg := DefaultConfig()
	cfg.SegmentBytes = 1 << 20
	l, _, _ := Open(NewMemStore(), testDir, cfg, 0)
	for i := 0; i < 20000; i++ {
		l.Append(batchOf(l.LEO(), 10, 30, 0), 0)
	}
	l.Flush()
	leo := l.LEO()
	off := int64(0)
	for b.Loop() {
		off = (off + 7919) % leo
		if _, err := l.Read(off, 1); err != nil {
			b.Fatal(err)
		}
	}
}
