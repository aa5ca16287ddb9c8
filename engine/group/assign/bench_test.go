package assign

import (
	"fmt"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
)

// benchGroup is 10 consumers and 60 partitions: nine members own a
// round-robin share from generation 1 and a tenth just joined. With mixed,
// the odd members also subscribe to a second topic (the general sticky path).
func benchGroup(mixed bool) ([]Member, map[string]int32) {
	parts := map[string]int32{"orders": 60}
	if mixed {
		parts = map[string]int32{"orders": 40, "payments": 20}
	}
	members := make([]Member, 10)
	for i := range members {
		members[i] = Member{ID: fmt.Sprintf("consumer-%02d", i), Topics: []string{"orders"}, Generation: 1}
		if mixed && i%2 == 1 {
			members[i].Topics = append(members[i].Topics, "payments")
		}
	}
	members[9].Generation = -1
	for _, topic := range []string{"orders", "payments"} {
		for p := range parts[topic] {
			for j := int(p) % 9; ; j = (j + 1) % 9 {
				if len(members[j].Topics) > 1 || topic == "orders" {
					members[j].Owned = append(members[j].Owned, names.TopicPartition{Topic: topic, Partition: p})
					break
				}
			}
		}
	}
	return members, parts
}

func BenchmarkAssignors(b *testing.B) {
	for _, mixed := range []bool{false, true} {
		members, parts := benchGroup(mixed)
		for _, a := range assignors {
			name := a.Name
			if mixed {
				name += "/mixed-subscriptions"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					a.Assign(members, parts)
				}
			})
		}
	}
}
