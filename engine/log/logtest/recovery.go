package logtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/record"
)

// placed is where an appended batch landed.
type placed struct {
	enc     []byte
	segment string
	pos     int64
}

const dir = "broker-1/orders-0"

// buildLog appends random batches to a fresh log over store, closes it
// cleanly (everything flushed) and returns where each batch landed.
func buildLog(t *testing.T, rng *rand.Rand, store log.Store, cfg log.Config) []placed {
	t.Helper()
	l, _, err := log.Open(store, dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []placed
	for i, n := 0, 5+rng.IntN(40); i < n; i++ {
		b := RandomBatch(rng, l.LEO(), int64(1000*i))
		before := activeSegment(l)
		if err := l.Append(b, 0); err != nil {
			t.Fatal(err)
		}
		after := activeSegment(l)
		pos := after.SizeBytes - int64(b.SizeInBytes())
		if after.Name != before.Name && pos != 0 {
			t.Fatalf("a roll left %d bytes before the batch in %s", pos, after.Name)
		}
		out = append(out, placed{enc: b.Encode(), segment: after.Name, pos: pos})
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func activeSegment(l *log.Log) log.SegmentInfo {
	segs := l.Segments()
	return segs[len(segs)-1]
}

// RandomBatch returns a small batch at base with 1..8 random records.
func RandomBatch(rng *rand.Rand, base, ts int64) *record.Batch {
	recs := make([]record.Record, 1+rng.IntN(8))
	for i := range recs {
		recs[i].Key = []byte(fmt.Sprintf("k%d", rng.IntN(100)))
		recs[i].Value = make([]byte, rng.IntN(120))
		for j := range recs[i].Value {
			recs[i].Value[j] = byte(rng.Uint32())
		}
		recs[i].TimestampDelta = int64(i)
	}
	b := record.NewBatch(ts, recs...)
	b.BaseOffset = base
	return b
}

func randomConfig(rng *rand.Rand) log.Config {
	cfg := log.DefaultConfig()
	cfg.SegmentBytes = 600 + rng.IntN(3000)
	cfg.IndexIntervalBytes = rng.IntN(600)
	return cfg
}

// readAll reads the whole log through Read, batch by batch.
func readAll(t *testing.T, l *log.Log) [][]byte {
	t.Helper()
	var out [][]byte
	for off := l.LogStartOffset(); off < l.LEO(); {
		bs, err := l.Read(off, 1<<20)
		if err != nil {
			t.Fatalf("Read(%d): %v", off, err)
		}
		if len(bs) == 0 {
			t.Fatalf("Read(%d) below LEO %d returned nothing", off, l.LEO())
		}
		for _, b := range bs {
			out = append(out, b.Encode())
			off = b.NextOffset()
		}
	}
	return out
}

func nextOffset(enc []byte) int64 {
	info, err := record.PeekInfo(enc)
	if err != nil {
		panic(err)
	}
	return info.LastOffset + 1
}

// checkRecovered re-opens the log and checks it holds exactly want.
func checkRecovered(t *testing.T, store log.Store, cfg log.Config, want []placed) (*log.Log, log.Recovery) {
	t.Helper()
	l, rec, err := log.Open(store, dir, cfg, 0)
	if err != nil {
		t.Fatalf("Open after damage: %v", err)
	}
	got := readAll(t, l)
	if len(got) != len(want) {
		t.Fatalf("recovered %d batches, want %d (report %+v)", len(got), len(want), rec)
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i].enc) {
			t.Fatalf("batch %d differs after recovery", i)
		}
	}
	leo := int64(0)
	if len(want) > 0 {
		leo = nextOffset(want[len(want)-1].enc)
	}
	if l.LEO() != leo || rec.LogEndOffset != leo {
		t.Fatalf("LEO %d (report %d), want %d", l.LEO(), rec.LogEndOffset, leo)
	}
	return l, rec
}

// checkStillWorks appends to a recovered log and reads the batch back.
func checkStillWorks(t *testing.T, rng *rand.Rand, l *log.Log) {
	t.Helper()
	b := RandomBatch(rng, l.LEO(), 0)
	if err := l.Append(b, 0); err != nil {
		t.Fatalf("append after recovery: %v", err)
	}
	bs, err := l.Read(b.BaseOffset, 1)
	if err != nil || len(bs) != 1 || !bytes.Equal(bs[0].Encode(), b.Encode()) {
		t.Fatalf("read back after recovery: %v", err)
	}
	l.Close()
}

func fileSize(t *testing.T, store log.Store, name string) int64 {
	t.Helper()
	f, err := store.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := f.Size()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TornTail truncates the last segment file at random byte positions, as a
// crash in the middle of a write leaves it, and checks that Open keeps
// exactly the whole batches before the cut, truncates the file there and
// reports the cut.
func TornTail(t *testing.T, newStore func(t *testing.T) log.Store, trials int) {
	for trial := 0; trial < trials; trial++ {
		rng := rand.New(rand.NewPCG(uint64(trial), 11))
		store := newStore(t)
		cfg := randomConfig(rng)
		all := buildLog(t, rng, store, cfg)
		last := all[len(all)-1].segment
		size := fileSize(t, store, last)
		cut := rng.Int64N(size + 1)
		f, _ := store.Open(last)
		if err := f.Truncate(cut); err != nil {
			t.Fatal(err)
		}
		f.Close()

		var want []placed
		validEnd := int64(0)
		for _, p := range all {
			end := p.pos + int64(len(p.enc))
			if p.segment != last || end <= cut {
				want = append(want, p)
			}
			if p.segment == last && end <= cut {
				validEnd = end
			}
		}
		l, rec := checkRecovered(t, store, cfg, want)
		if validEnd == cut {
			if len(rec.Dropped) != 0 {
				t.Fatalf("trial %d: cut at a batch boundary %d but recovery dropped %+v", trial, cut, rec.Dropped)
			}
		} else {
			if len(rec.Dropped) != 1 {
				t.Fatalf("trial %d: report %+v, want one cut", trial, rec.Dropped)
			}
			d := rec.Dropped[0]
			if d.Segment != last || d.Position != validEnd || d.Bytes != cut-validEnd || d.Deleted || !strings.Contains(d.Reason, "torn tail") {
				t.Fatalf("trial %d: cut at %d of %s, report %+v; want position %d, %d bytes, a torn tail",
					trial, cut, last, d, validEnd, cut-validEnd)
			}
		}
		if n := fileSize(t, store, last); n != validEnd {
			t.Fatalf("trial %d: %s is %d bytes after recovery, want %d", trial, last, n, validEnd)
		}
		checkStillWorks(t, rng, l)
	}
}

// CorruptByte flips one CRC-checked byte of a random segment and checks that
// Open keeps everything before that batch, cuts the segment there and deletes
// every later segment, reporting each.
func CorruptByte(t *testing.T, newStore func(t *testing.T) log.Store, trials int) {
	for trial := 0; trial < trials; trial++ {
		rng := rand.New(rand.NewPCG(uint64(trial), 12))
		store := newStore(t)
		cfg := randomConfig(rng)
		all := buildLog(t, rng, store, cfg)
		victim := all[rng.IntN(len(all))]
		// Skip baseOffset (bytes 0-7) and partitionLeaderEpoch (12-15): they
		// are outside the CRC in Kafka's format too.
		at := 8 + rng.IntN(len(victim.enc)-8)
		if at >= 12 && at < 16 {
			at = 16
		}
		f, _ := store.Open(victim.segment)
		b := []byte{victim.enc[at] ^ byte(1+rng.IntN(255))}
		if _, err := f.WriteAt(b, victim.pos+int64(at)); err != nil {
			t.Fatal(err)
		}
		f.Close()

		var want []placed
		var later []string
		for _, p := range all {
			switch {
			case p.segment < victim.segment || (p.segment == victim.segment && p.pos < victim.pos):
				want = append(want, p)
			case p.segment > victim.segment && (len(later) == 0 || later[len(later)-1] != p.segment):
				later = append(later, p.segment)
			}
		}
		l, rec := checkRecovered(t, store, cfg, want)
		if len(rec.Dropped) != 1+len(later) {
			t.Fatalf("trial %d: report %+v, want a cut and %d deleted segments", trial, rec.Dropped, len(later))
		}
		d := rec.Dropped[0]
		if d.Segment != victim.segment || d.Position != victim.pos || d.Deleted || d.Reason == "" {
			t.Fatalf("trial %d: byte %d of the batch at %s:%d flipped, report %+v", trial, at, victim.segment, victim.pos, d)
		}
		for i, name := range later {
			if d := rec.Dropped[1+i]; d.Segment != name || !d.Deleted {
				t.Fatalf("trial %d: report %+v, want %s deleted", trial, d, name)
			}
		}
		checkStillWorks(t, rng, l)
	}
}
