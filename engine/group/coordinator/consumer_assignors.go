package coordinator

import (
	"sort"

	"github.com/brokerlab/brokerlab/engine/names"
)

// Server-side assignors of consumer groups (group.consumer.assignors):
// the coordinator, not a leader member, computes the target assignment.

// Server assignor names, as in group.consumer.assignors and group.remote.assignor.
const (
	UniformAssignor = "uniform"
	RangeAssignor   = "range"
)

// assignSpec is one member's input to a server-side assignor.
type assignSpec struct {
	ID      string
	Topics  []string               // resolved subscription (names and regex), sorted
	Current []names.TopicPartition // its current target assignment
}

// serverAssign runs the named assignor; every member gets an entry.
func serverAssign(name string, members []assignSpec, counts map[string]int32) map[string][]names.TopicPartition {
	if name == RangeAssignor {
		return rangeAssign(members, counts)
	}
	return uniformAssign(members, counts)
}

// uniformAssign is Kafka's UniformAssignor: balanced and sticky. Like
// OptimizedUniformAssignmentBuilder, every member first keeps up to its
// quota (total/members, one more for the first total%members members that
// already have more) of its current partitions, then the rest go to the
// members below their quota, the least loaded first. Simplified: one
// algorithm for homogeneous and heterogeneous subscriptions (Kafka uses
// GeneralUniformAssignmentBuilder for the latter), members in member id
// order where Kafka iterates hash maps.
func uniformAssign(members []assignSpec, counts map[string]int32) map[string][]names.TopicPartition {
	sort.Slice(members, func(i, j int) bool { return members[i].ID < members[j].ID })
	out := map[string][]names.TopicPartition{}
	subscribed := map[string]map[string]bool{}
	all := map[names.TopicPartition]bool{}
	for _, m := range members {
		out[m.ID] = []names.TopicPartition{}
		subscribed[m.ID] = map[string]bool{}
		for _, t := range m.Topics {
			subscribed[m.ID][t] = true
			for p := int32(0); p < counts[t]; p++ {
				all[names.TopicPartition{Topic: t, Partition: p}] = true
			}
		}
	}
	if len(members) == 0 {
		return out
	}
	total := len(all)
	minQuota, extra := total/len(members), total%len(members)
	taken := map[names.TopicPartition]bool{}
	for _, m := range members {
		var keep []names.TopicPartition
		for _, tp := range m.Current {
			if all[tp] && subscribed[m.ID][tp.Topic] && !taken[tp] {
				keep = append(keep, tp)
			}
		}
		names.Sort(keep)
		quota := minQuota
		if len(keep) > minQuota && extra > 0 {
			quota++
			extra--
		}
		if len(keep) > quota {
			keep = keep[:quota]
		}
		for _, tp := range keep {
			taken[tp] = true
		}
		out[m.ID] = append(out[m.ID], keep...)
	}
	for _, tp := range names.SortedKeys(all) {
		if taken[tp] {
			continue
		}
		best := ""
		for _, m := range members {
			if !subscribed[m.ID][tp.Topic] {
				continue
			}
			if best == "" || len(out[m.ID]) < len(out[best]) {
				best = m.ID
			}
		}
		if best != "" {
			out[best] = append(out[best], tp)
			taken[tp] = true
		}
	}
	for id := range out {
		names.Sort(out[id])
	}
	return out
}

// rangeAssign is Kafka's server-side RangeAssignor: per topic, the
// subscribed members in member id order get contiguous ranges, the first
// partitions%members of them one partition more. Simplified: not sticky
// (Kafka's keeps a member's current ranges where it can).
func rangeAssign(members []assignSpec, counts map[string]int32) map[string][]names.TopicPartition {
	sort.Slice(members, func(i, j int) bool { return members[i].ID < members[j].ID })
	out := map[string][]names.TopicPartition{}
	byTopic := map[string][]string{}
	for _, m := range members {
		out[m.ID] = []names.TopicPartition{}
		for _, t := range m.Topics {
			byTopic[t] = append(byTopic[t], m.ID)
		}
	}
	topics := make([]string, 0, len(byTopic))
	for t := range byTopic {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	for _, t := range topics {
		ids := byTopic[t]
		n := int(counts[t])
		per, extra := n/len(ids), n%len(ids)
		next := 0
		for i, id := range ids {
			size := per
			if i < extra {
				size++
			}
			for p := next; p < next+size; p++ {
				out[id] = append(out[id], names.TopicPartition{Topic: t, Partition: int32(p)})
			}
			next += size
		}
	}
	for id := range out {
		names.Sort(out[id])
	}
	return out
}
