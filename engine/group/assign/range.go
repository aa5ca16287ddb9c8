package assign

import (
	"sort"

	"github.com/brokerlab/brokerlab/engine/names"
)

// Range is Kafka's RangeAssignor ("range"): topic by topic, the subscribed
// members in MemberInfo order (static members by group.instance.id first,
// then the others by member.id) each take a contiguous range of P/C
// partitions, and the first P%C of them one more. Members early in the order
// get the extra partition of every topic, so imbalance adds up across topics.
func Range(members []Member, partitions map[string]int32) map[string][]names.TopicPartition {
	g := newGroup(members, partitions)
	out := g.emptyAssignment()
	for _, topic := range g.topics {
		var consumers []*Member
		for i, m := range g.members {
			if g.subs[i][topic] {
				consumers = append(consumers, m)
			}
		}
		sort.Slice(consumers, func(i, j int) bool { return compareMembers(consumers[i], consumers[j]) < 0 })
		n, c := int(g.counts[topic]), len(consumers)
		per, extra := n/c, n%c
		for i, m := range consumers {
			start := per*i + min(i, extra)
			length := per
			if i < extra {
				length++
			}
			for p := start; p < start+length; p++ {
				out[m.ID] = append(out[m.ID], names.TopicPartition{Topic: topic, Partition: int32(p)})
			}
		}
	}
	return sortAssignment(out)
}

// RoundRobin is Kafka's RoundRobinAssignor ("roundrobin"): all subscribed
// partitions, sorted by topic then partition, are dealt one at a time round
// the members in MemberInfo order; a member not subscribed to a partition's
// topic is skipped (and the deal goes on from the member after the one that
// took it).
func RoundRobin(members []Member, partitions map[string]int32) map[string][]names.TopicPartition {
	g := newGroup(members, partitions)
	out := g.emptyAssignment()
	order := make([]int, len(g.members))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return compareMembers(g.members[order[i]], g.members[order[j]]) < 0 })
	next := 0
	for _, topic := range g.topics {
		for p := range g.counts[topic] {
			for !g.subs[order[next]][topic] {
				next = (next + 1) % len(order)
			}
			m := g.members[order[next]]
			out[m.ID] = append(out[m.ID], names.TopicPartition{Topic: topic, Partition: p})
			next = (next + 1) % len(order)
		}
	}
	return sortAssignment(out)
}
