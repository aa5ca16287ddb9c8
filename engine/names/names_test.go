package names_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
)

func ExampleSortedKeys() {
	lag := map[names.TopicPartition]int64{
		{Topic: "payments", Partition: 10}: 3,
		{Topic: "orders", Partition: 1}:    0,
		{Topic: "payments", Partition: 2}:  7,
	}
	for _, tp := range names.SortedKeys(lag) {
		fmt.Println(tp, lag[tp])
	}
	// Output:
	// orders-1 0
	// payments-2 7
	// payments-10 3
}

func ExampleBroker() {
	fmt.Println(names.Broker(1), names.Broker(40), names.Controller(1), names.Producer("p1"), names.Consumer("c1"), names.Admin)
	// Output: broker-1 broker-40 controller-1 producer-p1 consumer-c1 admin
}

// TestSortMatchesLess checks Sort against the plainly written order the
// engine's packages each had before: topic, then partition.
func TestSortMatchesLess(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	topics := []string{"", "a", "a-b", "a.b", "b", "orders", "orders-1", "Zeta", "é", "\U0001F600", "\uFFFD"}
	for range 200 {
		tps := make([]names.TopicPartition, r.IntN(30))
		for i := range tps {
			tps[i] = names.TopicPartition{Topic: topics[r.IntN(len(topics))], Partition: r.Int32N(12) - 1}
		}
		want := slices.Clone(tps)
		sort.Slice(want, func(i, j int) bool {
			if want[i].Topic != want[j].Topic {
				return want[i].Topic < want[j].Topic
			}
			return want[i].Partition < want[j].Partition
		})
		got := slices.Clone(tps)
		names.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("Sort(%v) = %v, want %v", tps, got, want)
		}
	}
}

func TestStringMatchesSprintf(t *testing.T) {
	for _, tp := range []names.TopicPartition{{Topic: "t", Partition: 0}, {Topic: "a-b", Partition: 12}, {Topic: "", Partition: -1}, {Topic: "x", Partition: 1 << 30}} {
		if got, want := tp.String(), fmt.Sprintf("%s-%d", tp.Topic, tp.Partition); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
	for _, id := range []int32{-1, 0, 1, 31, 32, 1000} {
		if got, want := string(names.Broker(id)), fmt.Sprintf("broker-%d", id); got != want {
			t.Errorf("Broker(%d) = %q, want %q", id, got, want)
		}
	}
}

func TestIDsReadNamesBack(t *testing.T) {
	for _, id := range []int32{0, 1, 31, 32, 1000} {
		if got, ok := names.BrokerID(string(names.Broker(id))); !ok || got != int(id) {
			t.Errorf("BrokerID(Broker(%d)) = %d, %v", id, got, ok)
		}
		if got, ok := names.ControllerID(string(names.Controller(id))); !ok || got != int(id) {
			t.Errorf("ControllerID(Controller(%d)) = %d, %v", id, got, ok)
		}
	}
	for _, n := range []string{"3", "broker-", "broker-03", "broker-+3", "broker-3x", "controller-1", "producer-broker-1", "Broker-1"} {
		if id, ok := names.BrokerID(n); ok {
			t.Errorf("BrokerID(%q) = %d, want not a broker", n, id)
		}
	}
}
