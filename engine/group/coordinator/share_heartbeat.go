package coordinator

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// ShareGroupHeartbeat handles ShareGroupHeartbeat (API key 76, KIP-932) as
// GroupMetadataManager.shareGroupHeartbeat does: a member joins with
// epoch 0 under the id its client made, heartbeats with the epoch it was
// given, and leaves with -1. A new member, a changed subscription or a
// grown topic bumps the group epoch and the SimpleAssignor runs again;
// every member is at the group epoch at once (nothing to revoke first).
func (c *Coordinator) ShareGroupHeartbeat(req proto.ShareGroupHeartbeatRequest, clientID string, reply func(proto.ShareGroupHeartbeatResponse)) {
	fail := func(code proto.ErrorCode, msg string) {
		reply(proto.ShareGroupHeartbeatResponse{ErrorCode: code, ErrorMessage: msg, MemberID: req.MemberID, MemberEpoch: req.MemberEpoch})
	}
	switch {
	case req.GroupID == "":
		fail(proto.InvalidRequest, "GroupId can't be empty.")
		return
	case req.MemberID == "":
		fail(proto.InvalidRequest, "MemberId can't be empty.")
		return
	case req.MemberEpoch < proto.LeaveGroupMemberEpoch:
		fail(proto.InvalidRequest, "MemberEpoch is invalid.")
		return
	case req.MemberEpoch == proto.JoinGroupMemberEpoch && len(req.SubscribedTopicNames) == 0:
		fail(proto.InvalidRequest, "SubscribedTopicNames must be set in first request.")
		return
	}
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		fail(proto.NotCoordinator, "")
		return
	}
	g := c.groups[req.GroupID]
	if req.MemberEpoch == proto.LeaveGroupMemberEpoch {
		if g != nil && g.share != nil {
			if m := g.share.members[req.MemberID]; m != nil {
				c.removeShareMember(g, m, "it left the group (member epoch -1)")
			}
		}
		reply(proto.ShareGroupHeartbeatResponse{MemberID: req.MemberID, MemberEpoch: proto.LeaveGroupMemberEpoch})
		return
	}
	if g == nil {
		if req.MemberEpoch != proto.JoinGroupMemberEpoch {
			fail(proto.UnknownMemberID, fmt.Sprintf("group %s not found", req.GroupID))
			return
		}
		g = c.getOrCreate(req.GroupID, p)
	}
	if g.share == nil {
		if len(g.members) > 0 || len(g.pending) > 0 || (g.consumer != nil && len(g.consumer.members) > 0) || g.Generation > 0 || len(g.offsets) > 0 {
			c.host.Emit("join_rejected", fmt.Sprintf("group %s: member %s asks to join a share group but %s is a consumer group", g.ID, req.MemberID, g.ID),
				map[string]any{"group": g.ID, "error": proto.GroupIDNotFound.String()})
			fail(proto.GroupIDNotFound, fmt.Sprintf("Group %s is not a share group.", g.ID))
			return
		}
		g.share = newShareGroup()
		g.State, g.ProtocolType, g.Protocol, g.Leader = State(ShareEmpty), "share", "", ""
	}
	sg := g.share
	m := sg.members[req.MemberID]
	why := ""
	if req.MemberEpoch == proto.JoinGroupMemberEpoch {
		if m == nil {
			m = &ShareMember{ID: req.MemberID, ClientID: clientID, RackID: req.RackID}
			sg.members[m.ID] = m
			c.host.Emit("member_joined", fmt.Sprintf("share group %s: member %s joins, subscribed to %v", g.ID, m.ID, req.SubscribedTopicNames),
				map[string]any{"group": g.ID, "member_id": m.ID, "group_instance_id": "", "client_id": clientID, "topics": req.SubscribedTopicNames})
			why = fmt.Sprintf("member %s joined", m.ID)
		}
	} else {
		if m == nil {
			fail(proto.UnknownMemberID, fmt.Sprintf("member %s is not a member of share group %s", req.MemberID, g.ID))
			return
		}
		if req.MemberEpoch != m.MemberEpoch {
			msg := fmt.Sprintf("The share group member has a member epoch (%d) other than the one known by the group coordinator (%d).", req.MemberEpoch, m.MemberEpoch)
			c.host.Emit("member_fenced", fmt.Sprintf("share group %s: member %s is fenced: %s", g.ID, m.ID, msg),
				map[string]any{"group": g.ID, "member_id": m.ID, "member_epoch": m.MemberEpoch, "request_epoch": req.MemberEpoch, "error": proto.FencedMemberEpoch.String()})
			fail(proto.FencedMemberEpoch, msg)
			return
		}
	}
	topics := append([]string(nil), req.SubscribedTopicNames...)
	sort.Strings(topics)
	if len(topics) > 0 && !slices.Equal(topics, m.Topics) {
		if why == "" {
			why = fmt.Sprintf("member %s subscribes to %v", m.ID, topics)
		}
		m.Topics = topics
	}
	c.scheduleShareSession(g, m)
	if why == "" && c.shareMetadataChanged(g) {
		why = "the partitions of a subscribed topic changed"
	}
	if why != "" {
		c.bumpShareEpoch(g, why)
	}
	m.MemberEpoch, m.Assigned = sg.AssignmentEpoch, sg.target[m.ID]
	reply(proto.ShareGroupHeartbeatResponse{MemberID: m.ID, MemberEpoch: m.MemberEpoch, HeartbeatIntervalMs: int32(c.cfg.ShareHeartbeatInterval / time.Millisecond),
		Assignment: &proto.ConsumerGroupAssignment{TopicPartitions: toProto(m.Assigned)}})
}

// shareMetadataChanged reports whether a subscribed topic's partition
// count differs from what the last assignment saw, or the topic is gone.
func (c *Coordinator) shareMetadataChanged(g *Group) bool {
	counts := c.counts(g.share.subscribed())
	seen := map[string]int32{}
	for _, tps := range g.share.target {
		for _, tp := range tps {
			seen[tp.Topic] = max(seen[tp.Topic], tp.Partition+1)
		}
	}
	for t, n := range counts {
		if seen[t] != n {
			return true
		}
	}
	for t := range seen {
		if counts[t] == 0 {
			return true // the topic was deleted
		}
	}
	return false
}
