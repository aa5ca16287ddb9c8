package log

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/brokerlab/brokerlab/engine/record"
)

// TestReadCacheQuick reads a log that appends, truncates, rolls and writes
// back at random, the way followers and consumers do (mostly at the end),
// and checks every ReadToCounted against a plain list of what was appended.
func TestReadCacheQuick(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for round := range 20 {
		cfg := DefaultConfig()
		cfg.SegmentBytes = 2000 + rng.IntN(20000)
		l := openLog(t, NewMemStore(), cfg)
		var ref []*record.Batch // what the log holds, in order, encoded bytes as appended
		type held struct {
			got  []*record.Batch
			want [][]byte
		}
		var kept []held // reads a reader still holds (a consumer until its poll)
		for op := range 400 {
			switch k := rng.IntN(10); {
			case k < 5:
				b := randomBatchAt(rng, l.LEO(), 1000)
				mustAppend(t, l, b, 0)
				ref = append(ref, b)
			case k < 6 && len(ref) > 0:
				to := ref[rng.IntN(len(ref))].BaseOffset
				if err := l.Truncate(to); err != nil {
					t.Fatal(err)
				}
				for len(ref) > 0 && ref[len(ref)-1].BaseOffset >= to {
					ref = ref[:len(ref)-1]
				}
			case k < 7:
				if _, err := l.MaybeFlush(0); err != nil {
					t.Fatal(err)
				}
				if rng.IntN(2) == 0 {
					l.Flush()
				}
			default:
				if len(ref) == 0 {
					continue
				}
				// Mostly near the end, like followers and consumers.
				i := len(ref) - 1 - rng.IntN(min(len(ref), 4))
				if rng.IntN(5) == 0 {
					i = rng.IntN(len(ref))
				}
				from := ref[i].BaseOffset + int64(rng.IntN(int(ref[i].LastOffsetDelta)+1))
				limit := l.LEO()
				if rng.IntN(3) == 0 {
					limit = ref[i+rng.IntN(len(ref)-i)].NextOffset()
				}
				maxBytes := 1 + rng.IntN(3000)
				got, size, err := l.ReadToCounted(from, limit, maxBytes)
				if err != nil {
					t.Fatalf("round %d op %d: read at %d: %v", round, op, from, err)
				}
				want, wantSize := refRead(l, ref, i, limit, maxBytes)
				if len(got) != len(want) || size != wantSize {
					t.Fatalf("round %d op %d: read at %d got %d batches (%d bytes), want %d (%d bytes)", round, op, from, len(got), size, len(want), wantSize)
				}
				h := held{got: got}
				for j := range got {
					if !bytes.Equal(got[j].Encode(), want[j].Encode()) {
						t.Fatalf("round %d op %d: batch %d differs", round, op, j)
					}
					h.want = append(h.want, want[j].Encode())
				}
				kept = append(kept, h)
			}
		}
		// Later appends, truncations and cache moves never touch what a
		// read handed out.
		for k, h := range kept {
			for j, b := range h.got {
				if !bytes.Equal(b.Encode(), h.want[j]) {
					t.Fatalf("round %d: read %d batch %d changed after it was returned", round, k, j)
				}
			}
		}
	}
}

// refRead is ReadTo on the plain list: the batch at ref[i], then following
// ones of the same segment below limit within maxBytes.
func refRead(l *Log, ref []*record.Batch, i int, limit int64, maxBytes int) ([]*record.Batch, int) {
	seg := l.floorSegment(ref[i].BaseOffset)
	next := int64(-1)
	if seg+1 < len(l.segs) {
		next = l.segs[seg+1].base
	}
	out, total := []*record.Batch{ref[i]}, ref[i].SizeInBytes()
	for _, b := range ref[i+1:] {
		if (next >= 0 && b.BaseOffset >= next) || b.BaseOffset >= limit || total+b.SizeInBytes() > maxBytes {
			break
		}
		out = append(out, b)
		total += b.SizeInBytes()
	}
	return out, total
}
