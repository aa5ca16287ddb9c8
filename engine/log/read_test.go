package log

import (
	"errors"
	"testing"

	"github.com/brokerlab/brokerlab/engine/record"
)

func TestReadSemantics(t *testing.T) {
	cfg := DefaultConfig()
	size := batchOf(0, 2, 20, 0).SizeInBytes() // every batch below is this size
	cfg.SegmentBytes = 4 * size
	l := openLog(t, NewMemStore(), cfg)
	var all []*record.Batch
	for i := 0; i < 10; i++ { // offsets 0..19, two per batch; segments at 0, 8, 16
		b := batchOf(int64(2*i), 2, 20, 0)
		mustAppend(t, l, b, 0)
		all = append(all, b)
	}
	if err := l.SetLogStartOffset(3); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		from     int64
		maxBytes int
		first, n int // expected batches all[first:first+n]
		err      error
	}{
		{"batch start", 4, 2 * size, 2, 2, nil},
		{"middle of a batch returns the whole batch", 5, 2 * size, 2, 2, nil},
		{"maxBytes one short of two batches", 4, 2*size - 1, 2, 1, nil},
		{"maxBytes 0 still returns one batch", 4, 0, 2, 1, nil},
		{"never crosses a segment", 4, 100 * size, 2, 2, nil},
		{"first batch of a segment", 8, 100 * size, 4, 4, nil},
		{"last batch", 19, 100 * size, 9, 1, nil},
		{"log start inside a batch", 3, size, 1, 1, nil},
		{"at LEO: nothing", 20, size, 0, 0, nil},
		{"below log start", 2, size, 0, 0, ErrOffsetOutOfRange},
		{"past LEO", 21, size, 0, 0, ErrOffsetOutOfRange},
	} {
		got, err := l.Read(tc.from, tc.maxBytes)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: err = %v, want %v", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(got) != tc.n {
			t.Errorf("%s: %d batches, want %d", tc.name, len(got), tc.n)
			continue
		}
		sameBatches(t, got, all[tc.first:tc.first+tc.n])
	}
}

func TestReadSeesPageCacheAndDisk(t *testing.T) {
	cfg := DefaultConfig()
	l := openLog(t, NewMemStore(), cfg)
	var all []*record.Batch
	for i := 0; i < 6; i++ {
		b := batchOf(l.LEO(), 3, 10, int64(i))
		mustAppend(t, l, b, 0)
		all = append(all, b)
		if i == 2 {
			if err := l.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Half the segment is on the Store, half in the page cache: one read spans both.
	if l.segs[0].disk == 0 || l.segs[0].dirty.len() == 0 {
		t.Fatalf("setup: disk %d, dirty %d", l.segs[0].disk, l.segs[0].dirty.len())
	}
	got, err := l.Read(0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sameBatches(t, got, all)
}
