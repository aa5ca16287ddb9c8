package coordinator

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// consumerGroupKeyVersion is Kafka's ConsumerGroupMetadataKey version.
// Simplified: Kafka writes a consumer group as several record kinds
// (ConsumerGroupMetadata, ConsumerGroupMemberMetadata,
// ConsumerGroupTargetAssignmentMember/Metadata,
// ConsumerGroupCurrentMemberAssignment, keys 3 to 8); the engine writes the
// whole group as one record under key version 3, so compaction keeps its
// latest state.
const consumerGroupKeyVersion = 3

// ConsumerGroupValue is a consumer group's state as stored in __consumer_offsets.
type ConsumerGroupValue struct {
	GroupEpoch      int32                 `json:"group_epoch"`
	AssignmentEpoch int32                 `json:"assignment_epoch"`
	Assignor        string                `json:"assignor"`
	Members         []ConsumerMemberValue `json:"members"`
}

// ConsumerMemberValue is one member of a ConsumerGroupValue.
type ConsumerMemberValue struct {
	MemberID            string                 `json:"member_id"`
	InstanceID          string                 `json:"instance_id,omitempty"`
	ClientID            string                 `json:"client_id"`
	MemberEpoch         int32                  `json:"member_epoch"`
	PreviousMemberEpoch int32                  `json:"previous_member_epoch"`
	State               MemberState            `json:"state"`
	RebalanceTimeoutMs  int32                  `json:"rebalance_timeout_ms"`
	Topics              []string               `json:"subscribed_topic_names"`
	Regex               string                 `json:"subscribed_topic_regex,omitempty"`
	ServerAssignor      string                 `json:"server_assignor,omitempty"`
	Assigned            []names.TopicPartition `json:"assigned_partitions"`
	Revoking            []names.TopicPartition `json:"partitions_pending_revocation"`
	Target              []names.TopicPartition `json:"target_assignment"`
}

func consumerGroupValue(g *Group) *ConsumerGroupValue {
	cg := g.consumer
	v := &ConsumerGroupValue{GroupEpoch: cg.GroupEpoch, AssignmentEpoch: cg.AssignmentEpoch, Assignor: cg.Assignor, Members: []ConsumerMemberValue{}}
	for _, m := range cg.sortedMembers() {
		v.Members = append(v.Members, ConsumerMemberValue{MemberID: m.ID, InstanceID: m.InstanceID, ClientID: m.ClientID, MemberEpoch: m.MemberEpoch,
			PreviousMemberEpoch: m.PreviousMemberEpoch, State: m.State, RebalanceTimeoutMs: int32(m.RebalanceTimeout / time.Millisecond),
			Topics: m.Topics, Regex: m.Regex, ServerAssignor: m.ServerAssignor, Assigned: m.Assigned, Revoking: m.Revoking, Target: cg.target[m.ID]})
	}
	return v
}

// storeConsumerGroup appends the group's state; done runs once it is replicated.
func (c *Coordinator) storeConsumerGroup(g *Group, done func(code proto.ErrorCode)) {
	r := Record{Key: mustJSON(groupKey{consumerGroupKeyVersion, g.ID}), Value: mustJSON(consumerGroupValue(g))}
	c.host.Append(g.Partition, []Record{r}, done)
}

// loadConsumer rebuilds a consumer group from its record; members get a
// fresh session and keep reconciling where they were.
func (c *Coordinator) loadConsumer(g *Group, v *ConsumerGroupValue) {
	cg := newConsumerGroup()
	g.consumer = cg
	cg.GroupEpoch, cg.AssignmentEpoch, cg.Assignor = v.GroupEpoch, v.AssignmentEpoch, v.Assignor
	g.Generation = v.GroupEpoch
	for _, mv := range v.Members {
		m := &ConsumerMember{ID: mv.MemberID, InstanceID: mv.InstanceID, ClientID: mv.ClientID, MemberEpoch: mv.MemberEpoch,
			PreviousMemberEpoch: mv.PreviousMemberEpoch, State: mv.State, RebalanceTimeout: time.Duration(mv.RebalanceTimeoutMs) * time.Millisecond,
			Topics: mv.Topics, Regex: mv.Regex, ServerAssignor: mv.ServerAssignor, Assigned: mv.Assigned, Revoking: mv.Revoking}
		cg.members[m.ID] = m
		if m.InstanceID != "" {
			cg.static[m.InstanceID] = m.ID
		}
		cg.target[m.ID] = mv.Target
		cg.hold(m)
	}
	cg.counts = c.counts(c.subscribedTopics(cg))
	cg.State = cg.computeState()
	g.State, g.ProtocolType = State(cg.State), "consumer"
	for _, m := range cg.sortedMembers() {
		c.scheduleConsumerSession(g, m)
	}
}

// validateConsumerCommit is ConsumerGroup.validateOffsetCommit: a member
// commits with its current member epoch; another one is
// STALE_MEMBER_EPOCH (the member retries once its heartbeat brought the
// new epoch). Simplified: the engine also accepts the previous member
// epoch when every committed partition is still the member's, so a
// commit that races the member's own epoch bump is not refused.
func (g *Group) validateConsumerCommit(memberID string, epoch int32, tps []names.TopicPartition) proto.ErrorCode {
	m := g.consumer.members[memberID]
	switch {
	case m == nil:
		return proto.UnknownMemberID
	case epoch == m.MemberEpoch:
		return proto.None
	case epoch == m.PreviousMemberEpoch && isSubset(tps, append(append([]names.TopicPartition{}, m.Assigned...), m.Revoking...)):
		return proto.None
	}
	return proto.StaleMemberEpoch
}

// classicJoinsConsumerGroup decides a classic JoinGroup for a consumer
// group: an empty one turns back into a classic group (Kafka's offline
// downgrade); a non-empty one refuses it with GROUP_ID_NOT_FOUND ("Group
// g is not a classic group."). Simplified: Kafka 4.x lets classic members
// join a consumer group (group.consumer.migration.policy=bidirectional);
// the engine does not mix the protocols in one group.
func (c *Coordinator) classicJoinsConsumerGroup(g *Group, memberID string) bool {
	if len(g.consumer.members) > 0 {
		if memberID == "" {
			memberID = "(new)"
		}
		c.host.Emit("join_rejected", fmt.Sprintf("group %s: member %s sends a classic JoinGroup but the group is a consumer group (KIP-848) with %d members; mixing the protocols is not modelled",
			g.ID, memberID, len(g.consumer.members)), map[string]any{"group": g.ID, "error": proto.GroupIDNotFound.String()})
		return false
	}
	c.host.Emit("group_state_changed", fmt.Sprintf("group %s: the empty consumer group becomes a classic group; its committed offsets stay", g.ID),
		map[string]any{"group": g.ID, "from": string(g.consumer.State), "to": string(Empty), "generation": g.Generation, "protocol": "classic"})
	g.consumer = nil
	g.State, g.ProtocolType = Empty, ""
	c.storeGroup(g, func(proto.ErrorCode) {})
	return true
}
