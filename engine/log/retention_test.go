package log

import (
	"reflect"
	"strings"
	"testing"
)

// retentionLog builds a log of one-record batches, three per segment, with
// timestamps ts[i] for batch i; everything is below the returned HWM.
func retentionLog(t *testing.T, ts ...int64) (*Log, int) {
	t.Helper()
	size := batchOf(0, 1, 10, 0).SizeInBytes()
	cfg := DefaultConfig()
	cfg.SegmentBytes = 3 * size
	l := openLog(t, NewMemStore(), cfg)
	for i, x := range ts {
		mustAppend(t, l, batchOf(int64(i), 1, 10, x), 0)
	}
	return l, size
}

func rules(res RetentionResult) []string {
	var out []string
	for _, d := range res.Deleted {
		out = append(out, d.Rule)
	}
	return out
}

func TestRetentionByTimeDeletesOnlyAPrefixBelowTheHWM(t *testing.T) {
	// Segments [0,3) newest ts 300, [3,6) newest ts 600 (but an old record
	// later: 100), [6,9) newest 900, active [9] ts 50.
	l, _ := retentionLog(t, 100, 200, 300, 400, 600, 100, 700, 800, 900, 50)
	p := RetentionPolicy{Delete: true, RetentionMs: 500, RetentionBytes: -1, NowMs: 1000, HighWatermark: 10}
	res, err := l.DeleteOldSegments(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	// [0,3) is 700 ms old: deleted. [3,6) is 400 ms old by its largest
	// timestamp: kept, and nothing after it goes even though the active
	// segment's only record is old.
	if got := segmentBases(l); !reflect.DeepEqual(got, []int64{3, 6, 9}) {
		t.Fatalf("segments %v, want [3 6 9]", got)
	}
	if got := rules(res); !reflect.DeepEqual(got, []string{RuleRetentionMs}) || res.Rolled {
		t.Fatalf("deleted by %v (rolled %v), want one retention.ms deletion", got, res.Rolled)
	}
	if !strings.Contains(res.Deleted[0].Reason, "700ms old") {
		t.Errorf("reason %q does not give the age", res.Deleted[0].Reason)
	}
	if l.LogStartOffset() != 3 || res.LogStartOffset != 3 {
		t.Errorf("log start offset %d (result %d), want 3", l.LogStartOffset(), res.LogStartOffset)
	}
}

func TestRetentionNeverDeletesAtOrAboveTheHWM(t *testing.T) {
	l, _ := retentionLog(t, 1, 1, 1, 1, 1, 1, 1)
	p := RetentionPolicy{Delete: true, RetentionMs: 10, RetentionBytes: -1, NowMs: 1000, HighWatermark: 5}
	if _, err := l.DeleteOldSegments(p, 0); err != nil {
		t.Fatal(err)
	}
	// [0,3) ends below 5; [3,6) holds offset 5: kept.
	if got := segmentBases(l); !reflect.DeepEqual(got, []int64{3, 6}) {
		t.Fatalf("segments %v, want [3 6]", got)
	}
	p.HighWatermark = 7
	res, err := l.DeleteOldSegments(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Everything is below the HWM now: the idle active segment goes too,
	// after a new empty one is rolled at the log end.
	if got := segmentBases(l); !reflect.DeepEqual(got, []int64{7}) || !res.Rolled {
		t.Fatalf("segments %v rolled %v, want [7] after a roll", got, res.Rolled)
	}
	if l.LogStartOffset() != 7 || l.LEO() != 7 {
		t.Fatalf("log start %d LEO %d, want 7 and 7", l.LogStartOffset(), l.LEO())
	}
	for i, d := range res.Deleted {
		if last := i == len(res.Deleted)-1; d.Rolled != last || strings.Contains(d.Reason, "active segment") != last {
			t.Errorf("deletion %d (segment %d): rolled %v, reason %q; only the last one was the active segment", i, d.Segment.BaseOffset, d.Rolled, d.Reason)
		}
	}
	// An empty active segment is never deleted, so a second pass does nothing.
	res, err = l.DeleteOldSegments(p, 0)
	if err != nil || len(res.Deleted) != 0 {
		t.Fatalf("second pass deleted %v (%v)", rules(res), err)
	}
	mustAppend(t, l, batchOf(7, 1, 10, 2000), 0)
	if l.LEO() != 8 {
		t.Fatalf("appending after retention: LEO %d, want 8", l.LEO())
	}
}

func TestRetentionRulesRunInKafkasOrder(t *testing.T) {
	l, size := retentionLog(t, 10, 10, 10, 500, 500, 500, 990, 990, 990, 990)
	if err := l.SetLogStartOffset(4); err != nil {
		t.Fatal(err)
	}
	// Log start first: [0,3) goes (the next segment starts at 3 ≤ 4).
	// Then bytes: 7 batches left, the limit is 4: [3,6) goes, [6,9) would
	// take the log below the limit (Kafka deletes a segment only if the log
	// stays at or over it). Then time: nothing older than 600 ms is left.
	p := RetentionPolicy{Delete: true, RetentionMs: 600, RetentionBytes: int64(size * 4), NowMs: 1000, HighWatermark: 10}
	res, err := l.DeleteOldSegments(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := rules(res); !reflect.DeepEqual(got, []string{RuleLogStartOffset, RuleRetentionBytes}) {
		t.Fatalf("rules %v, want log start then bytes", got)
	}
	if got := segmentBases(l); !reflect.DeepEqual(got, []int64{6, 9}) {
		t.Fatalf("segments %v, want [6 9]", got)
	}
	// Without "delete" in cleanup.policy only the log-start rule applies.
	l2, _ := retentionLog(t, 10, 10, 10, 10, 10, 10, 10)
	if err := l2.SetLogStartOffset(3); err != nil {
		t.Fatal(err)
	}
	p.Delete = false
	res, err = l2.DeleteOldSegments(p, 0)
	if err != nil || !reflect.DeepEqual(rules(res), []string{RuleLogStartOffset}) {
		t.Fatalf("compact-only log: rules %v (%v), want only the log-start rule", rules(res), err)
	}
}

func TestRetentionBytesKeepsTheLogUnderTheLimit(t *testing.T) {
	l, size := retentionLog(t, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
	p := RetentionPolicy{Delete: true, RetentionMs: -1, RetentionBytes: int64(5 * size), NowMs: 1000, HighWatermark: 11}
	if _, err := l.DeleteOldSegments(p, 0); err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, s := range l.Segments() {
		total += s.SizeBytes
	}
	// 11 batches: deleting [0,3) and [3,6) leaves 5 = the limit exactly.
	if total != int64(5*size) || !reflect.DeepEqual(segmentBases(l), []int64{6, 9}) {
		t.Fatalf("segments %v with %d bytes, want [6 9] with %d", segmentBases(l), total, 5*size)
	}
}

func TestSizeBetweenCountsWholeBatches(t *testing.T) {
	l, size := retentionLog(t, 1, 1, 1, 1, 1, 1, 1)
	for _, tc := range []struct {
		from, to int64
		batches  int
	}{{0, 7, 7}, {0, 0, 0}, {2, 4, 2}, {3, 4, 1}, {5, 100, 2}, {6, 6, 0}} {
		got, err := l.SizeBetween(tc.from, tc.to)
		if err != nil || got != int64(tc.batches*size) {
			t.Errorf("SizeBetween(%d, %d) = %d, %v; want %d", tc.from, tc.to, got, err, tc.batches*size)
		}
	}
}
