package assign

import (
	"maps"
	"slices"
	"sort"

	"github.com/brokerlab/brokerlab/engine/names"
)

// Sticky is Kafka's StickyAssignor ("sticky", eager): an assignment as
// balanced as possible that keeps as many partitions with their previous
// owners as it can. With identical subscriptions every member gets ⌊P/C⌋ or
// ⌈P/C⌉ partitions; otherwise no partition can move to a member with two
// fewer. When two members claim the same partition the higher generation
// wins, and claims from the same generation are both dropped.
func Sticky(members []Member, partitions map[string]int32) map[string][]names.TopicPartition {
	s := newSticky(members, partitions)
	if len(s.members) == 0 {
		return map[string][]names.TopicPartition{}
	}
	if s.allEqual {
		out, _ := s.constrained()
		return out
	}
	return s.general()
}

// CooperativeSticky is Kafka's CooperativeStickyAssignor
// ("cooperative-sticky"): the sticky assignment, minus every partition that
// would change owner. Those stay unassigned this round; their old owners
// revoke them (they are not in their new assignment), rejoin, and the next
// rebalance hands them to their new owners.
func CooperativeSticky(members []Member, partitions map[string]int32) map[string][]names.TopicPartition {
	s := newSticky(members, partitions)
	if len(s.members) == 0 {
		return map[string][]names.TopicPartition{}
	}
	if s.allEqual {
		out, transferring := s.constrained()
		for tp, i := range transferring {
			id := s.members[i].ID
			out[id] = slices.DeleteFunc(out[id], func(x names.TopicPartition) bool { return x == tp })
		}
		return out
	}
	out := s.general()
	// a partition added to one member and revoked from another waits a round
	added := map[names.TopicPartition]string{}
	revoked := map[names.TopicPartition]bool{}
	for _, m := range s.members {
		owned := map[names.TopicPartition]bool{}
		for _, tp := range m.Owned {
			owned[tp] = true
		}
		got := map[names.TopicPartition]bool{}
		for _, tp := range out[m.ID] {
			got[tp] = true
			if !owned[tp] {
				added[tp] = m.ID
			}
		}
		for tp := range owned {
			if !got[tp] {
				revoked[tp] = true
			}
		}
	}
	for tp, id := range added {
		if revoked[tp] {
			out[id] = slices.DeleteFunc(out[id], func(x names.TopicPartition) bool { return x == tp })
		}
	}
	return out
}

// sticky is a group with its ownership claims resolved.
type sticky struct {
	*group
	owned    [][]names.TopicPartition      // winning claims, by member index
	multi    map[names.TopicPartition]bool // claimed twice in one generation
	allEqual bool                          // every member has the same subscription
}

// newSticky resolves claims as Kafka's AbstractStickyAssignor does: a
// partition claimed by two members goes to the higher generation; two
// claims from the same generation are both dropped.
func newSticky(members []Member, partitions map[string]int32) *sticky {
	s := &sticky{group: newGroup(members, partitions), multi: map[names.TopicPartition]bool{}, allEqual: true}
	s.owned = make([][]names.TopicPartition, len(s.members))
	owner := map[names.TopicPartition]int{}
	for i, m := range s.members {
		s.allEqual = s.allEqual && maps.Equal(s.subs[i], s.subs[0])
		for _, tp := range m.Owned {
			if !s.valid(tp) || slices.Contains(s.owned[i], tp) {
				continue
			}
			j, claimed := owner[tp]
			if claimed && m.Generation < s.members[j].Generation {
				continue // the newer claim stands
			}
			if claimed {
				s.owned[j] = slices.DeleteFunc(s.owned[j], func(x names.TopicPartition) bool { return x == tp })
			}
			owner[tp] = i
			if claimed && m.Generation == s.members[j].Generation {
				s.multi[tp] = true
				continue
			}
			s.owned[i] = append(s.owned[i], tp)
		}
	}
	return s
}

func (s *sticky) total() int {
	n := 0
	for _, t := range s.topics {
		n += int(s.counts[t])
	}
	return n
}

// constrained is Kafka's ConstrainedAssignmentBuilder, used when all
// subscriptions are equal: members keep up to their quota (⌊P/C⌋, or ⌈P/C⌉
// for the first P%C that own that many) of what they owned, then the rest
// is dealt round the members still below quota. It also returns the
// partitions that change owner, with their new owner.
func (s *sticky) constrained() (map[string][]names.TopicPartition, map[names.TopicPartition]int) {
	c, p := len(s.members), s.total()
	minQ, maxQ := p/c, (p+c-1)/c
	expectedOver, over := p%c, 0
	assigned := make([][]names.TopicPartition, c)
	taken := map[names.TopicPartition]bool{}
	maybeRevoked := map[names.TopicPartition]int{}
	var under, exact []int // members below minQ; members at minQ that may take one more

	for i := range s.members {
		owned := slices.DeleteFunc(slices.Clone(s.owned[i]), func(tp names.TopicPartition) bool { return s.multi[tp] })
		sort.Slice(owned, func(i, j int) bool { // Kafka: by partition, then topic
			x, y := owned[i], owned[j]
			if x.Partition != y.Partition {
				return x.Partition < y.Partition
			}
			return javaCompare(x.Topic, y.Topic) < 0
		})
		var keep int
		switch {
		case len(owned) < minQ:
			keep = len(owned)
			under = append(under, i)
		case len(owned) >= maxQ && over < expectedOver:
			keep = maxQ
			if over++; over == expectedOver {
				exact = exact[:0]
			}
		default:
			keep = minQ
			if over < expectedOver {
				exact = append(exact, i)
			}
		}
		for _, tp := range owned[:keep] {
			assigned[i] = append(assigned[i], tp)
			taken[tp] = true
		}
		for _, tp := range owned[keep:] {
			maybeRevoked[tp] = i
		}
	}

	transferring := map[names.TopicPartition]int{}
	next := 0 // the round-robin position in under
	for _, topic := range s.topics {
		for part := range s.counts[topic] {
			tp := names.TopicPartition{Topic: topic, Partition: part}
			if taken[tp] {
				continue
			}
			var i int
			fromUnder := true
			switch {
			case next < len(under):
				i, next = under[next], next+1
			case len(under) == 0 && len(exact) == 0:
				panic("assign: sticky: partitions left but every member is at its quota")
			case len(under) == 0:
				i, exact, fromUnder = exact[0], exact[1:], false
			default:
				i, next = under[0], 1
			}
			assigned[i] = append(assigned[i], tp)
			if j, ok := maybeRevoked[tp]; ok && j != i || s.multi[tp] {
				transferring[tp] = i
			}
			switch n := len(assigned[i]); {
			case n == minQ && fromUnder:
				under = slices.Delete(under, next-1, next)
				next--
				exact = append(exact, i)
			case n == maxQ:
				over++
			}
		}
	}
	for _, i := range under {
		if len(assigned[i]) != minQ {
			panic("assign: sticky: a member ended below its quota")
		}
	}

	out := s.emptyAssignment()
	for i, m := range s.members {
		out[m.ID] = append(out[m.ID], assigned[i]...)
	}
	return sortAssignment(out), transferring
}
