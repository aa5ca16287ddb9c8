package partition_test

import (
	"math/rand/v2"
	"testing"

	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/twmb/franz-go/pkg/kgo"
)

// franz-go's StickyKeyPartitioner(nil) hashes keys exactly like Kafka's Java
// client; it is an implementation independent of ours.
func TestForKeyMatchesFranzGo(t *testing.T) {
	kp := kgo.StickyKeyPartitioner(nil).ForTopic("t")
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 10000 {
		key := make([]byte, r.IntN(40)) // lengths 0..39 cover every tail case
		for j := range key {
			key[j] = byte(r.Uint32())
		}
		for _, n := range []int{1, 2, 3, 7, 12, 50, 100} {
			want := kp.Partition(&kgo.Record{Key: key}, n)
			if got := partition.ForKey(key, n); got != want {
				t.Fatalf("key %d %x, %d partitions: ForKey = %d, franz-go = %d", i, key, n, got, want)
			}
		}
	}
}
