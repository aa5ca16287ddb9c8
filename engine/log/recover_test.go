package log

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// checkOpensCleanly opens whatever the store holds, which must not panic or
// fail, reads the whole log back, and checks a second Open finds nothing
// more to cut and the same batches.
func checkOpensCleanly(t *testing.T, store Store, cfg Config) {
	t.Helper()
	l, _, err := Open(store, testDir, cfg, 0)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	first := readAll(t, l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, rec, err := Open(store, testDir, cfg, 0)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	if len(rec.Dropped) != 0 {
		t.Fatalf("second Open still cut %+v", rec.Dropped)
	}
	sameBatches(t, readAll(t, l2), first)
	if err := l2.Append(batchOf(l2.LEO(), 1, 1, 0), 0); err != nil {
		t.Fatalf("append after recovery: %v", err)
	}
	l2.Close()
}

func writeFile(t testing.TB, store Store, name string, data []byte) {
	f, err := store.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// validSegments returns the files of a small flushed log, by name, and their
// names in order.
func validSegments(t testing.TB, rng *rand.Rand) (map[string][]byte, []string) {
	store := NewMemStore()
	cfg := DefaultConfig()
	cfg.SegmentBytes = 1500
	l := openLog(t, store, cfg)
	for i := 0; i < 20; i++ {
		mustAppend(t, l, randomBatchAt(rng, l.LEO(), int64(i)), 0)
	}
	l.Close()
	out := map[string][]byte{}
	names, _ := store.List(testDir)
	for _, name := range names {
		f, _ := store.Open(name)
		n, _ := f.Size()
		out[name] = make([]byte, n)
		f.ReadAt(out[name], 0)
		f.Close()
	}
	return out, names
}

func TestRecoveryOfRandomDamage(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 77))
		files, names := validSegments(t, rng)
		store := NewMemStore()
		for _, name := range names {
			data := bytes.Clone(files[name])
			switch rng.IntN(6) {
			case 0: // random bytes anywhere
				for k := rng.IntN(5); k >= 0 && len(data) > 0; k-- {
					data[rng.IntN(len(data))] = byte(rng.Uint32())
				}
			case 1: // garbage appended
				for k := rng.IntN(100); k >= 0; k-- {
					data = append(data, byte(rng.Uint32()))
				}
			case 2: // cut anywhere
				data = data[:rng.IntN(len(data)+1)]
			case 3: // zeroed page, as a lost sector reads
				if len(data) > 0 {
					at := rng.IntN(len(data))
					clear(data[at:min(len(data), at+rng.IntN(512))])
				}
			case 4: // whole file of noise
				for i := range data {
					data[i] = byte(rng.Uint32())
				}
			}
			writeFile(t, store, name, data)
		}
		if rng.IntN(4) == 0 { // a stray segment with an overlapping base
			writeFile(t, store, SegmentName(testDir, 3), files[SegmentName(testDir, 0)])
		}
		checkOpensCleanly(t, store, DefaultConfig())
	}
}

// FuzzRecover opens a log whose only segment holds arbitrary bytes.
func FuzzRecover(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 1))
	files, names := validSegments(f, rng)
	for _, name := range names {
		f.Add(files[name])
	}
	f.Add([]byte{})
	f.Add(make([]byte, 100))
	f.Fuzz(func(t *testing.T, data []byte) {
		store := NewMemStore()
		writeFile(t, store, SegmentName(testDir, 0), data)
		checkOpensCleanly(t, store, DefaultConfig())
	})
}
