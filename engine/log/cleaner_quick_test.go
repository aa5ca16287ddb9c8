package log

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/brokerlab/brokerlab/engine/record"
)

// appended is one record as written, the reference the cleaned log is
// checked against.
type appended struct {
	key, value []byte // nil = null
	ts         int64
	horizon    int64 // as read back: the batch's delete horizon, -1 if none
}

// TestCleanerProperties compacts random keyed logs (seeded) round after
// round and checks, after every round, against a plain map of what was
// written: every key's latest record is still readable at its offset with
// its value and timestamp — unless it is a tombstone past its delete
// horizon, and then nothing of that key is left; nothing at or above the
// cleaner checkpoint changed; every record still there is one that was
// written, unchanged; every record gone was superseded by a later record
// of its key, was a tombstone, or had no key; and the log reopens from the
// Store with the same content.
func TestCleanerProperties(t *testing.T) {
	var total CleanResult
	for seed := uint64(1); seed <= 60; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkCleanerProperties(t, seed, &total) })
	}
	// The random logs must exercise every way a record goes.
	if total.RecordsRemoved == 0 || total.TombstonesRemoved == 0 || total.KeylessRemoved == 0 || total.BatchesRemoved == 0 {
		t.Fatalf("the generator is too tame: %+v", total)
	}
}

func checkCleanerProperties(t *testing.T, seed uint64, total *CleanResult) {
	rng := rand.New(rand.NewPCG(seed, 0xc1ea))
	store := NewMemStore()
	cfg := DefaultConfig()
	cfg.SegmentBytes = 150 + rng.IntN(400)
	cfg.IndexIntervalBytes = rng.IntN(200)
	l := openLog(t, store, cfg)
	written := map[int64]appended{}
	nowMs, checkpoint := int64(1000), int64(0)
	for round := 0; round < 6; round++ {
		for i, n := 0, 5+rng.IntN(30); i < n; i++ {
			nowMs += int64(rng.IntN(50))
			b := randomKeyedBatch(rng, l.LEO(), nowMs, written)
			mustAppend(t, l, b, 0)
		}
		before := snapshotRecords(t, l)
		hwm := l.LogStartOffset() + rng.Int64N(l.LEO()-l.LogStartOffset()+1)
		lag := []int64{0, 0, 100, 400}[rng.IntN(4)]
		c := l.Cleanable(checkpoint, hwm, nowMs, lag)
		if c.CleanableBytes == 0 && c.FirstUncleanableOffset > c.FirstDirtyOffset {
			t.Fatalf("round %d: %+v: dirty range without bytes", round, c)
		}
		retention := int64(rng.IntN(300))
		res, err := l.Clean(c, CleanConfig{NowMs: nowMs, DeleteRetentionMs: retention})
		if err != nil {
			t.Fatalf("round %d: clean: %v", round, err)
		}
		if res.Checkpoint < checkpoint && !c.CheckpointReset {
			t.Fatalf("round %d: checkpoint moved back from %d to %d", round, checkpoint, res.Checkpoint)
		}
		checkpoint = res.Checkpoint
		total.RecordsRemoved += res.RecordsRemoved
		total.TombstonesRemoved += res.TombstonesRemoved
		total.KeylessRemoved += res.KeylessRemoved
		total.BatchesRemoved += res.BatchesRemoved
		after := snapshotRecords(t, l)
		latest := latestPerKey(written)
		for off, r := range after {
			w, ok := written[off]
			if !ok || string(w.key) != string(r.key) || string(w.value) != string(r.value) || (w.value == nil) != (r.value == nil) || w.ts != r.ts {
				t.Fatalf("round %d: offset %d reads %+v, was written as %+v (ok %v)", round, off, r, w, ok)
			}
			if r.value == nil && r.horizon >= 0 && before[off].horizon < 0 && r.horizon != nowMs+retention {
				t.Fatalf("round %d: tombstone %d cleaned at %d got delete horizon %d, want now + delete.retention.ms = %d", round, off, nowMs, r.horizon, nowMs+retention)
			}
		}
		for off, r := range before {
			if _, kept := after[off]; kept {
				continue
			}
			if off >= checkpoint {
				t.Fatalf("round %d: offset %d at or above the checkpoint %d was removed", round, off, checkpoint)
			}
			if r.key != nil && r.value != nil && latest[string(r.key)] == off {
				t.Fatalf("round %d: the latest value of key %s (offset %d) was removed", round, r.key, off)
			}
			if r.key != nil && r.value == nil && latest[string(r.key)] == off && (r.horizon < 0 || r.horizon > nowMs) {
				t.Fatalf("round %d: tombstone %d of key %s removed at %d, its delete horizon was %d", round, off, r.key, nowMs, r.horizon)
			}
		}
		for key, off := range latest {
			r, ok := after[off]
			switch {
			case ok:
			case written[off].value == nil:
				// A tombstone past its horizon: no older value may remain.
				for o, x := range after {
					if string(x.key) == key {
						t.Fatalf("round %d: key %s was deleted (tombstone %d gone) but offset %d remains", round, key, off, o)
					}
				}
			default:
				t.Fatalf("round %d: latest record of key %s at offset %d is not readable (%+v)", round, key, off, r)
			}
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		l = openLog(t, store, cfg)
		if reopened := snapshotRecords(t, l); len(reopened) != len(after) {
			t.Fatalf("round %d: the reopened log holds %d records, %d before closing", round, len(reopened), len(after))
		}
	}
}

func randomKeyedBatch(rng *rand.Rand, base, nowMs int64, written map[int64]appended) *record.Batch {
	recs := make([]record.Record, 1+rng.IntN(4))
	for i := range recs {
		r := record.Record{TimestampDelta: int64(rng.IntN(20))}
		if rng.IntN(30) != 0 {
			r.Key = []byte(fmt.Sprintf("k%d", rng.IntN(12)))
		}
		if rng.IntN(7) != 0 {
			r.Value = []byte(fmt.Sprintf("v%d", rng.IntN(1000)))
		}
		recs[i] = r
	}
	b := record.NewBatch(nowMs, recs...)
	b.BaseOffset = base
	for i, r := range b.Records {
		written[base+int64(r.OffsetDelta)] = appended{key: r.Key, value: r.Value, ts: b.RecordTimestamp(i)}
	}
	return b
}

func snapshotRecords(t *testing.T, l *Log) map[int64]appended {
	t.Helper()
	out := map[int64]appended{}
	prev := int64(-1)
	for _, b := range readAll(t, l) {
		if err := b.Validate(); err != nil {
			t.Fatal(err)
		}
		for i, r := range b.Records {
			off := b.BaseOffset + int64(r.OffsetDelta)
			if off <= prev {
				t.Fatalf("offsets not increasing: %d after %d", off, prev)
			}
			prev = off
			h, ok := DeleteHorizon(b)
			if !ok {
				h = -1
			}
			out[off] = appended{key: r.Key, value: r.Value, ts: b.RecordTimestamp(i), horizon: h}
		}
	}
	return out
}

func latestPerKey(written map[int64]appended) map[string]int64 {
	out := map[string]int64{}
	for off, r := range written {
		if r.key != nil && off >= out[string(r.key)] {
			out[string(r.key)] = off
		}
	}
	return out
}
