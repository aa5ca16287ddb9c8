package coordinator

import (
	"fmt"
	"github.com/brokerlab/brokerlab/engine/internal/topicregex"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// MetadataHost is what a coordinator of consumer groups also needs from
// its broker: the topics and their partition counts, to resolve
// subscriptions and run the server-side assignor.
type MetadataHost interface {
	// TopicPartitions is the partition count of topic, 0 if it does not exist.
	TopicPartitions(topic string) int32
	// TopicNames lists every topic, sorted.
	TopicNames() []string
}

func (c *Coordinator) counts(topics []string) map[string]int32 {
	out := map[string]int32{}
	mh, ok := c.host.(MetadataHost)
	for _, t := range topics {
		if ok {
			if n := mh.TopicPartitions(t); n > 0 {
				out[t] = n
			}
		}
	}
	return out
}

// ConsumerGroupHeartbeat handles ConsumerGroupHeartbeat (API key 68), as
// Kafka's GroupMetadataManager.consumerGroupHeartbeat does: join (epoch 0),
// heartbeat, or leave (-1, or -2 for a static member). Each heartbeat may
// bump the group epoch (a new member, a changed subscription, a topic that
// grew), recompute the target assignment, and move this member one step
// toward its target. The answer waits until the change is stored in
// __consumer_offsets.
func (c *Coordinator) ConsumerGroupHeartbeat(req proto.ConsumerGroupHeartbeatRequest, clientID string, reply func(proto.ConsumerGroupHeartbeatResponse)) {
	fail := func(code proto.ErrorCode, msg string) {
		reply(proto.ConsumerGroupHeartbeatResponse{ErrorCode: code, ErrorMessage: msg, MemberID: req.MemberID, MemberEpoch: req.MemberEpoch})
	}
	if code, msg := c.validateConsumerHeartbeat(req); code != proto.None {
		fail(code, msg)
		return
	}
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		fail(proto.NotCoordinator, "")
		return
	}
	if req.MemberEpoch == proto.LeaveGroupMemberEpoch || req.MemberEpoch == proto.LeaveGroupStaticMemberEpoch {
		c.consumerLeave(req, reply)
		return
	}
	g := c.groups[req.GroupID]
	switch {
	case g == nil && req.MemberEpoch != proto.JoinGroupMemberEpoch:
		fail(proto.UnknownMemberID, fmt.Sprintf("group %s not found", req.GroupID))
		return
	case g == nil:
		g = c.getOrCreate(req.GroupID, p)
	}
	if g.consumer == nil {
		if len(g.members) > 0 || len(g.pending) > 0 {
			// Simplified: Kafka 4.x converts a non-empty classic group
			// online (group.consumer.migration.policy=bidirectional); the
			// engine refuses, as Kafka does with the policy disabled.
			c.host.Emit("join_rejected", fmt.Sprintf("group %s: member %s asks for the consumer protocol but the group is a classic group with %d members and %d joining (online upgrade of a non-empty group is not modelled)",
				g.ID, req.MemberID, len(g.members), len(g.pending)), map[string]any{"group": g.ID, "error": proto.GroupIDNotFound.String()})
			fail(proto.GroupIDNotFound, fmt.Sprintf("Group %s is not a consumer group.", g.ID))
			return
		}
		c.upgrade(g)
	}
	cg := g.consumer
	m := cg.members[req.MemberID]
	changed := false
	why := ""
	if req.MemberEpoch == proto.JoinGroupMemberEpoch {
		var code proto.ErrorCode
		var msg string
		m, why, code, msg = c.consumerJoin(g, req, clientID)
		if code != proto.None {
			fail(code, msg)
			return
		}
		changed = true
	} else {
		if code, msg := cg.checkStatic(req); code != proto.None {
			fail(code, msg)
			return
		}
		if m == nil {
			fail(proto.UnknownMemberID, fmt.Sprintf("member %s is not a member of group %s", req.MemberID, g.ID))
			return
		}
		owned := fromProto(req.TopicPartitions)
		if req.MemberEpoch > m.MemberEpoch || (req.MemberEpoch < m.MemberEpoch && (req.MemberEpoch != m.PreviousMemberEpoch || !isSubset(owned, m.Assigned))) {
			rel := "greater"
			if req.MemberEpoch < m.MemberEpoch {
				rel = "smaller"
			}
			msg := fmt.Sprintf("The consumer group member has a %s member epoch (%d) than the one known by the group coordinator (%d). The member must abandon all its partitions and rejoin.", rel, req.MemberEpoch, m.MemberEpoch)
			c.host.Emit("member_fenced", fmt.Sprintf("group %s: member %s is fenced: %s", g.ID, m.ID, msg),
				map[string]any{"group": g.ID, "member_id": m.ID, "member_epoch": m.MemberEpoch, "request_epoch": req.MemberEpoch, "error": proto.FencedMemberEpoch.String()})
			fail(proto.FencedMemberEpoch, msg)
			return
		}
		if w := c.updateSubscription(g, m, req); w != "" {
			why = w
		}
	}
	c.scheduleConsumerSession(g, m)
	if why != "" {
		c.bumpGroupEpoch(g, why)
		changed = true
	} else if c.metadataChanged(g) {
		c.bumpGroupEpoch(g, "the partitions of a subscribed topic changed")
		changed = true
	}
	if cg.GroupEpoch > cg.AssignmentEpoch {
		c.computeTarget(g)
		changed = true
	}
	var owned []names.TopicPartition
	if req.TopicPartitions != nil || req.MemberEpoch == proto.JoinGroupMemberEpoch {
		owned = fromProto(req.TopicPartitions)
	}
	if c.reconcileMember(g, m, owned) {
		changed = true
	}
	c.updateConsumerState(g)
	resp := func() proto.ConsumerGroupHeartbeatResponse {
		return proto.ConsumerGroupHeartbeatResponse{MemberID: m.ID, MemberEpoch: m.MemberEpoch, HeartbeatIntervalMs: int32(c.cfg.ConsumerHeartbeatInterval / time.Millisecond),
			Assignment: &proto.ConsumerGroupAssignment{TopicPartitions: toProto(m.Assigned)}}
	}
	if !changed {
		reply(resp())
		return
	}
	c.storeConsumerGroup(g, func(code proto.ErrorCode) {
		if code != proto.None {
			fail(appendError(code), "storing the group failed")
			return
		}
		reply(resp())
	})
}

// validateConsumerHeartbeat is GroupMetadataManager.throwIfConsumerGroupHeartbeatRequestIsInvalid.
func (c *Coordinator) validateConsumerHeartbeat(req proto.ConsumerGroupHeartbeatRequest) (proto.ErrorCode, string) {
	switch {
	case req.GroupID == "":
		return proto.InvalidRequest, "GroupId can't be empty."
	case req.MemberID == "":
		return proto.InvalidRequest, "MemberId can't be empty."
	case req.MemberEpoch < proto.LeaveGroupStaticMemberEpoch:
		return proto.InvalidRequest, "MemberEpoch is invalid."
	case req.MemberEpoch == proto.LeaveGroupStaticMemberEpoch && req.InstanceID == "":
		return proto.InvalidRequest, "InstanceId can't be null when MemberEpoch is -2."
	}
	if req.MemberEpoch == proto.JoinGroupMemberEpoch {
		if req.RebalanceTimeoutMs <= 0 {
			return proto.InvalidRequest, "RebalanceTimeoutMs must be provided in first request."
		}
		if len(req.SubscribedTopicNames) == 0 && req.SubscribedTopicRegex == "" {
			return proto.InvalidRequest, "SubscribedTopicNames or SubscribedTopicRegex must be set in first request."
		}
	}
	if req.SubscribedTopicRegex != "" {
		// Simplified: RE2's syntax less flags, \b and Unicode classes (topicregex).
		if _, err := topicregex.Compile(req.SubscribedTopicRegex); err != nil {
			return proto.InvalidRegularExpression, fmt.Sprintf("SubscribedTopicRegex %s is not a valid regular expression: %v", req.SubscribedTopicRegex, err)
		}
	}
	if req.ServerAssignor != "" && !contains(c.cfg.ConsumerAssignors, req.ServerAssignor) {
		return proto.UnsupportedAssignor, fmt.Sprintf("ServerAssignor %s is not supported. Supported assignors: %v.", req.ServerAssignor, c.cfg.ConsumerAssignors)
	}
	return proto.None, ""
}

// upgrade turns an empty classic group (offsets only) into a consumer group.
func (c *Coordinator) upgrade(g *Group) {
	g.consumer = newConsumerGroup()
	if g.Generation > 0 || len(g.offsets) > 0 {
		c.host.Emit("group_state_changed", fmt.Sprintf("group %s: the empty classic group becomes a consumer group (KIP-848); its committed offsets stay", g.ID),
			map[string]any{"group": g.ID, "from": string(g.State), "to": string(ConsumerEmpty), "generation": int32(0), "protocol": "consumer"})
	}
	g.State, g.Protocol, g.ProtocolType, g.Leader = State(ConsumerEmpty), "", "consumer", ""
}

// consumerJoin adds a member (epoch 0): a dynamic one under the id its
// client chose, a static one in place of the member that left with -2.
func (c *Coordinator) consumerJoin(g *Group, req proto.ConsumerGroupHeartbeatRequest, clientID string) (*ConsumerMember, string, proto.ErrorCode, string) {
	cg := g.consumer
	_, returning := cg.static[req.InstanceID]
	if old := cg.members[req.MemberID]; old != nil && (req.InstanceID == "" || !returning) {
		if old.PreviousMemberEpoch == 0 && isSubset(fromProto(req.TopicPartitions), old.Assigned) {
			// The answer to its join was lost: epoch 0 is its previous
			// epoch, so this is an ordinary heartbeat (Kafka's
			// throwIfConsumerGroupMemberEpochIsInvalid accepts it).
			return old, c.updateSubscription(g, old, req), proto.None, ""
		}
		// A known member rejoining with epoch 0 lost its partitions (it was
		// fenced): it starts over. Simplified: Kafka checks the epoch as for
		// any heartbeat, so such a member stays fenced until its session
		// times out and the coordinator removes it.
		c.removeConsumerMember(g, old, "it rejoined with member epoch 0")
	}
	m := &ConsumerMember{ID: req.MemberID, InstanceID: req.InstanceID, ClientID: clientID, State: MemberStable}
	why := fmt.Sprintf("member %s joined", m.ID)
	if req.InstanceID != "" {
		if oldID, ok := cg.static[req.InstanceID]; ok {
			old := cg.members[oldID]
			if old != nil && old.MemberEpoch != proto.LeaveGroupStaticMemberEpoch {
				msg := fmt.Sprintf("Static member %s with instance id %s cannot join the group because the instance id is owned by member %s.", req.MemberID, req.InstanceID, oldID)
				c.host.Emit("join_rejected", fmt.Sprintf("group %s: %s", g.ID, msg), map[string]any{"group": g.ID, "error": proto.UnreleasedInstanceID.String()})
				return nil, "", proto.UnreleasedInstanceID, msg
			}
			if old != nil {
				// The static member comes back: a copy of the old member
				// under the new id, at member epoch 0, takes over its
				// assignment without a rebalance (its first reconciliation
				// brings it to the target epoch).
				target := cg.target[oldID]
				delete(cg.members, oldID)
				delete(cg.target, oldID)
				cg.release(old)
				old.hbToken++
				m.State, m.RebalanceTimeout = old.State, old.RebalanceTimeout
				m.Assigned, m.Revoking = old.Assigned, old.Revoking
				cg.target[m.ID] = target
				cg.members[m.ID] = m
				cg.static[req.InstanceID] = m.ID
				cg.hold(m)
				c.updateSubscription(g, m, req)
				c.host.Emit("static_member_rejoined", fmt.Sprintf("group %s: static member %s is back as member %s with its %d partitions; no rebalance",
					g.ID, req.InstanceID, m.ID, len(m.Assigned)),
					map[string]any{"group": g.ID, "group_instance_id": req.InstanceID, "member_id": m.ID, "old_member_id": oldID})
				return m, "", proto.None, ""
			}
		}
		cg.static[req.InstanceID] = m.ID
	}
	cg.members[m.ID] = m
	c.updateSubscription(g, m, req)
	kind := "dynamic"
	if m.InstanceID != "" {
		kind = "static (" + m.InstanceID + ")"
	}
	c.host.Emit("member_joined", fmt.Sprintf("group %s: %s member %s joins with the consumer protocol (KIP-848), subscribed to %v", g.ID, kind, m.ID, c.subscription(m)),
		map[string]any{"group": g.ID, "member_id": m.ID, "group_instance_id": m.InstanceID, "client_id": clientID, "topics": c.subscription(m)})
	return m, why, proto.None, ""
}

// updateSubscription applies the request's subscription and says why the
// group epoch must bump ("" if nothing changed).
func (c *Coordinator) updateSubscription(g *Group, m *ConsumerMember, req proto.ConsumerGroupHeartbeatRequest) string {
	if req.RebalanceTimeoutMs > 0 {
		m.RebalanceTimeout = time.Duration(req.RebalanceTimeoutMs) * time.Millisecond
	}
	why := ""
	if req.SubscribedTopicNames != nil {
		t := append([]string{}, req.SubscribedTopicNames...)
		sort.Strings(t)
		if !sameStrings(t, m.Topics) {
			if m.Topics != nil || m.Regex != "" {
				why = fmt.Sprintf("member %s subscribes to %v", m.ID, t)
			}
			m.Topics = t
		}
	}
	if req.SubscribedTopicRegex != m.Regex && (req.SubscribedTopicRegex != "" || req.SubscribedTopicNames != nil) {
		if m.Topics != nil || m.Regex != "" {
			why = fmt.Sprintf("member %s subscribes to regex %q", m.ID, req.SubscribedTopicRegex)
		}
		m.Regex = req.SubscribedTopicRegex
	}
	if req.ServerAssignor != m.ServerAssignor {
		m.ServerAssignor = req.ServerAssignor
	}
	return why
}

// subscription resolves a member's topic names and regex against the
// existing topics (internal topics never match a regex).
func (c *Coordinator) subscription(m *ConsumerMember) []string {
	set := map[string]bool{}
	for _, t := range m.Topics {
		set[t] = true
	}
	if m.Regex != "" {
		if re, err := topicregex.Compile("^(?:" + m.Regex + ")$"); err == nil {
			if mh, ok := c.host.(MetadataHost); ok {
				for _, t := range mh.TopicNames() {
					if !IsInternalTopic(t) && re.MatchString(t) {
						set[t] = true
					}
				}
			}
		}
	}
	return sortedTopics(set)
}

// subscribedTopics is the union of every member's resolved subscription.
func (c *Coordinator) subscribedTopics(cg *consumerGroup) []string {
	set := map[string]bool{}
	for _, m := range cg.members {
		for _, t := range c.subscription(m) {
			set[t] = true
		}
	}
	return sortedTopics(set)
}

// metadataChanged reports whether a subscribed topic appeared, vanished or
// grew since the last target assignment.
func (c *Coordinator) metadataChanged(g *Group) bool {
	cg := g.consumer
	now := c.counts(c.subscribedTopics(cg))
	if len(now) != len(cg.counts) {
		return true
	}
	for t, n := range now {
		if cg.counts[t] != n {
			return true
		}
	}
	return false
}

func (c *Coordinator) bumpGroupEpoch(g *Group, why string) {
	cg := g.consumer
	cg.GroupEpoch++
	g.Generation = cg.GroupEpoch // what a downgrade to a classic group continues from
	c.host.Emit("group_epoch_bumped", fmt.Sprintf("group %s: group epoch %d: %s", g.ID, cg.GroupEpoch, why),
		map[string]any{"group": g.ID, "group_epoch": cg.GroupEpoch, "reason": why})
}

// computeTarget runs the server-side assignor over every member and makes
// the result the target assignment of the group epoch.
func (c *Coordinator) computeTarget(g *Group) {
	cg := g.consumer
	assignor := c.defaultAssignor()
	for _, m := range cg.sortedMembers() {
		if m.ServerAssignor != "" {
			assignor = m.ServerAssignor // Kafka: the most used one; here the first member's in id order
			break
		}
	}
	var specs []assignSpec
	for _, m := range cg.sortedMembers() {
		specs = append(specs, assignSpec{ID: m.ID, Topics: c.subscription(m), Current: cg.target[m.ID]})
	}
	cg.counts = c.counts(c.subscribedTopics(cg))
	cg.target = serverAssign(assignor, specs, cg.counts)
	cg.AssignmentEpoch = cg.GroupEpoch
	cg.Assignor = assignor
	show := map[string][]string{}
	for id, tps := range cg.target {
		show[id] = tpStrings(tps)
	}
	c.host.Emit("target_assignment_computed", fmt.Sprintf("group %s: the coordinator computed the target assignment of epoch %d for %d members with the %s assignor",
		g.ID, cg.AssignmentEpoch, len(cg.members), assignor),
		map[string]any{"group": g.ID, "assignment_epoch": cg.AssignmentEpoch, "assignor": assignor, "assignment": show})
}

func (c *Coordinator) defaultAssignor() string {
	if len(c.cfg.ConsumerAssignors) > 0 {
		return c.cfg.ConsumerAssignors[0]
	}
	return UniformAssignor
}

// reconcileMember runs the reconciliation of m and reports a change.
func (c *Coordinator) reconcileMember(g *Group, m *ConsumerMember, owned []names.TopicPartition) bool {
	cg := g.consumer
	wasRevoking := m.State == MemberUnrevokedPartitions
	if !cg.reconcile(m, owned) {
		return false
	}
	if m.State == MemberUnrevokedPartitions && !wasRevoking {
		c.scheduleRevocationTimeout(g, m)
	}
	c.host.Emit("member_reconciled", fmt.Sprintf("group %s: member %s is %s at member epoch %d (target epoch %d): assigned %v, to revoke %v",
		g.ID, m.ID, m.State, m.MemberEpoch, cg.AssignmentEpoch, tpStrings(m.Assigned), tpStrings(m.Revoking)),
		map[string]any{"group": g.ID, "member_id": m.ID, "member_epoch": m.MemberEpoch, "state": string(m.State),
			"assigned": tpStrings(m.Assigned), "revoking": tpStrings(m.Revoking)})
	return true
}

// sortedTopics lists a set of topic names in order.
func sortedTopics(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
