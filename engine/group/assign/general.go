package assign

import (
	"sort"

	"github.com/brokerlab/brokerlab/engine/names"
)

// general assigns when members have different subscriptions. It is our own
// algorithm in place of Kafka's GeneralAssignmentBuilder, with the same
// outcome criterion (Kafka's isBalanced: no partition can move to a member
// subscribed to its topic that has at least two fewer):
//  1. keep every owned partition whose topic the owner still subscribes to;
//  2. give each free partition to the least-loaded subscribed member (topics
//     with fewest candidates first, ties to the lower member ID);
//  3. move partitions one at a time to a subscribed member with at least two
//     fewer, newly given partitions before kept ones, until none can move;
//  4. hand moved partitions back to their owners wherever the result stays
//     balanced, with at most one extra move of a partition its holder did
//     not own.
//
// Simplified: Kafka also prefers giving a partition back to its owner from
// an older generation, and avoids moving partitions of one topic back and
// forth between two members.
func (s *sticky) general() map[string][]names.TopicPartition {
	b := newBalancer(s)
	b.assignFree()
	b.balance()
	b.restore()
	out := s.emptyAssignment()
	for p, tp := range b.parts {
		id := s.members[b.holder[p]].ID
		out[id] = append(out[id], tp)
	}
	return sortAssignment(out)
}

// balancer is the general path's working state, indexed for speed: members
// by their index in s.members, partitions by their index in parts.
type balancer struct {
	s        *sticky
	parts    []names.TopicPartition // every partition, fewest candidate members first
	topic    []int                  // topic index of each partition
	eligible [][]bool               // eligible[member][topic]
	holder   []int                  // current member of each partition
	owner    []int                  // member that owned and keeps subscribing, or -1
	counts   []int                  // partitions per member
	least    []int                  // scratch: smallest count per topic
}

func newBalancer(s *sticky) *balancer {
	b := &balancer{s: s, counts: make([]int, len(s.members)), least: make([]int, len(s.topics))}
	topicIdx := map[string]int{}
	candidates := make([]int, len(s.topics))
	for t, name := range s.topics {
		topicIdx[name] = t
	}
	for i := range s.members {
		row := make([]bool, len(s.topics))
		for t, name := range s.topics {
			row[t] = s.subs[i][name]
			if row[t] {
				candidates[t]++
			}
		}
		b.eligible = append(b.eligible, row)
	}
	for _, name := range s.topics {
		for p := range s.counts[name] {
			b.parts = append(b.parts, names.TopicPartition{Topic: name, Partition: p})
		}
	}
	sort.SliceStable(b.parts, func(i, j int) bool {
		return candidates[topicIdx[b.parts[i].Topic]] < candidates[topicIdx[b.parts[j].Topic]]
	})
	index := map[names.TopicPartition]int{}
	for p, tp := range b.parts {
		index[tp] = p
		b.topic = append(b.topic, topicIdx[tp.Topic])
		b.holder = append(b.holder, -1)
		b.owner = append(b.owner, -1)
	}
	for i := range s.members {
		for _, tp := range s.owned[i] {
			if p := index[tp]; b.eligible[i][b.topic[p]] {
				b.holder[p], b.owner[p] = i, i
				b.counts[i]++
			}
		}
	}
	return b
}

func (b *balancer) move(p, to int) {
	b.counts[b.holder[p]]--
	b.counts[to]++
	b.holder[p] = to
}

// leastLoaded is the member eligible for topic t, other than skip, with the
// fewest partitions (ties to the lower member ID), or -1.
func (b *balancer) leastLoaded(t, skip int) int {
	best := -1
	for i, row := range b.eligible {
		if i != skip && row[t] && (best < 0 || b.counts[i] < b.counts[best]) {
			best = i
		}
	}
	return best
}

func (b *balancer) assignFree() {
	for p := range b.parts {
		if b.holder[p] < 0 {
			i := b.leastLoaded(b.topic[p], -1)
			b.holder[p] = i
			b.counts[i]++
		}
	}
}

// balance makes improving moves until none is left; each one lowers the sum
// of squared counts, so it ends.
func (b *balancer) balance() {
	var order []int // newly given partitions first, then kept ones
	for p := range b.parts {
		if b.owner[p] < 0 {
			order = append(order, p)
		}
	}
	for p := range b.parts {
		if b.owner[p] >= 0 {
			order = append(order, p)
		}
	}
	for moved := true; moved; {
		moved = false
		for _, p := range order {
			from := b.holder[p]
			if to := b.leastLoaded(b.topic[p], from); to >= 0 && b.counts[from] > b.counts[to]+1 {
				b.move(p, to)
				moved = true
			}
		}
	}
}

// restore gives moved partitions back to their owners while the assignment
// stays balanced. Every accepted step keeps one more partition, so it ends.
func (b *balancer) restore() {
	for restored := true; restored; {
		restored = false
		for p := range b.parts {
			owner, from := b.owner[p], b.holder[p]
			if owner < 0 || owner == from {
				continue
			}
			b.move(p, owner)
			if b.balanced() || b.compensate(owner, from) {
				restored = true
				continue
			}
			b.move(p, from)
		}
	}
}

// compensate tries to balance with one move of a partition its holder does
// not own: away from member to, which just gained one, to a member with
// fewer; or to member from, which just lost one, from a member with more.
func (b *balancer) compensate(to, from int) bool {
	try := func(p, dst int) bool {
		src := b.holder[p]
		b.move(p, dst)
		if b.balanced() {
			return true
		}
		b.move(p, src)
		return false
	}
	for p := range b.parts {
		if b.holder[p] != to || b.owner[p] == to {
			continue
		}
		for dst, row := range b.eligible {
			if dst != to && row[b.topic[p]] && b.counts[dst] < b.counts[to] && try(p, dst) {
				return true
			}
		}
	}
	for p := range b.parts {
		src := b.holder[p]
		if src != from && b.owner[p] != src && b.eligible[from][b.topic[p]] && b.counts[src] > b.counts[from] && try(p, from) {
			return true
		}
	}
	return false
}

// balanced is Kafka's isBalanced.
func (b *balancer) balanced() bool {
	for t := range b.least {
		b.least[t] = -1
	}
	for i, row := range b.eligible {
		for t, ok := range row {
			if ok && (b.least[t] < 0 || b.counts[i] < b.least[t]) {
				b.least[t] = b.counts[i]
			}
		}
	}
	for p, i := range b.holder {
		if b.counts[i] > b.least[b.topic[p]]+1 {
			return false
		}
	}
	return true
}
