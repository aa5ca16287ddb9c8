package log

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestSegmentsDescribeTheLog(t *testing.T) {
	cfg := DefaultConfig()
	size := batchOf(0, 2, 10, 0).SizeInBytes()
	cfg.SegmentBytes = 2 * size
	l, _, err := Open(NewMemStore(), testDir, cfg, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for i, ts := range []int64{50, 40, 70} {
		mustAppend(t, l, batchOf(l.LEO(), 2, 10, ts), time.Duration(i+2)*time.Second)
	}
	want := []SegmentInfo{
		{Name: SegmentName(testDir, 0), BaseOffset: 0, NextOffset: 4, Batches: 2, SizeBytes: int64(2 * size),
			LargestTimestamp: 50, CreatedAt: time.Second},
		{Name: SegmentName(testDir, 4), BaseOffset: 4, NextOffset: 6, Batches: 1, SizeBytes: int64(size),
			UnflushedBytes: int64(size), LargestTimestamp: 70, CreatedAt: 4 * time.Second, Active: true},
	}
	if got := l.Segments(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Segments =\n%+v\nwant\n%+v", got, want)
	}
}

func TestRecoveryReportOfACleanLog(t *testing.T) {
	store := NewMemStore()
	cfg := DefaultConfig()
	cfg.SegmentBytes = 1000
	l := openLog(t, store, cfg)
	for i := 0; i < 30; i++ {
		mustAppend(t, l, batchOf(l.LEO(), 3, 20, 0), 0)
	}
	if _, err := l.DeleteSegmentsBelow(20); err != nil {
		t.Fatal(err)
	}
	segs, start, leo := len(l.Segments()), l.LogStartOffset(), l.LEO()
	batches := 0
	for _, s := range l.Segments() {
		batches += s.Batches
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	_, rec, err := Open(store, testDir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := Recovery{Segments: segs, Batches: batches, LogStartOffset: start, LogEndOffset: leo}
	if !reflect.DeepEqual(rec, want) || rec.BytesDropped() != 0 {
		t.Fatalf("recovery %+v, want %+v", rec, want)
	}
}

func TestClosedLogRefusesWork(t *testing.T) {
	for _, stop := range []string{"close", "crash"} {
		l := openLog(t, NewMemStore(), DefaultConfig())
		mustAppend(t, l, batchOf(0, 1, 1, 0), 0)
		if stop == "close" {
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
		} else {
			l.Crash()
		}
		errs := []error{l.Append(batchOf(1, 1, 1, 0), 0), l.Flush(), l.Truncate(0), l.Roll(0), l.Close()}
		_, err := l.Read(0, 1)
		errs = append(errs, err)
		_, err = l.MaybeFlush(0)
		errs = append(errs, err)
		for i, err := range errs {
			if !errors.Is(err, errClosed) {
				t.Errorf("%s: call %d: %v, want errClosed", stop, i, err)
			}
		}
		if lost := l.Crash(); lost != (Lost{}) {
			t.Errorf("%s: second Crash lost %+v", stop, lost)
		}
	}
}

func TestOpenRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SegmentBytes = 0
	if _, _, err := Open(NewMemStore(), testDir, cfg, 0); err == nil {
		t.Fatal("segment.bytes 0 accepted")
	}
	l := openLog(t, NewMemStore(), DefaultConfig())
	cfg = DefaultConfig()
	cfg.FlushMessages = 0
	if err := l.SetConfig(cfg); err == nil {
		t.Fatal("flush.messages 0 accepted")
	}
}
