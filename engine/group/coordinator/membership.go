package coordinator

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// Heartbeat handles Heartbeat (API key 12): it extends the member's session
// and tells it whether the group is rebalancing.
func (c *Coordinator) Heartbeat(req proto.HeartbeatRequest, reply func(proto.HeartbeatResponse)) {
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		reply(proto.HeartbeatResponse{ErrorCode: proto.NotCoordinator})
		return
	}
	g := c.groups[req.GroupID]
	if g == nil {
		reply(proto.HeartbeatResponse{ErrorCode: proto.UnknownMemberID})
		return
	}
	if code := g.validateMember(req.MemberID, req.GroupInstanceID, req.GenerationID); code != proto.None {
		reply(proto.HeartbeatResponse{ErrorCode: code})
		return
	}
	m := g.members[req.MemberID]
	switch g.State {
	case Empty:
		reply(proto.HeartbeatResponse{ErrorCode: proto.UnknownMemberID})
	case PreparingRebalance:
		c.scheduleSession(g, m)
		reply(proto.HeartbeatResponse{ErrorCode: proto.RebalanceInProgress})
	default:
		c.scheduleSession(g, m)
		reply(proto.HeartbeatResponse{})
	}
}

// scheduleSession (re)starts the member's session.timeout.ms.
func (c *Coordinator) scheduleSession(g *Group, m *Member) {
	m.hbToken++
	tok := m.hbToken
	m.deadline = c.host.Now() + m.SessionTimeout
	c.host.After(m.SessionTimeout, func() { c.sessionExpired(g, m, tok) })
}

func (c *Coordinator) sessionExpired(g *Group, m *Member, tok int) {
	if !c.current(g) || g.members[m.ID] != m || m.hbToken != tok {
		return
	}
	if m.awaiting() {
		c.scheduleSession(g, m) // a member parked in JoinGroup or SyncGroup is alive
		return
	}
	c.removeMember(g, m, fmt.Sprintf("no heartbeat within session.timeout.ms=%d", m.SessionTimeout.Milliseconds()))
	c.membershipChanged(g, fmt.Sprintf("member %s's session timed out", m.ID))
}

func (c *Coordinator) schedulePending(g *Group, id string, session time.Duration) {
	c.host.After(session, func() {
		if !c.current(g) {
			return
		}
		if _, ok := g.pending[id]; ok {
			delete(g.pending, id)
			c.maybeCompleteJoin(g)
		}
	})
}

// membershipChanged reacts to a member leaving or expiring.
func (c *Coordinator) membershipChanged(g *Group, reason string) {
	switch g.State {
	case Stable, CompletingRebalance:
		c.prepareRebalance(g, reason)
	case PreparingRebalance:
		c.maybeCompleteJoin(g)
	}
}

func (c *Coordinator) removeMember(g *Group, m *Member, why string) {
	delete(g.members, m.ID)
	if m.InstanceID != "" && g.static[m.InstanceID] == m.ID {
		delete(g.static, m.InstanceID)
	}
	m.hbToken++
	if m.joinReply != nil {
		m.joinReply(proto.JoinGroupResponse{ErrorCode: proto.UnknownMemberID, GenerationID: -1, MemberID: m.ID})
		m.joinReply = nil
	}
	if m.syncReply != nil {
		m.syncReply(proto.SyncGroupResponse{ErrorCode: proto.UnknownMemberID})
		m.syncReply = nil
	}
	if g.Leader == m.ID {
		g.Leader = ""
		if ms := g.Members(); len(ms) > 0 {
			g.Leader = ms[0].ID
		}
	}
	c.host.Emit("member_removed", fmt.Sprintf("group %s: member %s is removed: %s", g.ID, m.ID, why),
		map[string]any{"group": g.ID, "member_id": m.ID, "group_instance_id": m.InstanceID, "reason": why})
}

// LeaveGroup handles LeaveGroup (API key 13): leaving members are removed at
// once, so the group rebalances without waiting for their session timeout.
func (c *Coordinator) LeaveGroup(req proto.LeaveGroupRequest, reply func(proto.LeaveGroupResponse)) {
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		reply(proto.LeaveGroupResponse{ErrorCode: proto.NotCoordinator})
		return
	}
	g := c.groups[req.GroupID]
	if g == nil {
		reply(proto.LeaveGroupResponse{ErrorCode: proto.UnknownMemberID})
		return
	}
	var resp proto.LeaveGroupResponse
	left := 0
	for _, who := range req.Members {
		mr := proto.MemberResponse{MemberID: who.MemberID, GroupInstanceID: who.GroupInstanceID}
		id := who.MemberID
		if who.GroupInstanceID != "" {
			sid, ok := g.static[who.GroupInstanceID]
			switch {
			case !ok:
				mr.ErrorCode = proto.UnknownMemberID
			case id != "" && sid != id:
				mr.ErrorCode = proto.FencedInstanceID
			}
			id = sid
		}
		if _, ok := g.pending[id]; ok && mr.ErrorCode == proto.None {
			delete(g.pending, id)
			resp.Members = append(resp.Members, mr)
			continue
		}
		m := g.members[id]
		if m == nil && mr.ErrorCode == proto.None {
			mr.ErrorCode = proto.UnknownMemberID
		}
		if mr.ErrorCode == proto.None {
			why := "it left the group"
			if who.Reason != "" {
				why += " (" + who.Reason + ")"
			}
			c.removeMember(g, m, why)
			left++
		}
		resp.Members = append(resp.Members, mr)
	}
	if left > 0 {
		c.membershipChanged(g, fmt.Sprintf("%d member(s) left", left))
	} else if g.State == PreparingRebalance {
		c.maybeCompleteJoin(g)
	}
	reply(resp)
}
