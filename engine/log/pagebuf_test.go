package log

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

// A batch appended to a log refers to its encoding in the page cache, and
// a follower's log appends it by copying those bytes: however the leader's
// page cache is written back, reused and truncated afterwards, the bytes
// every batch refers to stay its encoding, and the follower's log holds
// the same bytes as the leader's.
func TestKeptEncodingSurvivesWriteBackAndTruncation(t *testing.T) {
	cfg := DefaultConfig()
	cfg.OSWritebackDelay = 3 * time.Millisecond
	leader := openLog(t, NewMemStore(), cfg)
	follower := openLog(t, NewMemStore(), cfg)
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Duration(0)
	var all []*record.Batch
	check := func(i int) {
		for _, b := range all {
			fresh := *b
			fresh.Records = slices.Clone(b.Records) // other records: encoded afresh
			if !bytes.Equal(b.Encode(), fresh.Encode()) {
				t.Fatalf("append %d: the batch at %d no longer encodes as itself", i, b.BaseOffset)
			}
		}
	}
	for i := 0; i < 2000; i++ {
		now += time.Millisecond
		// Batches of one shape (so a reused block would hold another
		// batch's bytes exactly where this one's were, header alike) with
		// values of their own.
		b := batchOf(leader.LEO(), 5, 3000, 0)
		for r := range b.Records {
			b.Records[r].Value = []byte(strings.Repeat(string(rune('a'+rng.IntN(26))), 3000))
		}
		mustAppend(t, leader, b, now)
		all = append(all, b)
		if b.SizeInBytes() != len(b.Encode()) {
			t.Fatal("size and encoding disagree")
		}
		if _, err := leader.MaybeFlush(now); err != nil {
			t.Fatal(err)
		}
		if follower.LEO() < leader.LEO() && rng.IntN(4) > 0 { // a fetch: the leader's batches as its reads hand them over
			bs, err := leader.Read(follower.LEO(), 1<<16)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bs {
				mustAppend(t, follower, b, now)
			}
		}
		if rng.IntN(40) == 0 && leader.LEO() > 5 { // an unclean election: both cut back
			to := leader.LEO() - int64(rng.IntN(5)) - 1
			for _, l := range []*Log{leader, follower} {
				if l.LEO() > to {
					if err := l.Truncate(to); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		if i%100 == 99 {
			check(i)
		}
	}
	check(2000)
	lb, fb := readAll(t, leader), readAll(t, follower)
	if len(fb) == 0 || len(fb) > len(lb) {
		t.Fatalf("follower holds %d batches, leader %d", len(fb), len(lb))
	}
	for i, b := range fb {
		if !bytes.Equal(b.Encode(), lb[i].Encode()) {
			t.Fatalf("follower's batch %d (offset %d) differs from the leader's", i, b.BaseOffset)
		}
	}
}
