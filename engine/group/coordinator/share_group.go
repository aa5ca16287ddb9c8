package coordinator

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/names"
)

// KIP-932 share groups on the group coordinator, after Kafka's ShareGroup
// and GroupMetadataManager.shareGroupHeartbeat: members join with
// ShareGroupHeartbeat, the group epoch bumps on every membership or
// subscription change, and the SimpleAssignor gives partitions out; many
// members may share one partition (the records, not the partitions, are
// what members divide, on the partition leaders: engine/share).
//
// Simplified: the share group's membership is not written to
// __consumer_offsets (Kafka writes ShareGroupMetadata and member records);
// after a coordinator failover members hear UNKNOWN_MEMBER_ID and join
// again. The share-partition state, which holds the delivery progress, is
// persisted in __share_group_state (share_coordinator.go).

// ShareGroupState is a share group's state (Kafka's ShareGroup.ShareGroupState).
type ShareGroupState string

// Share group states.
const (
	ShareEmpty  ShareGroupState = "Empty"
	ShareStable ShareGroupState = "Stable"
)

// ShareMember is one member of a share group.
type ShareMember struct {
	ID          string
	ClientID    string
	RackID      string
	MemberEpoch int32
	Topics      []string
	Assigned    []names.TopicPartition

	current  []names.TopicPartition // the assignor's input: the member's latest target
	hbToken  int
	deadline time.Duration
}

type shareGroup struct {
	GroupEpoch      int32
	AssignmentEpoch int32
	State           ShareGroupState
	members         map[string]*ShareMember
	target          map[string][]names.TopicPartition // the SimpleAssignor's latest assignment by member
}

func newShareGroup() *shareGroup {
	return &shareGroup{State: ShareEmpty, members: map[string]*ShareMember{}, target: map[string][]names.TopicPartition{}}
}

// IsShare reports whether the group is a KIP-932 share group.
func (g *Group) IsShare() bool { return g.share != nil }

// ShareView is a share group's description (kafka-share-groups.sh --describe).
type ShareView struct {
	GroupEpoch      int32
	AssignmentEpoch int32
	State           ShareGroupState
	Members         []ShareMember
}

// Share describes a share group, or nil for other groups.
func (g *Group) Share() *ShareView {
	if g.share == nil {
		return nil
	}
	sg := g.share
	v := &ShareView{GroupEpoch: sg.GroupEpoch, AssignmentEpoch: sg.AssignmentEpoch, State: sg.State}
	for _, m := range sg.sortedMembers() {
		v.Members = append(v.Members, *m)
	}
	return v
}

func (sg *shareGroup) sortedMembers() []*ShareMember {
	out := make([]*ShareMember, 0, len(sg.members))
	for _, m := range sg.members {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// simpleAssign is Kafka's SimpleAssignor (heterogeneous form): each member
// is hashed onto one partition of its subscribed topics; partitions that
// got no member and had none are given round-robin to the topic's
// subscribers; members keep what they had of their subscribed topics.
// Simplified: members are visited in member id order (Kafka: the group's
// map order).
func simpleAssign(members []*ShareMember, counts map[string]int32) map[string][]names.TopicPartition {
	targets := map[string][]names.TopicPartition{}
	subscribers := map[string][]string{}
	var topics []string
	for _, m := range members {
		ts := append([]string(nil), m.Topics...)
		sort.Strings(ts)
		for _, t := range ts {
			if counts[t] == 0 {
				continue
			}
			if len(subscribers[t]) == 0 {
				topics = append(topics, t)
			}
			subscribers[t] = append(subscribers[t], m.ID)
			for p := int32(0); p < counts[t]; p++ {
				targets[m.ID] = append(targets[m.ID], names.TopicPartition{Topic: t, Partition: p})
			}
		}
	}
	sort.Strings(topics)
	current := map[names.TopicPartition]bool{}
	out := map[string]map[names.TopicPartition]bool{}
	add := func(id string, tp names.TopicPartition) {
		if out[id] == nil {
			out[id] = map[names.TopicPartition]bool{}
		}
		out[id][tp] = true
	}
	for _, m := range members {
		for _, tp := range m.current {
			current[tp] = true
			if tp.Partition < counts[tp.Topic] && contains(m.Topics, tp.Topic) {
				add(m.ID, tp)
			}
		}
	}
	hashed := map[names.TopicPartition]bool{}
	for _, m := range members {
		if tps := targets[m.ID]; len(tps) > 0 {
			h := coord.JavaStringHashCode(m.ID) % int32(len(tps))
			if h < 0 {
				h = -h
			}
			add(m.ID, tps[h])
			hashed[tps[h]] = true
		}
	}
	for _, t := range topics {
		subs := subscribers[t]
		i := 0
		for p := int32(0); p < counts[t]; p++ {
			tp := names.TopicPartition{Topic: t, Partition: p}
			if hashed[tp] || current[tp] {
				continue
			}
			add(subs[i%len(subs)], tp)
			i++
		}
	}
	res := map[string][]names.TopicPartition{}
	for _, m := range members {
		res[m.ID] = names.SortedKeys(out[m.ID])
	}
	return res
}

// shareSubscribed lists the topics any member subscribes to, sorted.
func (sg *shareGroup) subscribed() []string {
	set := map[string]bool{}
	for _, m := range sg.members {
		for _, t := range m.Topics {
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// computeShareTarget runs the SimpleAssignor for the group epoch; each
// member takes its new assignment and the group epoch with its next
// heartbeat (a share group has nothing to revoke first: partitions are
// shared).
func (c *Coordinator) computeShareTarget(g *Group) {
	sg := g.share
	members := sg.sortedMembers()
	for _, m := range members {
		m.current = sg.target[m.ID]
	}
	target := simpleAssign(members, c.counts(sg.subscribed()))
	sg.target = target
	sg.AssignmentEpoch = sg.GroupEpoch
	assignment := map[string][]string{}
	for _, m := range members {
		assignment[m.ID] = tpStrings(target[m.ID])
	}
	c.host.Emit("share_assignment_computed", fmt.Sprintf("share group %s: the SimpleAssignor gave out the partitions for group epoch %d to %d members (members may share a partition)", g.ID, sg.GroupEpoch, len(members)),
		map[string]any{"group": g.ID, "group_epoch": sg.GroupEpoch, "assignment": assignment})
	next := ShareEmpty
	if len(sg.members) > 0 {
		next = ShareStable
	}
	if next != sg.State {
		from := sg.State
		sg.State, g.State = next, State(next)
		c.host.Emit("group_state_changed", fmt.Sprintf("share group %s is %s (group epoch %d)", g.ID, next, sg.GroupEpoch),
			map[string]any{"group": g.ID, "from": string(from), "to": string(next), "generation": sg.GroupEpoch, "protocol": "share"})
	}
}

func (c *Coordinator) bumpShareEpoch(g *Group, why string) {
	sg := g.share
	sg.GroupEpoch++
	g.Generation = sg.GroupEpoch
	c.host.Emit("group_epoch_bumped", fmt.Sprintf("share group %s: group epoch %d: %s", g.ID, sg.GroupEpoch, why),
		map[string]any{"group": g.ID, "group_epoch": sg.GroupEpoch, "reason": why})
	c.computeShareTarget(g)
}

// scheduleShareSession (re)starts group.share.session.timeout.ms.
func (c *Coordinator) scheduleShareSession(g *Group, m *ShareMember) {
	m.hbToken++
	tok := m.hbToken
	d := c.cfg.ShareSessionTimeout
	m.deadline = c.host.Now() + d
	c.host.After(d, func() {
		if !c.current(g) || g.share == nil || g.share.members[m.ID] != m || m.hbToken != tok {
			return
		}
		c.removeShareMember(g, m, fmt.Sprintf("no heartbeat within group.share.session.timeout.ms=%d", d.Milliseconds()))
	})
}

func (c *Coordinator) removeShareMember(g *Group, m *ShareMember, why string) {
	delete(g.share.members, m.ID)
	c.host.Emit("member_removed", fmt.Sprintf("share group %s: member %s is removed: %s", g.ID, m.ID, why),
		map[string]any{"group": g.ID, "group_instance_id": "", "member_id": m.ID, "reason": why})
	c.bumpShareEpoch(g, fmt.Sprintf("member %s left", m.ID))
}
