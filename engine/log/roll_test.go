package log

import (
	"reflect"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

func TestRollBySegmentBytes(t *testing.T) {
	size := batchOf(0, 1, 10, 0).SizeInBytes()
	for _, tc := range []struct {
		name         string
		segmentBytes int
		perSegment   int
	}{
		{"exactly three batches fit", 3 * size, 3},
		{"one byte short of three", 3*size - 1, 2},
		{"one byte more than three", 3*size + 1, 3},
		{"smaller than a batch", size / 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.SegmentBytes = tc.segmentBytes
			l := openLog(t, NewMemStore(), cfg)
			for i := 0; i < 10; i++ {
				mustAppend(t, l, batchOf(int64(i), 1, 10, 0), 0)
			}
			var want []int64
			for b := 0; b < 10; b += tc.perSegment {
				want = append(want, int64(b))
			}
			if got := segmentBases(l); !reflect.DeepEqual(got, want) {
				t.Fatalf("segment bases %v, want %v", got, want)
			}
			segs := l.Segments()
			for i, s := range segs {
				if s.Name != SegmentName(testDir, s.BaseOffset) {
					t.Errorf("segment %d named %q", i, s.Name)
				}
				if i < len(segs)-1 && (s.UnflushedBytes != 0 || s.Active) {
					t.Errorf("rolled segment %s: %+v, want flushed and inactive", s.Name, s)
				}
			}
			if !segs[len(segs)-1].Active {
				t.Error("last segment not marked active")
			}
		})
	}
}

func TestRollBySegmentMs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SegmentMs = 1000
	l := openLog(t, NewMemStore(), cfg)
	// Kafka rolls when the new batch's max timestamp is more than segment.ms
	// past the first batch's in the segment.
	for i, ts := range []int64{5000, 5500, 6000, 6001, 7001, 7002, 7003} {
		mustAppend(t, l, batchOf(int64(i), 1, 1, ts), 0)
	}
	if got, want := segmentBases(l), []int64{0, 3, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("segment bases %v, want %v", got, want)
	}
}

func TestRollBySegmentMsWithoutTimestamps(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SegmentMs = 1000
	l, _, err := Open(NewMemStore(), testDir, cfg, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// No timestamps (-1): Kafka falls back to now minus the segment's creation.
	for i, now := range []time.Duration{10 * time.Second, 11 * time.Second, 11*time.Second + time.Millisecond, 12 * time.Second} {
		mustAppend(t, l, batchOf(int64(i), 1, 1, record.NoTimestamp), now)
	}
	if got, want := segmentBases(l), []int64{0, 2}; !reflect.DeepEqual(got, want) {
		t.Fatalf("segment bases %v, want %v", got, want)
	}
	if c := l.Segments()[1].CreatedAt; c != 11*time.Second+time.Millisecond {
		t.Errorf("second segment created at %v", c)
	}
}

func TestAppendRejects(t *testing.T) {
	l := openLog(t, NewMemStore(), DefaultConfig())
	mustAppend(t, l, batchOf(0, 3, 1, 0), 0)
	for name, b := range map[string]*record.Batch{
		"gap":       batchOf(4, 1, 1, 0),
		"overlap":   batchOf(2, 1, 1, 0),
		"no record": record.NewBatch(0),
	} {
		if err := l.Append(b, 0); err == nil {
			t.Errorf("%s: append succeeded", name)
		}
	}
	if l.LEO() != 3 {
		t.Errorf("LEO %d after rejected appends, want 3", l.LEO())
	}
}

func TestRollFlushesAndRollIsNoOpWhenEmpty(t *testing.T) {
	l := openLog(t, NewMemStore(), DefaultConfig())
	if err := l.Roll(0); err != nil || len(l.Segments()) != 1 {
		t.Fatalf("Roll on an empty log: %v, %d segments", err, len(l.Segments()))
	}
	mustAppend(t, l, batchOf(0, 2, 1, 0), 0)
	if l.UnflushedBytes() == 0 {
		t.Fatal("append was flushed at once with the never-flush default")
	}
	if err := l.Roll(time.Second); err != nil {
		t.Fatal(err)
	}
	if l.UnflushedBytes() != 0 || l.FlushedOffset() != 2 {
		t.Fatalf("after roll: %d unflushed bytes, recovery point %d", l.UnflushedBytes(), l.FlushedOffset())
	}
	if got := segmentBases(l); !reflect.DeepEqual(got, []int64{0, 2}) {
		t.Fatalf("segments %v", got)
	}
}
