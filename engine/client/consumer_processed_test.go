package client

import (
	"math/rand/v2"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
)

// processedRuns counts what the crash message calls "processed records
// that were not committed" exactly as the plain list of every processed
// record did: checked against that list on random histories (runs,
// gaps, records read again after a rebalance, partitions with and without
// a committed offset).
func TestProcessedRunsCountLikeTheListOfRecords(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 500; round++ {
		var runs processedRuns
		var list []Consumed
		topics := []string{"a", "b"}
		next := map[names.TopicPartition]int64{}
		for n := rnd.IntN(300); n > 0; n-- {
			k := names.TopicPartition{Topic: topics[rnd.IntN(2)], Partition: int32(rnd.IntN(3))}
			switch rnd.IntN(10) {
			case 0: // a gap: a transaction marker, a compacted record
				next[k] += 1 + int64(rnd.IntN(3))
			case 1: // read again from earlier (a rebalance)
				next[k] = max(0, next[k]-int64(rnd.IntN(20)))
			}
			off := next[k]
			next[k]++
			runs.add(k.Topic, k.Partition, off)
			list = append(list, Consumed{Topic: k.Topic, Partition: k.Partition, Offset: off})
		}
		committed := map[names.TopicPartition]int64{}
		for k, n := range next {
			if rnd.IntN(3) > 0 {
				committed[k] = int64(rnd.IntN(int(n) + 2))
			}
		}
		want := 0
		for _, r := range list {
			if off, ok := committed[names.TopicPartition{Topic: r.Topic, Partition: r.Partition}]; !ok || r.Offset >= off {
				want++
			}
		}
		if got := runs.uncommitted(committed); got != want || runs.total != len(list) {
			t.Fatalf("round %d: uncommitted %d, want %d; total %d, want %d", round, got, want, runs.total, len(list))
		}
	}
}
