package log

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

const testDir = "b-1/t-0"

// batchOf returns a batch at base with n records of valueSize-byte values,
// timestamped ts.
func batchOf(base int64, n, valueSize int, ts int64) *record.Batch {
	recs := make([]record.Record, n)
	for i := range recs {
		recs[i] = record.Record{Key: []byte{byte(i)}, Value: bytes.Repeat([]byte{'v'}, valueSize)}
	}
	b := record.NewBatch(ts, recs...)
	b.BaseOffset = base
	return b
}

func randomBatchAt(rng *rand.Rand, base, ts int64) *record.Batch {
	return batchOf(base, 1+rng.IntN(10), rng.IntN(150), ts)
}

func openLog(t testing.TB, store Store, cfg Config) *Log {
	t.Helper()
	l, rec, err := Open(store, testDir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Dropped) != 0 {
		t.Fatalf("unexpected recovery cuts: %+v", rec.Dropped)
	}
	return l
}

func mustAppend(t testing.TB, l *Log, b *record.Batch, now time.Duration) {
	t.Helper()
	if err := l.Append(b, now); err != nil {
		t.Fatal(err)
	}
}

// readAll reads every batch from the log start through Read.
func readAll(t *testing.T, l *Log) []*record.Batch {
	t.Helper()
	var out []*record.Batch
	for off := l.LogStartOffset(); off < l.LEO(); {
		bs, err := l.Read(off, 1<<30)
		if err != nil {
			t.Fatalf("Read(%d): %v", off, err)
		}
		if len(bs) == 0 {
			t.Fatalf("Read(%d) returned nothing below LEO %d", off, l.LEO())
		}
		out = append(out, bs...)
		off = bs[len(bs)-1].NextOffset()
	}
	return out
}

func sameBatches(t *testing.T, got, want []*record.Batch) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d batches, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].Encode(), want[i].Encode()) {
			t.Fatalf("batch %d (offset %d) differs", i, want[i].BaseOffset)
		}
	}
}

func segmentBases(l *Log) []int64 {
	var out []int64
	for _, s := range l.Segments() {
		out = append(out, s.BaseOffset)
	}
	return out
}
