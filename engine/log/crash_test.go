package log

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

// crashAndReopen crashes l, checks the loss matches what l said was
// unflushed, re-opens the log from the store and checks it holds exactly the
// batches below the recovery point.
func crashAndReopen(t *testing.T, l *Log, store Store, all []*record.Batch) (*Log, Lost) {
	t.Helper()
	flushed, leo := l.FlushedOffset(), l.LEO()
	var wantRecords, wantBytes int64
	var kept []*record.Batch
	for _, b := range all {
		if b.BaseOffset >= flushed {
			wantRecords += int64(len(b.Records))
			wantBytes += int64(b.SizeInBytes())
		} else {
			kept = append(kept, b)
		}
	}
	if l.UnflushedBytes() != wantBytes || l.UnflushedMessages() != leo-flushed {
		t.Fatalf("before crash: %d unflushed bytes, %d messages; want %d, %d", l.UnflushedBytes(), l.UnflushedMessages(), wantBytes, leo-flushed)
	}
	lost := l.Crash()
	if lost.FromOffset != flushed || lost.ToOffset != leo || lost.Records != wantRecords || lost.Bytes != wantBytes {
		t.Fatalf("Crash lost %+v; want offsets %d..%d, %d records, %d bytes", lost, flushed, leo, wantRecords, wantBytes)
	}
	if err := l.Append(batchOf(leo, 1, 1, 0), 0); err == nil {
		t.Fatal("append after Crash succeeded")
	}
	l2, rec, err := Open(store, testDir, l.cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Dropped) != 0 {
		t.Fatalf("a crash of the page cache left damage on the store: %+v", rec.Dropped)
	}
	if l2.LEO() != flushed {
		t.Fatalf("re-opened LEO %d, want the recovery point %d", l2.LEO(), flushed)
	}
	sameBatches(t, readAll(t, l2), kept)
	return l2, lost
}

func TestCrashWithDefaultsLosesEverythingUnrolled(t *testing.T) {
	store := NewMemStore()
	l := openLog(t, store, DefaultConfig())
	var all []*record.Batch
	for i := 0; i < 20; i++ {
		b := batchOf(l.LEO(), 3, 10, int64(i))
		mustAppend(t, l, b, time.Duration(i)*time.Hour)
		all = append(all, b)
	}
	if _, err := l.MaybeFlush(1000 * time.Hour); err != nil {
		t.Fatal(err)
	}
	_, lost := crashAndReopen(t, l, store, all)
	if lost.FromOffset != 0 || lost.ToOffset != 60 || lost.Batches != 20 {
		t.Fatalf("with flush.messages and flush.ms at Long.MAX nothing reaches disk: lost %+v", lost)
	}
}

func TestFlushByMessages(t *testing.T) {
	store := NewMemStore()
	cfg := DefaultConfig()
	cfg.FlushMessages = 5
	l := openLog(t, store, cfg)
	var all []*record.Batch
	// Batches of 2: unflushed 2, 4, 6 → flush at the third; again at the sixth.
	for i := 0; i < 7; i++ {
		b := batchOf(l.LEO(), 2, 10, 0)
		mustAppend(t, l, b, 0)
		all = append(all, b)
		want := []int64{0, 0, 6, 6, 6, 12, 12}[i]
		if l.FlushedOffset() != want {
			t.Fatalf("after batch %d: recovery point %d, want %d", i, l.FlushedOffset(), want)
		}
	}
	_, lost := crashAndReopen(t, l, store, all)
	if lost.FromOffset != 12 || lost.Records != 2 {
		t.Fatalf("lost %+v", lost)
	}
}

func TestFlushByMs(t *testing.T) {
	store := NewMemStore()
	cfg := DefaultConfig()
	cfg.FlushMs = 1000
	l, _, err := Open(store, testDir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	var all []*record.Batch
	steps := []struct {
		at       time.Duration
		append   bool
		flushed  bool
		recovery int64
	}{
		{100 * time.Millisecond, true, false, 0},
		{999 * time.Millisecond, false, false, 0},
		{1000 * time.Millisecond, false, true, 1}, // 1000 ms since Open
		{1500 * time.Millisecond, true, false, 1},
		{1999 * time.Millisecond, false, false, 1},
		{2000 * time.Millisecond, false, true, 2},
		{2500 * time.Millisecond, true, false, 2},
		{3100 * time.Millisecond, true, true, 4}, // MaybeFlush runs after this append
	}
	for i, s := range steps {
		if s.append {
			b := batchOf(l.LEO(), 1, 10, 0)
			mustAppend(t, l, b, s.at)
			all = append(all, b)
		}
		acted, err := l.MaybeFlush(s.at)
		if err != nil || acted != s.flushed || l.FlushedOffset() != s.recovery {
			t.Fatalf("step %d at %v: flushed %v (%v), recovery point %d; want %v, %d", i, s.at, acted, err, l.FlushedOffset(), s.flushed, s.recovery)
		}
	}
	b := batchOf(l.LEO(), 1, 10, 0)
	mustAppend(t, l, b, 3200*time.Millisecond)
	all = append(all, b)
	crashAndReopen(t, l, store, all)
}

func TestOSWriteback(t *testing.T) {
	store := NewMemStore()
	cfg := DefaultConfig()
	cfg.OSWritebackDelay = 30 * time.Second
	cfg.SegmentBytes = 5 * batchOf(0, 1, 10, 0).SizeInBytes()
	l := openLog(t, store, cfg)
	var all []*record.Batch
	for i := 0; i < 12; i++ { // one batch every 10 s; segments roll every 5 batches
		b := batchOf(l.LEO(), 1, 10, 0)
		mustAppend(t, l, b, time.Duration(i)*10*time.Second)
		all = append(all, b)
	}
	// Batches 10 and 11 sit in the third segment, appended at 100 s and 110 s.
	if l.FlushedOffset() != 10 {
		t.Fatalf("rolls should have flushed up to 10, recovery point %d", l.FlushedOffset())
	}
	if acted, _ := l.MaybeFlush(129 * time.Second); acted {
		t.Fatal("wrote back pages younger than 30 s")
	}
	if acted, _ := l.MaybeFlush(130 * time.Second); !acted || l.FlushedOffset() != 11 {
		t.Fatalf("at 130 s the page of batch 10 is 30 s old: recovery point %d", l.FlushedOffset())
	}
	_, lost := crashAndReopen(t, l, store, all)
	if lost.FromOffset != 11 || lost.Batches != 1 {
		t.Fatalf("lost %+v", lost)
	}
}

// A random mix of appends, rolls, truncations and flush policies: a crash
// must lose exactly what the log called unflushed, and nothing else.
func TestCrashLosesExactlyUnflushedRandom(t *testing.T) {
	for seed := uint64(0); seed < 60; seed++ {
		rng := rand.New(rand.NewPCG(seed, 5))
		cfg := DefaultConfig()
		cfg.SegmentBytes = 500 + rng.IntN(5000)
		cfg.IndexIntervalBytes = rng.IntN(500)
		if rng.IntN(2) == 0 {
			cfg.FlushMessages = 1 + rng.Int64N(40)
		}
		if rng.IntN(2) == 0 {
			cfg.FlushMs = 1 + rng.Int64N(5000)
		}
		if rng.IntN(2) == 0 {
			cfg.OSWritebackDelay = time.Duration(1+rng.IntN(5000)) * time.Millisecond
		}
		store := NewMemStore()
		l := openLog(t, store, cfg)
		var all []*record.Batch
		now := time.Duration(0)
		for i := 0; i < 150; i++ {
			now += time.Duration(rng.IntN(300)) * time.Millisecond
			switch r := rng.IntN(20); {
			case r < 14:
				b := randomBatchAt(rng, l.LEO(), now.Milliseconds())
				mustAppend(t, l, b, now)
				all = append(all, b)
			case r < 17:
				if _, err := l.MaybeFlush(now); err != nil {
					t.Fatal(err)
				}
			case r < 18:
				if err := l.Flush(); err != nil {
					t.Fatal(err)
				}
			default:
				to := rng.Int64N(l.LEO() + 1)
				if err := l.Truncate(to); err != nil {
					t.Fatal(err)
				}
				for len(all) > 0 && all[len(all)-1].BaseOffset >= l.LEO() {
					all = all[:len(all)-1]
				}
			}
		}
		if cfg.FlushMessages != math.MaxInt64 && l.UnflushedMessages() >= cfg.FlushMessages {
			t.Fatalf("seed %d: %d unflushed messages with flush.messages=%d", seed, l.UnflushedMessages(), cfg.FlushMessages)
		}
		crashAndReopen(t, l, store, all)
	}
}
