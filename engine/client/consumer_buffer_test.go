package client

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
)

// The buffered batches give poll() the records the old per-record copy
// gave: those at or past the position, control batches skipped, in order,
// however poll() slices them; a fetch of control batches only moves the
// position past them. Checked against that copy, written plainly, on
// random fetches.
func TestFetchedBatchesYieldWhatTheCopyDid(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	k := names.TopicPartition{Topic: "t", Partition: 0}
	for round := 0; round < 1000; round++ {
		var batches []*record.Batch
		off := int64(rnd.IntN(50))
		for n := rnd.IntN(6); n > 0; n-- {
			b := &record.Batch{BaseOffset: off}
			if rnd.IntN(4) == 0 {
				b.Attributes = 1 << 5 // a transaction marker
				b.Records = []record.Record{{}}
			} else {
				for i := rnd.IntN(5) + 1; i > 0; i-- {
					b.Records = append(b.Records, record.Record{OffsetDelta: int32(len(b.Records)), Key: []byte("k"), Value: []byte{byte(i)}})
				}
			}
			b.LastOffsetDelta = int32(len(b.Records) - 1)
			batches = append(batches, b)
			off = b.NextOffset() + int64(rnd.IntN(2)) // now and then a gap
		}
		pos := int64(rnd.IntN(60))
		pr := proto.FetchPartitionResponse{Batches: batches}

		// the copy, as bufferBatches made it before
		var want []int64
		wantPos, p := pos, pos
		for _, bt := range batches {
			if bt.IsControl() {
				if bt.NextOffset() > p && len(want) == 0 {
					p = bt.NextOffset()
				}
				continue
			}
			for _, r := range bt.Records {
				if o := bt.BaseOffset + int64(r.OffsetDelta); o >= p {
					want = append(want, o)
				}
			}
		}
		if len(want) == 0 {
			if last := lastOffset(pr); last >= p {
				p = last + 1
			}
			wantPos = p
		}

		g := &groupClient{c: &Consumer{positions: map[names.TopicPartition]int64{k: pos}}, buffer: map[names.TopicPartition]*fetchedBuf{}}
		g.bufferBatches(k, pr)
		b := g.bufOf(k)
		if b.left != len(want) {
			t.Fatalf("round %d: %d records buffered, want %d", round, b.left, len(want))
		}
		if len(want) == 0 {
			if got := g.c.positions[k]; got != wantPos {
				t.Fatalf("round %d: position %d after a fetch of markers only, want %d", round, got, wantPos)
			}
			continue
		}
		var got []int64
		for b.left > 0 {
			for _, r := range b.take(nil, k, min(b.left, 1+rnd.IntN(4)), true) {
				got = append(got, r.Offset)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: poll() returned offsets %v, want %v", round, got, want)
		}
	}
}
