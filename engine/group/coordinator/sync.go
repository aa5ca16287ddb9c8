package coordinator

import (
	"time"

	"fmt"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// SyncGroup handles SyncGroup (API key 14): members wait for the leader's
// assignment; the coordinator stores it in __consumer_offsets, and only
// once that append is replicated does the group become Stable and every
// member learn its partitions.
func (c *Coordinator) SyncGroup(req proto.SyncGroupRequest, reply func(proto.SyncGroupResponse)) {
	fail := func(code proto.ErrorCode) { reply(proto.SyncGroupResponse{ErrorCode: code}) }
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		fail(proto.NotCoordinator)
		return
	}
	g := c.groups[req.GroupID]
	if g == nil {
		fail(proto.UnknownMemberID)
		return
	}
	if code := g.validateMember(req.MemberID, req.GroupInstanceID, req.GenerationID); code != proto.None {
		fail(code)
		return
	}
	m := g.members[req.MemberID]
	switch g.State {
	case Empty, Dead:
		fail(proto.UnknownMemberID)
	case PreparingRebalance:
		fail(proto.RebalanceInProgress)
	case Stable:
		c.scheduleSession(g, m)
		reply(proto.SyncGroupResponse{ProtocolType: g.ProtocolType, ProtocolName: g.Protocol, Assignment: m.Assignment})
	case CompletingRebalance:
		m.syncReply = reply
		if m.ID != g.Leader {
			return
		}
		assigned := map[string][]proto.TopicPartitions{}
		for _, a := range req.Assignments {
			assigned[a.MemberID] = a.Assignment
		}
		gen := g.Generation
		next := map[string][]proto.TopicPartitions{}
		for _, o := range g.Members() {
			next[o.ID] = assigned[o.ID]
		}
		// Store the group as it will be, then apply on success.
		saved := map[string][]proto.TopicPartitions{}
		for id, o := range g.members {
			saved[id] = o.Assignment
			o.Assignment = next[id]
		}
		v := groupValue(g)
		for id, o := range g.members {
			o.Assignment = saved[id]
		}
		c.host.Append(g.Partition, []Record{groupRecord(g.ID, v)}, func(code proto.ErrorCode) {
			if !c.current(g) || g.Generation != gen || g.State != CompletingRebalance {
				return
			}
			if code != proto.None {
				for _, o := range g.Members() {
					if o.syncReply != nil {
						o.syncReply(proto.SyncGroupResponse{ErrorCode: appendError(code)})
						o.syncReply = nil
					}
				}
				c.prepareRebalance(g, fmt.Sprintf("storing the assignment failed with %s", code))
				return
			}
			c.completeSync(g, next)
		})
	}
}

// completeSync makes the group Stable and hands every waiting member its partitions.
func (c *Coordinator) completeSync(g *Group, next map[string][]proto.TopicPartitions) {
	g.State = Stable
	g.syncToken++
	took := c.host.Now() - g.rebalanceStart
	assignment := map[string][]string{}
	for _, m := range g.Members() {
		m.Assignment = next[m.ID]
		var names []string
		for _, tp := range fromProto(m.Assignment) {
			names = append(names, tp.String())
		}
		if names == nil {
			names = []string{}
		}
		assignment[m.ID] = names
		if m.syncReply != nil {
			r := m.syncReply
			m.syncReply = nil
			r(proto.SyncGroupResponse{ProtocolType: g.ProtocolType, ProtocolName: g.Protocol, Assignment: m.Assignment})
		}
		c.scheduleSession(g, m)
	}
	c.host.Emit("group_state_changed", fmt.Sprintf("group %s is Stable in generation %d: the rebalance took %v", g.ID, g.Generation, took.Round(time.Millisecond)),
		map[string]any{"group": g.ID, "from": string(CompletingRebalance), "to": string(Stable), "generation": g.Generation,
			"protocol": g.Protocol, "leader": g.Leader, "assignment": assignment, "rebalance_ms": took.Milliseconds()})
}

// validateMember applies the checks every member request shares.
func (g *Group) validateMember(memberID, instanceID string, generation int32) proto.ErrorCode {
	if g.State == Dead {
		return proto.CoordinatorNotAvailable
	}
	if instanceID != "" {
		if id, ok := g.static[instanceID]; ok && id != memberID {
			return proto.FencedInstanceID
		}
	}
	if g.members[memberID] == nil {
		return proto.UnknownMemberID
	}
	if generation != g.Generation {
		return proto.IllegalGeneration
	}
	return proto.None
}
