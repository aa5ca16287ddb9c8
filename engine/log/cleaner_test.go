package log

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/record"
)

// kv is one keyed record; a nil value is a tombstone.
type kv struct {
	key   string
	value *string
}

func val(s string) *string { return &s }

// keyedLog appends one batch per record (timestamp = offset*10) to a log
// whose segments hold segRecords such batches.
func keyedLog(t testing.TB, store Store, segRecords int, recs ...kv) *Log {
	t.Helper()
	cfg := DefaultConfig()
	cfg.SegmentBytes = segRecords * keyedBatch(0, kv{"k0", val("v000")}).SizeInBytes()
	l := openLog(t, store, cfg)
	for _, r := range recs {
		mustAppend(t, l, keyedBatch(l.LEO(), r), 0)
	}
	return l
}

func keyedBatch(base int64, r kv) *record.Batch {
	rec := record.Record{Key: []byte(r.key)}
	if r.value != nil {
		rec.Value = []byte(*r.value)
	}
	b := record.NewBatch(base*10, rec)
	b.BaseOffset = base
	return b
}

// contents lists "offset:key=value" (value "∅" for a tombstone) via Read.
func contents(t *testing.T, l *Log) []string {
	t.Helper()
	var out []string
	for _, b := range readAll(t, l) {
		for i, r := range b.Records {
			v := "∅"
			if r.Value != nil {
				v = string(r.Value)
			}
			out = append(out, fmt.Sprintf("%d:%s=%s@%d", b.BaseOffset+int64(r.OffsetDelta), r.Key, v, b.RecordTimestamp(i)))
		}
	}
	return out
}

func clean(t *testing.T, l *Log, checkpoint, hwm, nowMs, lagMs, deleteRetentionMs int64) (Cleanable, CleanResult) {
	t.Helper()
	c := l.Cleanable(checkpoint, hwm, nowMs, lagMs)
	res, err := l.Clean(c, CleanConfig{NowMs: nowMs, DeleteRetentionMs: deleteRetentionMs})
	if err != nil {
		t.Fatal(err)
	}
	return c, res
}

func TestCleanerKeepsTheLatestValuePerKeyAndOffsets(t *testing.T) {
	store := NewMemStore()
	l := keyedLog(t, store, 3,
		kv{"a", val("a0")}, kv{"b", val("b0")}, kv{"a", val("a1")}, // segment 0
		kv{"c", val("c0")}, kv{"b", val("b1")}, kv{"a", val("a2")}, // segment 3
		kv{"c", val("c1")}, kv{"d", val("d0")}, // active segment 6
	)
	c, res := clean(t, l, 0, l.LEO(), 0, 0, 1000)
	if c.FirstUncleanableOffset != 6 || !strings.Contains(c.Limit, "active segment") {
		t.Fatalf("cleanable %+v: want to stop at the active segment 6", c)
	}
	if c.DirtyRatio != 1 {
		t.Fatalf("nothing was clean before: dirty ratio %v, want 1", c.DirtyRatio)
	}
	want := []string{"3:c=c0@30", "4:b=b1@40", "5:a=a2@50", "6:c=c1@60", "7:d=d0@70"}
	if got := contents(t, l); !reflect.DeepEqual(got, want) {
		t.Fatalf("after cleaning:\n got %v\nwant %v", got, want)
	}
	// c0 stays: its newer value is in the active segment, beyond the map.
	if res.Checkpoint != 6 || res.RecordsRemoved != 3 || res.KeysInMap != 3 {
		t.Fatalf("result %+v: want checkpoint 6, 3 removed, 3 keys mapped", res)
	}
	// Groups are made from the sizes before cleaning: two full segments do
	// not fit in one segment.bytes, so each is rewritten on its own.
	if got := segmentBases(l); !reflect.DeepEqual(got, []int64{0, 3, 6}) {
		t.Fatalf("segments %v, want [0 3 6]", got)
	}
	if l.LEO() != 8 {
		t.Fatalf("LEO %d, want 8: cleaning never changes offsets", l.LEO())
	}
	// The log reopens from the Store with the same content.
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2 := openLog(t, store, l.Config())
	if got := contents(t, l2); !reflect.DeepEqual(got, want) {
		t.Fatalf("after reopening: %v", got)
	}
	// Nothing new is dirty: ratio 0, cleaning again changes nothing.
	c2 := l2.Cleanable(res.Checkpoint, l2.LEO(), 0, 0)
	if c2.CleanableBytes != 0 || c2.DirtyRatio != 0 {
		t.Fatalf("second look %+v: want nothing cleanable", c2)
	}
}

func TestCleanerStopsAtTheHWMAndTheCompactionLag(t *testing.T) {
	l := keyedLog(t, NewMemStore(), 2,
		kv{"a", val("1")}, kv{"a", val("2")}, kv{"a", val("3")}, kv{"a", val("4")},
		kv{"a", val("5")}, kv{"a", val("6")}, kv{"a", val("7")})
	// Segments 0, 2, 4, active 6. HWM 3 is inside segment 2.
	c := l.Cleanable(0, 3, 0, 0)
	if c.FirstUncleanableOffset != 2 || !strings.Contains(c.Limit, "high watermark") {
		t.Fatalf("%+v: want to stop at segment 2 (holds the HWM)", c)
	}
	// Timestamps are offset*10 ms: with now=100 and a lag of 65 ms, segment
	// 4 (newest record 50) is too young; segment 2 (newest 30) is not.
	c = l.Cleanable(0, l.LEO(), 100, 65)
	if c.FirstUncleanableOffset != 4 || !strings.Contains(c.Limit, "min.compaction.lag.ms") {
		t.Fatalf("%+v: want to stop at segment 4 (min.compaction.lag.ms)", c)
	}
	res, err := l.Clean(c, CleanConfig{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"3:a=4@30", "4:a=5@40", "5:a=6@50", "6:a=7@60"}
	if got := contents(t, l); !reflect.DeepEqual(got, want) || res.Checkpoint != 4 {
		t.Fatalf("got %v checkpoint %d, want %v and 4", got, res.Checkpoint, want)
	}
}

func TestTombstonesLiveDeleteRetentionMsAfterTheirFirstCleaning(t *testing.T) {
	l := keyedLog(t, NewMemStore(), 2,
		kv{"a", val("a0")}, kv{"b", val("b0")}, kv{"a", nil}, kv{"c", val("c0")}, kv{"x", val("x")})
	// First cleaning at t=1000: the tombstone for a stays and gets a delete
	// horizon of 1000+500; a0 goes.
	_, res := clean(t, l, 0, l.LEO(), 1000, 0, 500)
	want := []string{"1:b=b0@10", "2:a=∅@20", "3:c=c0@30", "4:x=x@40"}
	if got := contents(t, l); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the first cleaning:\n got %v\nwant %v", got, want)
	}
	bs, err := l.Read(2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if h, ok := DeleteHorizon(bs[0]); !ok || h != 1500 {
		t.Fatalf("tombstone batch delete horizon %d %v, want 1500", h, ok)
	}
	// More data makes the log dirty again; a cleaning before the horizon
	// keeps the tombstone, one after it drops it.
	for _, r := range []kv{{"b", val("b1")}, {"y", val("y")}} {
		mustAppend(t, l, keyedBatch(l.LEO(), r), 0)
	}
	_, res = clean(t, l, res.Checkpoint, l.LEO(), 1499, 0, 500)
	if res.TombstonesRemoved != 0 || !strings.Contains(strings.Join(contents(t, l), " "), "2:a=∅") {
		t.Fatalf("tombstone removed before its horizon: %v", contents(t, l))
	}
	mustAppend(t, l, keyedBatch(l.LEO(), kv{"z", val("z")}), 0)
	_, res = clean(t, l, 0, l.LEO(), 1500, 0, 500)
	if res.TombstonesRemoved != 1 || strings.Contains(strings.Join(contents(t, l), " "), "a=") {
		t.Fatalf("tombstone kept after its horizon (%+v): %v", res, contents(t, l))
	}
}

func TestCleanerKeepsSomeBatchesEmpty(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SegmentBytes = 2 * keyedBatch(0, kv{"k0", val("v000")}).SizeInBytes()
	l := openLog(t, NewMemStore(), cfg)
	for _, r := range []kv{{"a", val("1")}, {"b", val("1")}, {"a", val("2")}, {"", val("keyless")}, {"c", val("1")}} {
		b := keyedBatch(l.LEO(), r)
		if r.key == "" {
			b.Records[0].Key = nil
		}
		b.ProducerID, b.ProducerEpoch, b.BaseSequence = 7, 0, int32(l.LEO())
		mustAppend(t, l, b, 0)
	}
	// Segments [0 a1, 1 b1] [2 a2, 3 keyless] [4 c1 active]. a1 is
	// superseded by a2, but the callback calls batch 0 producer 7's last
	// batch, so it stays as an empty batch (Kafka keeps producer sequence
	// state that way). Batch 3 loses its keyless record but ends right at
	// the cleaned range's end (4), so it stays empty too.
	c := l.Cleanable(0, l.LEO(), 0, 0)
	res, err := l.Clean(c, CleanConfig{RetainEmpty: func(pid, last int64) bool { return pid == 7 && last == 0 }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range readAll(t, l) {
		got = append(got, fmt.Sprintf("%d-%d:%d", b.BaseOffset, b.LastOffset(), len(b.Records)))
	}
	want := []string{"0-0:0", "1-1:1", "2-2:1", "3-3:0", "4-4:1"}
	if !reflect.DeepEqual(got, want) || res.KeylessRemoved != 1 || res.RecordsRemoved != 2 {
		t.Fatalf("batches %v (%+v), want %v with 2 records removed, 1 keyless", got, res, want)
	}
	// Without the callback, batch 0 is dropped whole: a gap at offset 0.
	l2 := keyedLog(t, NewMemStore(), 2, kv{"a", val("1")}, kv{"a", val("2")}, kv{"b", val("1")})
	_, res = clean(t, l2, 0, l2.LEO(), 0, 0, 0)
	if res.BatchesRemoved != 1 || readAll(t, l2)[0].BaseOffset != 1 {
		t.Fatalf("%+v: want batch 0 removed", res)
	}
}

func TestCompleteSwapsFinishesOrRollsBack(t *testing.T) {
	store := NewMemStore()
	l := keyedLog(t, store, 2, kv{"a", val("1")}, kv{"a", val("2")}, kv{"a", val("3")}, kv{"a", val("4")}, kv{"b", val("1")})
	before := contents(t, l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	seg0, seg2 := SegmentName(testDir, 0), SegmentName(testDir, 2)
	// A crash after the commit point: the marker is whole.
	cleaned := keyedBatch(0, kv{"a", val("1")})
	cleaned.BaseOffset, cleaned.LastOffsetDelta = 3, 0
	cleaned.Records[0].Value = []byte("4")
	cleaned.BaseTimestamp = 30
	data := cleaned.Encode()
	if err := WriteFile(store, seg0+cleanedSuffix, data); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(store, seg0+swapSuffix, []byte(swapMarker([]int64{0, 2}, len(data)))); err != nil {
		t.Fatal(err)
	}
	recs, err := CompleteSwaps(store, "b-1")
	if err != nil || len(recs) != 1 || !recs[0].Completed {
		t.Fatalf("CompleteSwaps = %+v, %v; want one completed swap", recs, err)
	}
	l2 := openLog(t, store, l.Config())
	if got := contents(t, l2); !reflect.DeepEqual(got, []string{"3:a=4@30", "4:b=1@40"}) {
		t.Fatalf("after finishing the swap: %v (before %v)", got, before)
	}
	if names, _ := store.List("b-1"); len(names) != 2 {
		t.Fatalf("leftover files: %v", names)
	}
	l2.Close()
	// A crash before the commit point: a torn marker and a cleaned file; the
	// old segments stay as they are.
	if err := WriteFile(store, seg2+cleanedSuffix, []byte("half")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(store, seg0+swapSuffix, []byte("swap 1\nrepl")); err != nil {
		t.Fatal(err)
	}
	recs, err = CompleteSwaps(store, "b-1")
	if err != nil || len(recs) != 2 || recs[0].Completed || recs[1].Completed {
		t.Fatalf("CompleteSwaps = %+v, %v; want two rolled-back files", recs, err)
	}
	l3 := openLog(t, store, l.Config())
	if got := contents(t, l3); !reflect.DeepEqual(got, []string{"3:a=4@30", "4:b=1@40"}) {
		t.Fatalf("after rolling back: %v", got)
	}
}

func TestAppendAfterGap(t *testing.T) {
	l := keyedLog(t, NewMemStore(), 4, kv{"a", val("1")})
	if err := l.AppendAfterGap(keyedBatch(5, kv{"b", val("2")}), 0); err != nil {
		t.Fatal(err)
	}
	if err := l.AppendAfterGap(keyedBatch(6, kv{"c", val("3")}), 0); err != nil {
		t.Fatal(err)
	}
	if err := l.AppendAfterGap(keyedBatch(6, kv{"c", val("3")}), 0); err == nil {
		t.Fatal("a batch below LEO was accepted")
	}
	if got := contents(t, l); !reflect.DeepEqual(got, []string{"0:a=1@0", "5:b=2@50", "6:c=3@60"}) || l.LEO() != 7 {
		t.Fatalf("got %v LEO %d", got, l.LEO())
	}
	// Reading inside the gap returns the next batch, as Kafka does.
	bs, err := l.Read(2, 1)
	if err != nil || len(bs) != 1 || bs[0].BaseOffset != 5 {
		t.Fatalf("Read(2) = %v, %v; want the batch at 5", bs, err)
	}
}

// BenchmarkClean compacts a log of 2000 one-record batches over 50 keys
// spread over segments of 40 batches (a changelog), from scratch each time.
func BenchmarkClean(b *testing.B) {
	recs := make([]kv, 2000)
	for i := range recs {
		recs[i] = kv{fmt.Sprintf("k%d", i%50), val(fmt.Sprintf("v%04d", i))}
	}
	var bytesBefore int64
	for b.Loop() {
		b.StopTimer()
		l := keyedLog(b, NewMemStore(), 40, recs...)
		c := l.Cleanable(0, l.LEO(), 0, 0)
		bytesBefore = c.CleanableBytes
		b.StartTimer()
		if _, err := l.Clean(c, CleanConfig{}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(bytesBefore)
}
