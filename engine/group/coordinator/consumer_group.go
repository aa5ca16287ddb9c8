package coordinator

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
)

// The KIP-848 consumer group (Kafka's ConsumerGroup in group-coordinator),
// beside the classic Group: a group whose members speak
// ConsumerGroupHeartbeat keeps its state in Group.consumer, and the classic
// fields stay empty. Three epochs drive it:
//   - the group epoch bumps whenever membership or a subscription changes;
//   - the target assignment epoch catches up with the group epoch when the
//     coordinator runs the server-side assignor (uniform or range);
//   - each member's epoch catches up with the target assignment epoch as
//     the member reconciles: it first revokes what is no longer its own,
//     and receives a partition only once its previous owner released it.
// There is no group-wide barrier: members converge one by one.

// ConsumerGroupState is a consumer group's state (Kafka's ConsumerGroupState).
type ConsumerGroupState string

// Consumer group states: Empty without members, Assigning while the group
// epoch is ahead of the target assignment, Reconciling while a member has
// not reached the target, Stable once every member has.
const (
	ConsumerEmpty       ConsumerGroupState = "Empty"
	ConsumerAssigning   ConsumerGroupState = "Assigning"
	ConsumerReconciling ConsumerGroupState = "Reconciling"
	ConsumerStable      ConsumerGroupState = "Stable"
)

// MemberState is a consumer group member's reconciliation state (Kafka's
// MemberState of CurrentAssignmentBuilder).
type MemberState string

// Member states.
const (
	MemberStable               MemberState = "STABLE"
	MemberUnrevokedPartitions  MemberState = "UNREVOKED_PARTITIONS"
	MemberUnreleasedPartitions MemberState = "UNRELEASED_PARTITIONS"
)

// ConsumerMember is one member of a consumer group (Kafka's ConsumerGroupMember).
type ConsumerMember struct {
	ID                  string
	InstanceID          string
	ClientID            string
	MemberEpoch         int32
	PreviousMemberEpoch int32
	State               MemberState
	RebalanceTimeout    time.Duration
	Topics              []string // SubscribedTopicNames, sorted
	Regex               string   // SubscribedTopicRegex
	ServerAssignor      string
	// Assigned is what the member may own now; Revoking what it must
	// release before it gets anything new.
	Assigned []names.TopicPartition
	Revoking []names.TopicPartition

	hbToken     int
	revokeToken int
	deadline    time.Duration
}

// consumerGroup is the KIP-848 state of a Group.
type consumerGroup struct {
	GroupEpoch      int32
	AssignmentEpoch int32
	State           ConsumerGroupState
	Assignor        string // of the last target assignment
	members         map[string]*ConsumerMember
	static          map[string]string                 // group.instance.id → member id
	target          map[string][]names.TopicPartition // member id → target assignment
	owner           map[names.TopicPartition]string   // partition → member holding it (assigned or revoking)
	counts          map[string]int32                  // partitions of each subscribed topic when last assigned
}

func newConsumerGroup() *consumerGroup {
	return &consumerGroup{State: ConsumerEmpty, members: map[string]*ConsumerMember{}, static: map[string]string{},
		target: map[string][]names.TopicPartition{}, owner: map[names.TopicPartition]string{}, counts: map[string]int32{}}
}

// IsConsumer reports whether g is a KIP-848 consumer group.
func (g *Group) IsConsumer() bool { return g.consumer != nil }

// ConsumerView is the describe view of a consumer group
// (ConsumerGroupDescribe): epochs, state and each member's current and
// target assignment.
type ConsumerView struct {
	GroupEpoch      int32
	AssignmentEpoch int32
	State           ConsumerGroupState
	Assignor        string
	Members         []ConsumerMemberView
}

// ConsumerMemberView is one member in ConsumerView.
type ConsumerMemberView struct {
	ID, InstanceID, ClientID string
	MemberEpoch              int32
	State                    MemberState
	Topics                   []string
	Regex                    string
	Assigned, Revoking       []names.TopicPartition
	Target                   []names.TopicPartition
}

// Consumer returns the consumer-protocol view of g, nil for a classic group.
func (g *Group) Consumer() *ConsumerView {
	cg := g.consumer
	if cg == nil {
		return nil
	}
	v := &ConsumerView{GroupEpoch: cg.GroupEpoch, AssignmentEpoch: cg.AssignmentEpoch, State: cg.State, Assignor: cg.Assignor}
	for _, m := range cg.sortedMembers() {
		v.Members = append(v.Members, ConsumerMemberView{ID: m.ID, InstanceID: m.InstanceID, ClientID: m.ClientID, MemberEpoch: m.MemberEpoch,
			State: m.State, Topics: m.Topics, Regex: m.Regex, Assigned: m.Assigned, Revoking: m.Revoking, Target: cg.target[m.ID]})
	}
	return v
}

func (cg *consumerGroup) sortedMembers() []*ConsumerMember {
	out := make([]*ConsumerMember, 0, len(cg.members))
	for _, m := range cg.members {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// computeState is ConsumerGroup.maybeUpdateGroupState.
func (cg *consumerGroup) computeState() ConsumerGroupState {
	switch {
	case len(cg.members) == 0:
		return ConsumerEmpty
	case cg.GroupEpoch > cg.AssignmentEpoch:
		return ConsumerAssigning
	}
	for _, m := range cg.members {
		if m.MemberEpoch != cg.AssignmentEpoch || m.State != MemberStable {
			return ConsumerReconciling
		}
	}
	return ConsumerStable
}

// release forgets that m holds its partitions (it left or was fenced).
func (cg *consumerGroup) release(m *ConsumerMember) {
	for _, tp := range m.Assigned {
		if cg.owner[tp] == m.ID {
			delete(cg.owner, tp)
		}
	}
	for _, tp := range m.Revoking {
		if cg.owner[tp] == m.ID {
			delete(cg.owner, tp)
		}
	}
}

// hold records that m holds its assigned and revoking partitions.
func (cg *consumerGroup) hold(m *ConsumerMember) {
	for _, tp := range m.Assigned {
		cg.owner[tp] = m.ID
	}
	for _, tp := range m.Revoking {
		cg.owner[tp] = m.ID
	}
}

func tpStrings(tps []names.TopicPartition) []string {
	out := make([]string, len(tps))
	for i, tp := range tps {
		out[i] = tp.String()
	}
	return out
}
