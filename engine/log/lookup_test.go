package log

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// where is a batch's place in the log, as the dumb reference sees it.
type where struct {
	segment     int64
	pos         int64
	base, last  int64
	maxTs, size int64
}

// buildRandom appends random batches and returns the layout a linear
// reference records while appending.
func buildRandom(t *testing.T, rng *rand.Rand, l *Log, n int) []where {
	var ref []where
	for i := 0; i < n; i++ {
		ts := int64(1000 + rng.IntN(5000))
		b := randomBatchAt(rng, l.LEO(), ts)
		mustAppend(t, l, b, 0)
		segs := l.Segments()
		a := segs[len(segs)-1]
		size := int64(b.SizeInBytes())
		ref = append(ref, where{a.BaseOffset, a.SizeBytes - size, b.BaseOffset, b.LastOffset(), b.MaxTimestamp, size})
	}
	return ref
}

// linearFind is the reference: scan every batch for the first whose last
// offset reaches target.
func linearFind(ref []where, target int64) (where, bool) {
	for _, w := range ref {
		if w.last >= target {
			return w, true
		}
	}
	return where{}, false
}

func TestOffsetLookupMatchesLinearReference(t *testing.T) {
	for _, tc := range []struct{ segmentBytes, indexInterval int }{
		{1 << 30, 4096}, {4000, 4096}, {4000, 0}, {4000, 300}, {1500, 1}, {20000, 700},
	} {
		t.Run(fmt.Sprintf("segment=%d,interval=%d", tc.segmentBytes, tc.indexInterval), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.segmentBytes), uint64(tc.indexInterval)))
			cfg := DefaultConfig()
			cfg.SegmentBytes, cfg.IndexIntervalBytes = tc.segmentBytes, tc.indexInterval
			store := NewMemStore()
			l := openLog(t, store, cfg)
			ref := buildRandom(t, rng, l, 300)
			check := func(l *Log, what string) {
				for off := int64(0); off <= l.LEO(); off++ {
					want, ok := linearFind(ref, off)
					s := l.segs[l.floorSegment(off)]
					pos, info, found, err := s.translate(off)
					if err != nil {
						t.Fatal(err)
					}
					if found != ok || (ok && (s.base != want.segment || pos != want.pos || info.BaseOffset != want.base || info.LastOffset != want.last)) {
						t.Fatalf("%s: offset %d: found %v in segment %d at %d (batch %d..%d); reference %v %+v",
							what, off, found, s.base, pos, info.BaseOffset, info.LastOffset, ok, want)
					}
					if off < l.LEO() {
						bs, err := l.Read(off, 0)
						if err != nil || len(bs) != 1 || bs[0].BaseOffset != want.base {
							t.Fatalf("%s: Read(%d, 0) = %d batches, %v; want the batch at %d", what, off, len(bs), err, want.base)
						}
					}
				}
			}
			check(l, "appended")
			// Kafka's index rule: an entry whenever more than index.interval.bytes
			// separate a batch from the last indexed one (first batch never).
			wantIndex := map[int64][]offsetEntry{}
			last := map[int64]int64{}
			for _, w := range ref {
				if w.pos-last[w.segment] > int64(tc.indexInterval) {
					wantIndex[w.segment] = append(wantIndex[w.segment], offsetEntry{w.last, w.pos})
					last[w.segment] = w.pos
				}
			}
			indexes := func(l *Log) map[int64][]offsetEntry {
				got := map[int64][]offsetEntry{}
				for _, s := range l.segs {
					if len(s.index.entries) > 0 {
						got[s.base] = append([]offsetEntry(nil), s.index.entries...)
					}
				}
				return got
			}
			compareIndexes(t, "appended", indexes(l), wantIndex)
			// Recovery rebuilds the same indexes from the files.
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l2 := openLog(t, store, cfg)
			check(l2, "recovered")
			compareIndexes(t, "recovered", indexes(l2), wantIndex)
		})
	}
}

func compareIndexes(t *testing.T, what string, got, want map[int64][]offsetEntry) {
	t.Helper()
	for base := range want {
		if !reflect.DeepEqual(got[base], want[base]) {
			t.Fatalf("%s: offset index of segment %d is %v, want %v", what, base, got[base], want[base])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d segments have index entries, want %d", what, len(got), len(want))
	}
}

func TestOffsetForTimestampMatchesLinearReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	cfg := DefaultConfig()
	cfg.SegmentBytes, cfg.IndexIntervalBytes = 3000, 200
	l := openLog(t, NewMemStore(), cfg)
	type rec struct{ off, ts int64 }
	var all []rec
	for i := 0; i < 200; i++ {
		b := randomBatchAt(rng, l.LEO(), int64(rng.IntN(10000)))
		for j := range b.Records {
			b.Records[j].TimestampDelta = int64(rng.IntN(50))
		}
		b.MaxTimestamp = b.BaseTimestamp
		for j := range b.Records {
			b.MaxTimestamp = max(b.MaxTimestamp, b.RecordTimestamp(j))
			all = append(all, rec{b.BaseOffset + int64(j), b.RecordTimestamp(j)})
		}
		mustAppend(t, l, b, time.Duration(i))
	}
	if err := l.SetLogStartOffset(37); err != nil {
		t.Fatal(err)
	}
	for ts := int64(-5); ts < 10100; ts += 7 {
		var want rec
		ok := false
		// Kafka's answer: the first segment whose largest timestamp reaches
		// ts, then the first record there (at or past log start) that does.
		for _, s := range l.Segments() {
			if s.LargestTimestamp < ts {
				continue
			}
			for _, r := range all {
				if r.off >= max(s.BaseOffset, 37) && r.off < s.NextOffset && r.ts >= ts {
					want, ok = r, true
					break
				}
			}
			if ok {
				break
			}
		}
		off, gotTs, found, err := l.OffsetForTimestamp(ts)
		if err != nil || found != ok || (ok && (off != want.off || gotTs != want.ts)) {
			t.Fatalf("OffsetForTimestamp(%d) = %d, %d, %v, %v; want %+v %v", ts, off, gotTs, found, err, want, ok)
		}
	}
}
