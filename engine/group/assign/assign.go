// Package assign holds Kafka's consumer partition assignors (range,
// roundrobin, sticky, cooperative-sticky) as pure functions from a group's
// members and the partition counts of their topics to an assignment. The
// group leader runs one of them in the classic rebalance protocol.
//
// Output is deterministic: every member gets an entry, each list sorted by
// topic then partition. Where Kafka iterates a HashMap, this package iterates
// members by ID instead. Rack-aware assignment (client.rack) is left out.
package assign

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/brokerlab/brokerlab/engine/names"
)

// Assignor names, as in partition.assignment.strategy.
const (
	RangeName             = "range"
	RoundRobinName        = "roundrobin"
	StickyName            = "sticky"
	CooperativeStickyName = "cooperative-sticky"
)

// Member is one consumer's JoinGroup subscription, as the leader sees it.
type Member struct {
	ID         string // member.id
	InstanceID string // group.instance.id, "" for a dynamic member
	Topics     []string
	// Owned is what the member consumed before this rebalance (the
	// subscription's owned partitions; the eager sticky assignor's user data).
	Owned []names.TopicPartition
	// Generation is the group generation Owned comes from; -1 when unknown
	// (Kafka's DEFAULT_GENERATION). Only the sticky assignors read it.
	Generation int32
}

// Func computes an assignment for members from the partition count of each
// topic. Every member gets an entry, possibly empty.
type Func func(members []Member, partitions map[string]int32) map[string][]names.TopicPartition

// Protocol is a rebalance protocol (Kafka's RebalanceProtocol).
type Protocol int8

const (
	// Eager: every member revokes everything before it rejoins.
	Eager Protocol = iota
	// Cooperative: members keep consuming what they keep; a partition that
	// moves is revoked first and handed over in a second rebalance.
	Cooperative
)

func (p Protocol) String() string {
	switch p {
	case Eager:
		return "EAGER"
	case Cooperative:
		return "COOPERATIVE"
	}
	return fmt.Sprintf("Protocol(%d)", int8(p))
}

// Assignor is a named assignor with the rebalance protocols it supports.
type Assignor struct {
	Name      string
	Protocols []Protocol // supported, Kafka's order
	Assign    Func
}

var assignors = []Assignor{
	{RangeName, []Protocol{Eager}, Range},
	{RoundRobinName, []Protocol{Eager}, RoundRobin},
	{StickyName, []Protocol{Eager}, Sticky},
	{CooperativeStickyName, []Protocol{Cooperative, Eager}, CooperativeSticky},
}

// ByName returns the assignor called name.
func ByName(name string) (Assignor, bool) {
	for _, a := range assignors {
		if a.Name == name {
			return a, true
		}
	}
	return Assignor{}, false
}

// RebalanceProtocol is the protocol a consumer configured with assignors
// uses: the highest one all of them support (Kafka's
// ConsumerCoordinator). The 4.x default [range, cooperative-sticky] is
// therefore EAGER until range is dropped from the list.
func RebalanceProtocol(assignors []string) (Protocol, error) {
	if len(assignors) == 0 {
		return 0, fmt.Errorf("assign: partition.assignment.strategy is empty")
	}
	best := Protocol(-1)
	for _, p := range []Protocol{Eager, Cooperative} {
		common := true
		for _, n := range assignors {
			a, ok := ByName(n)
			if !ok {
				return 0, fmt.Errorf("assign: unknown assignor %q", n)
			}
			common = common && slices.Contains(a.Protocols, p)
		}
		if common {
			best = p
		}
	}
	if best < 0 {
		return 0, fmt.Errorf("assign: assignors %v share no rebalance protocol", assignors)
	}
	return best, nil
}

// javaCompare orders strings like Java's String.compareTo: by UTF-16 code
// units. That is code point order except that runes above U+FFFF sort
// before U+E000..U+FFFF.
func javaCompare(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			if ra > 0xFFFF && rb > 0xFFFF {
				return cmp.Compare(ra, rb)
			}
			return cmp.Compare(firstUnit(ra), firstUnit(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

func firstUnit(r rune) rune {
	if r > 0xFFFF {
		return 0xD800 // a high surrogate; valid runes never fall in D800..DFFF
	}
	return r
}

// compareTP is Kafka's (Java's) order of topic partitions: topic by
// javaCompare, then partition. names.Compare orders topics by bytes, which
// differs only for topic names with characters beyond U+FFFF.
func compareTP(x, y names.TopicPartition) int {
	if c := javaCompare(x.Topic, y.Topic); c != 0 {
		return c
	}
	return cmp.Compare(x.Partition, y.Partition)
}

// compareMembers is Kafka's MemberInfo order: static members first, by
// group.instance.id, then dynamic members by member.id.
func compareMembers(x, y *Member) int {
	switch xs, ys := x.InstanceID != "", y.InstanceID != ""; {
	case xs && ys:
		if c := javaCompare(x.InstanceID, y.InstanceID); c != 0 {
			return c
		}
	case xs:
		return -1
	case ys:
		return 1
	}
	return javaCompare(x.ID, y.ID)
}

// group is the input every assignor starts from.
type group struct {
	members []*Member         // sorted by member ID
	subs    []map[string]bool // subscribed topics, by index into members
	topics  []string          // subscribed topics that have partitions, sorted
	counts  map[string]int32
}

func newGroup(members []Member, partitions map[string]int32) *group {
	g := &group{counts: map[string]int32{}}
	for i := range members {
		g.members = append(g.members, &members[i])
	}
	sort.Slice(g.members, func(i, j int) bool { return javaCompare(g.members[i].ID, g.members[j].ID) < 0 })
	for i, m := range g.members {
		if i > 0 && g.members[i-1].ID == m.ID {
			panic(fmt.Sprintf("assign: duplicate member id %q", m.ID))
		}
		sub := map[string]bool{}
		for _, t := range m.Topics {
			sub[t] = true
			if n := partitions[t]; n > 0 && g.counts[t] == 0 {
				g.counts[t] = n
				g.topics = append(g.topics, t)
			}
		}
		g.subs = append(g.subs, sub)
	}
	sort.Slice(g.topics, func(i, j int) bool { return javaCompare(g.topics[i], g.topics[j]) < 0 })
	return g
}

func (g *group) valid(tp names.TopicPartition) bool {
	return tp.Partition >= 0 && tp.Partition < g.counts[tp.Topic]
}

func (g *group) emptyAssignment() map[string][]names.TopicPartition {
	out := make(map[string][]names.TopicPartition, len(g.members))
	for _, m := range g.members {
		out[m.ID] = []names.TopicPartition{}
	}
	return out
}

func sortAssignment(a map[string][]names.TopicPartition) map[string][]names.TopicPartition {
	for _, tps := range a {
		sort.Slice(tps, func(i, j int) bool { return compareTP(tps[i], tps[j]) < 0 })
	}
	return a
}
