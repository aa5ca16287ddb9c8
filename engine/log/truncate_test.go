package log

import (
	"reflect"
	"testing"

	"github.com/brokerlab/brokerlab/engine/record"
)

// truncLog builds ten batches of two records (offsets 0..19) in segments of
// four batches, the first seven flushed, and returns them.
func truncLog(t *testing.T, store Store) (*Log, []*record.Batch) {
	cfg := DefaultConfig()
	cfg.SegmentBytes = 4 * batchOf(0, 2, 20, 0).SizeInBytes()
	l := openLog(t, store, cfg)
	var all []*record.Batch
	for i := 0; i < 10; i++ {
		b := batchOf(int64(2*i), 2, 20, int64(i))
		mustAppend(t, l, b, 0)
		all = append(all, b)
		if i == 6 {
			l.Flush()
		}
	}
	return l, all
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		to       int64
		leo      int64
		segments []int64
	}{
		{"at LEO: nothing", 20, 20, []int64{0, 8, 16}},
		{"past LEO: nothing", 99, 20, []int64{0, 8, 16}},
		{"batch boundary in the page cache", 18, 18, []int64{0, 8, 16}},
		{"inside a batch removes all of it", 15, 14, []int64{0, 8}},
		{"batch boundary on disk", 10, 10, []int64{0, 8}},
		{"segment base empties that segment", 8, 8, []int64{0, 8}},
		{"inside the first batch", 1, 0, []int64{0}},
		{"zero", 0, 0, []int64{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := NewMemStore()
			l, all := truncLog(t, store)
			if err := l.Truncate(tc.to); err != nil {
				t.Fatal(err)
			}
			if l.LEO() != tc.leo {
				t.Fatalf("LEO %d, want %d", l.LEO(), tc.leo)
			}
			if got := segmentBases(l); !reflect.DeepEqual(got, tc.segments) {
				t.Fatalf("segments %v, want %v", got, tc.segments)
			}
			want := all[:tc.leo/2]
			sameBatches(t, readAll(t, l), want)
			if l.FlushedOffset() > l.LEO() || l.UnflushedMessages() < 0 {
				t.Fatalf("recovery point %d past LEO %d", l.FlushedOffset(), l.LEO())
			}
			// The log goes on from the new end, and survives a clean restart.
			next := batchOf(l.LEO(), 2, 20, 99)
			mustAppend(t, l, next, 0)
			want = append(append([]*record.Batch(nil), want...), next)
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l2 := openLog(t, store, l.cfg)
			sameBatches(t, readAll(t, l2), want)
			names, _ := store.List(testDir)
			if len(names) != len(l2.Segments()) {
				t.Fatalf("store holds %v for %d segments", names, len(l2.Segments()))
			}
		})
	}
}

func TestTruncateBelowFirstSegmentRestarts(t *testing.T) {
	store := NewMemStore()
	l, _ := truncLog(t, store)
	if _, err := l.DeleteSegmentsBelow(16); err != nil {
		t.Fatal(err)
	}
	if l.LogStartOffset() != 16 {
		t.Fatalf("log start %d", l.LogStartOffset())
	}
	if err := l.Truncate(5); err != nil {
		t.Fatal(err)
	}
	if l.LEO() != 5 || l.LogStartOffset() != 5 || !reflect.DeepEqual(segmentBases(l), []int64{5}) {
		t.Fatalf("LEO %d, start %d, segments %v", l.LEO(), l.LogStartOffset(), segmentBases(l))
	}
	if names, _ := store.List(""); !reflect.DeepEqual(names, []string{SegmentName(testDir, 5)}) {
		t.Fatalf("store holds %v", names)
	}
}

func TestDeleteSegmentsBelowAndLogStart(t *testing.T) {
	store := NewMemStore()
	l, all := truncLog(t, store)
	gone, err := l.DeleteSegmentsBelow(12) // segment 0 ends at 8 ≤ 12; segment 8 runs to 16
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 1 || gone[0].BaseOffset != 0 || gone[0].NextOffset != 8 {
		t.Fatalf("deleted %+v", gone)
	}
	if l.LogStartOffset() != 8 {
		t.Fatalf("log start %d, want 8", l.LogStartOffset())
	}
	if err := l.SetLogStartOffset(11); err != nil || l.LogStartOffset() != 11 {
		t.Fatalf("SetLogStartOffset(11): %v, %d", err, l.LogStartOffset())
	}
	if err := l.SetLogStartOffset(9); err != nil || l.LogStartOffset() != 11 {
		t.Fatalf("lowering the log start: %v, %d", err, l.LogStartOffset())
	}
	if err := l.SetLogStartOffset(21); err == nil {
		t.Fatal("log start past LEO accepted")
	}
	sameBatches(t, readAll(t, l), all[5:])
	if gone, _ := l.DeleteSegmentsBelow(1 << 40); len(gone) != 1 || len(l.Segments()) != 1 {
		t.Fatalf("the active segment must stay: deleted %d, left %d", len(gone), len(l.Segments()))
	}
}
