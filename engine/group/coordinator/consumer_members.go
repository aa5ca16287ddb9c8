package coordinator

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// The lifetime of consumer group members: sessions, the revocation
// deadline, fencing, leaving, and the static member checks.

// updateConsumerState recomputes the group's state and reports a change.
func (c *Coordinator) updateConsumerState(g *Group) {
	cg := g.consumer
	next := cg.computeState()
	if next == cg.State {
		return
	}
	from := cg.State
	cg.State = next
	g.State = State(next)
	c.host.Emit("group_state_changed", fmt.Sprintf("group %s is %s (group epoch %d, target assignment epoch %d)", g.ID, next, cg.GroupEpoch, cg.AssignmentEpoch),
		map[string]any{"group": g.ID, "from": string(from), "to": string(next), "generation": cg.GroupEpoch, "protocol": "consumer"})
}

// scheduleConsumerSession (re)starts group.consumer.session.timeout.ms.
func (c *Coordinator) scheduleConsumerSession(g *Group, m *ConsumerMember) {
	m.hbToken++
	tok := m.hbToken
	d := c.cfg.ConsumerSessionTimeout
	m.deadline = c.host.Now() + d
	c.host.After(d, func() {
		if !c.current(g) || g.consumer == nil || g.consumer.members[m.ID] != m || m.hbToken != tok {
			return
		}
		c.fenceConsumerMember(g, m, fmt.Sprintf("no heartbeat within group.consumer.session.timeout.ms=%d", d.Milliseconds()))
	})
}

// scheduleRevocationTimeout fences a member that does not revoke within
// its rebalance timeout (max.poll.interval.ms).
func (c *Coordinator) scheduleRevocationTimeout(g *Group, m *ConsumerMember) {
	m.revokeToken++
	tok := m.revokeToken
	c.host.After(m.RebalanceTimeout, func() {
		if !c.current(g) || g.consumer == nil || g.consumer.members[m.ID] != m || m.revokeToken != tok || m.State != MemberUnrevokedPartitions {
			return
		}
		c.fenceConsumerMember(g, m, fmt.Sprintf("it did not revoke %v within its rebalance timeout (max.poll.interval.ms=%d)", tpStrings(m.Revoking), m.RebalanceTimeout.Milliseconds()))
	})
}

// fenceConsumerMember removes a member the coordinator gave up on: its
// partitions are free for the others at once.
func (c *Coordinator) fenceConsumerMember(g *Group, m *ConsumerMember, why string) {
	c.removeConsumerMember(g, m, why)
	c.bumpGroupEpoch(g, fmt.Sprintf("member %s was fenced", m.ID))
	c.computeTarget(g)
	c.updateConsumerState(g)
	c.storeConsumerGroup(g, func(proto.ErrorCode) {})
}

func (c *Coordinator) removeConsumerMember(g *Group, m *ConsumerMember, why string) {
	cg := g.consumer
	delete(cg.members, m.ID)
	delete(cg.target, m.ID)
	if m.InstanceID != "" && cg.static[m.InstanceID] == m.ID {
		delete(cg.static, m.InstanceID)
	}
	cg.release(m)
	m.hbToken++
	m.revokeToken++
	c.host.Emit("member_removed", fmt.Sprintf("group %s: member %s is removed: %s", g.ID, m.ID, why),
		map[string]any{"group": g.ID, "member_id": m.ID, "group_instance_id": m.InstanceID, "reason": why})
}

// consumerLeave handles a heartbeat with member epoch -1 (leave) or -2
// (a static member that will come back: it keeps its place and partitions
// until group.consumer.session.timeout.ms).
func (c *Coordinator) consumerLeave(req proto.ConsumerGroupHeartbeatRequest, reply func(proto.ConsumerGroupHeartbeatResponse)) {
	g := c.groups[req.GroupID]
	var m *ConsumerMember
	if g != nil && g.consumer != nil {
		m = g.consumer.members[req.MemberID]
		if m == nil && req.InstanceID != "" {
			m = g.consumer.members[g.consumer.static[req.InstanceID]]
		}
	}
	if g != nil && g.consumer != nil {
		if code, msg := g.consumer.checkStatic(req); code != proto.None {
			reply(proto.ConsumerGroupHeartbeatResponse{ErrorCode: code, ErrorMessage: msg, MemberID: req.MemberID, MemberEpoch: req.MemberEpoch})
			return
		}
	}
	if m == nil {
		reply(proto.ConsumerGroupHeartbeatResponse{ErrorCode: proto.UnknownMemberID, MemberID: req.MemberID, MemberEpoch: req.MemberEpoch})
		return
	}
	if req.MemberEpoch == proto.LeaveGroupStaticMemberEpoch {
		setEpoch(m, proto.LeaveGroupStaticMemberEpoch)
		c.host.Emit("member_left", fmt.Sprintf("group %s: static member %s (%s) leaves for now; it keeps its partitions %v until group.consumer.session.timeout.ms=%d",
			g.ID, m.ID, m.InstanceID, tpStrings(m.Assigned), c.cfg.ConsumerSessionTimeout.Milliseconds()),
			map[string]any{"group": g.ID, "member_id": m.ID, "group_instance_id": m.InstanceID, "member_epoch": m.MemberEpoch})
		c.scheduleConsumerSession(g, m)
	} else {
		c.removeConsumerMember(g, m, "it left the group")
		c.bumpGroupEpoch(g, fmt.Sprintf("member %s left", m.ID))
		c.computeTarget(g)
		c.updateConsumerState(g)
	}
	c.storeConsumerGroup(g, func(code proto.ErrorCode) {
		reply(proto.ConsumerGroupHeartbeatResponse{ErrorCode: appendError(code), MemberID: req.MemberID, MemberEpoch: req.MemberEpoch})
	})
}

// checkStatic is throwIfStaticMemberIsUnknown and throwIfInstanceIdIsFenced
// for a heartbeat or leave (not a join) that names a group.instance.id.
func (cg *consumerGroup) checkStatic(req proto.ConsumerGroupHeartbeatRequest) (proto.ErrorCode, string) {
	if req.InstanceID == "" {
		return proto.None, ""
	}
	id, ok := cg.static[req.InstanceID]
	switch {
	case !ok:
		return proto.UnknownMemberID, fmt.Sprintf("Instance id %s is unknown.", req.InstanceID)
	case id != req.MemberID:
		return proto.FencedInstanceID, fmt.Sprintf("Static member %s with instance id %s was fenced by member %s.", req.MemberID, req.InstanceID, id)
	}
	return proto.None, ""
}
