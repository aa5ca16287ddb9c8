package coordinator

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// JoinGroup handles JoinGroup (API key 11) like Kafka's classic
// GroupCoordinator: a first join without member id gets MEMBER_ID_REQUIRED
// and a fresh id (KIP-394); a static member (group.instance.id) that comes
// back takes over its old member id's place without a rebalance when
// nothing changed (KIP-345); any other join moves the group to
// PreparingRebalance and the answer waits until every member rejoined or
// the rebalance timeout (the largest max.poll.interval.ms) passed.
func (c *Coordinator) JoinGroup(req proto.JoinGroupRequest, clientID string, reply func(proto.JoinGroupResponse)) {
	fail := func(code proto.ErrorCode) {
		reply(proto.JoinGroupResponse{ErrorCode: code, GenerationID: -1, MemberID: req.MemberID})
	}
	if req.GroupID == "" {
		fail(proto.InvalidGroupID)
		return
	}
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		fail(proto.NotCoordinator)
		return
	}
	session := time.Duration(req.SessionTimeoutMs) * time.Millisecond
	if session < c.cfg.MinSessionTimeout || session > c.cfg.MaxSessionTimeout {
		c.host.Emit("join_rejected", fmt.Sprintf("group %s: session.timeout.ms=%d is outside group.min.session.timeout.ms=%d … group.max.session.timeout.ms=%d",
			req.GroupID, req.SessionTimeoutMs, c.cfg.MinSessionTimeout.Milliseconds(), c.cfg.MaxSessionTimeout.Milliseconds()),
			map[string]any{"group": req.GroupID, "error": proto.InvalidSessionTimeout.String()})
		fail(proto.InvalidSessionTimeout)
		return
	}
	if req.ProtocolType == "" || len(req.Protocols) == 0 {
		fail(proto.InconsistentGroupProtocol)
		return
	}
	g := c.groups[req.GroupID]
	if g == nil && req.MemberID != "" && req.GroupInstanceID == "" {
		fail(proto.UnknownMemberID)
		return
	}
	g = c.getOrCreate(req.GroupID, p)
	if g.consumer != nil && !c.classicJoinsConsumerGroup(g, req.MemberID) {
		reply(proto.JoinGroupResponse{ErrorCode: proto.GroupIDNotFound, GenerationID: -1, MemberID: req.MemberID})
		return
	}
	if !g.supports(req) {
		fail(proto.InconsistentGroupProtocol)
		return
	}
	if req.MemberID == "" {
		c.joinUnknown(g, req, clientID, reply)
		return
	}
	c.joinKnown(g, req, clientID, reply)
}

// supports reports whether a joining member can share a protocol with the group.
func (g *Group) supports(req proto.JoinGroupRequest) bool {
	if len(g.members) == 0 {
		return true
	}
	if g.ProtocolType != "" && g.ProtocolType != req.ProtocolType {
		return false
	}
	for _, p := range req.Protocols {
		all := true
		for _, m := range g.members {
			if m.ID == req.MemberID {
				continue
			}
			all = all && hasProtocol(m.Protocols, p.Name)
		}
		if all {
			return true
		}
	}
	return false
}

func hasProtocol(ps []proto.JoinGroupProtocol, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}

func (c *Coordinator) joinUnknown(g *Group, req proto.JoinGroupRequest, clientID string, reply func(proto.JoinGroupResponse)) {
	newID := fmt.Sprintf("%s-%08x", clientID, uint32(c.rand()))
	if req.GroupInstanceID == "" {
		// KIP-394: hand out the id first; the member rejoins with it.
		g.pending[newID] = c.host.Now()
		c.schedulePending(g, newID, time.Duration(req.SessionTimeoutMs)*time.Millisecond)
		reply(proto.JoinGroupResponse{ErrorCode: proto.MemberIDRequired, GenerationID: -1, MemberID: newID})
		return
	}
	old, known := g.static[req.GroupInstanceID]
	if !known {
		c.addMember(g, newID, req, clientID, reply)
		return
	}
	c.replaceStatic(g, old, newID, req, clientID, reply)
}

// replaceStatic lets a static member that restarted take over its place:
// the old member id is fenced (FENCED_INSTANCE_ID), the assignment stays.
func (c *Coordinator) replaceStatic(g *Group, oldID, newID string, req proto.JoinGroupRequest, clientID string, reply func(proto.JoinGroupResponse)) {
	m := g.members[oldID]
	if m.joinReply != nil {
		m.joinReply(proto.JoinGroupResponse{ErrorCode: proto.FencedInstanceID, GenerationID: -1, MemberID: oldID})
		m.joinReply = nil
	}
	if m.syncReply != nil {
		m.syncReply(proto.SyncGroupResponse{ErrorCode: proto.FencedInstanceID})
		m.syncReply = nil
	}
	delete(g.members, oldID)
	m.ID, m.ClientID = newID, clientID
	g.members[newID] = m
	g.static[req.GroupInstanceID] = newID
	if g.Leader == oldID {
		g.Leader = newID
	}
	c.host.Emit("static_member_rejoined", fmt.Sprintf("group %s: static member %s is back as member %s; its old member id %s is fenced",
		g.ID, req.GroupInstanceID, newID, oldID), map[string]any{"group": g.ID, "group_instance_id": req.GroupInstanceID, "member_id": newID, "old_member_id": oldID})
	c.scheduleSession(g, m)
	if g.State == Stable && sameProtocols(m.Protocols, req.Protocols) {
		// No rebalance: persist the new member id, then answer with the
		// current generation (the leader keeps the current assignment).
		m.SessionTimeout, m.RebalanceTimeout = time.Duration(req.SessionTimeoutMs)*time.Millisecond, time.Duration(req.RebalanceTimeoutMs)*time.Millisecond
		gen := g.Generation
		c.storeGroup(g, func(code proto.ErrorCode) {
			if !c.current(g) || g.members[newID] != m {
				reply(proto.JoinGroupResponse{ErrorCode: proto.NotCoordinator, GenerationID: -1, MemberID: newID})
				return
			}
			if code != proto.None || g.Generation != gen {
				reply(proto.JoinGroupResponse{ErrorCode: appendErrorOr(code, proto.RebalanceInProgress), GenerationID: -1, MemberID: newID})
				return
			}
			resp := proto.JoinGroupResponse{GenerationID: g.Generation, ProtocolType: g.ProtocolType, ProtocolName: g.Protocol, Leader: g.Leader, MemberID: newID}
			if g.Leader == newID {
				resp.SkipAssignment = true
				resp.Members = g.joinMembers()
			}
			reply(resp)
		})
		return
	}
	c.updateMember(g, m, req, reply)
	switch g.State {
	case PreparingRebalance:
		c.maybeCompleteJoin(g)
	default:
		c.prepareRebalance(g, fmt.Sprintf("static member %s rejoined with new metadata", req.GroupInstanceID))
	}
}

func appendErrorOr(code, otherwise proto.ErrorCode) proto.ErrorCode {
	if code != proto.None {
		return appendError(code)
	}
	return otherwise
}

func (c *Coordinator) joinKnown(g *Group, req proto.JoinGroupRequest, clientID string, reply func(proto.JoinGroupResponse)) {
	fail := func(code proto.ErrorCode) {
		reply(proto.JoinGroupResponse{ErrorCode: code, GenerationID: -1, MemberID: req.MemberID})
	}
	if _, ok := g.pending[req.MemberID]; ok {
		delete(g.pending, req.MemberID)
		c.addMember(g, req.MemberID, req, clientID, reply)
		return
	}
	if req.GroupInstanceID != "" {
		if id, ok := g.static[req.GroupInstanceID]; ok && id != req.MemberID {
			fail(proto.FencedInstanceID)
			return
		}
	}
	m := g.members[req.MemberID]
	if m == nil || g.State == Dead || g.State == Empty {
		fail(proto.UnknownMemberID)
		return
	}
	switch g.State {
	case PreparingRebalance:
		c.updateMember(g, m, req, reply)
		c.maybeCompleteJoin(g)
	case CompletingRebalance:
		if sameProtocols(m.Protocols, req.Protocols) {
			// Its JoinGroup answer was lost: answer again.
			reply(g.joinResponse(m))
			return
		}
		c.updateMember(g, m, req, reply)
		c.prepareRebalance(g, fmt.Sprintf("member %s rejoined with new metadata", m.ID))
	case Stable:
		if m.ID != g.Leader && sameProtocols(m.Protocols, req.Protocols) {
			reply(g.joinResponse(m))
			return
		}
		why := fmt.Sprintf("member %s updated its subscription", m.ID)
		if m.ID == g.Leader && sameProtocols(m.Protocols, req.Protocols) {
			why = fmt.Sprintf("the leader %s rejoined", m.ID)
		}
		if strings.TrimSpace(req.Reason) != "" {
			why += " (" + req.Reason + ")"
		}
		c.updateMember(g, m, req, reply)
		c.prepareRebalance(g, why)
	}
}

func (c *Coordinator) addMember(g *Group, id string, req proto.JoinGroupRequest, clientID string, reply func(proto.JoinGroupResponse)) {
	m := &Member{ID: id, InstanceID: req.GroupInstanceID, ClientID: clientID}
	g.members[id] = m
	if m.InstanceID != "" {
		g.static[m.InstanceID] = id
	}
	if g.Leader == "" {
		g.Leader = id
	}
	c.updateMember(g, m, req, reply)
	kind := "dynamic"
	if m.InstanceID != "" {
		kind = "static (" + m.InstanceID + ")"
	}
	c.host.Emit("member_joined", fmt.Sprintf("group %s: %s member %s joins", g.ID, kind, id),
		map[string]any{"group": g.ID, "member_id": id, "group_instance_id": m.InstanceID, "client_id": clientID, "topics": m.Topics()})
	if g.State == PreparingRebalance {
		g.newMemberJoined = true
		c.maybeCompleteJoin(g)
		return
	}
	c.prepareRebalance(g, fmt.Sprintf("member %s joined", id))
}

func (c *Coordinator) updateMember(g *Group, m *Member, req proto.JoinGroupRequest, reply func(proto.JoinGroupResponse)) {
	m.SessionTimeout = time.Duration(req.SessionTimeoutMs) * time.Millisecond
	m.RebalanceTimeout = time.Duration(req.RebalanceTimeoutMs) * time.Millisecond
	m.ProtocolType = req.ProtocolType
	m.Protocols = append([]proto.JoinGroupProtocol(nil), req.Protocols...)
	if m.joinReply != nil {
		// A second JoinGroup replaces the first; the first hears nothing more useful.
		m.joinReply(proto.JoinGroupResponse{ErrorCode: proto.RebalanceInProgress, GenerationID: -1, MemberID: m.ID})
	}
	m.joinReply = reply
}

func sameProtocols(a, b []proto.JoinGroupProtocol) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !sameStrings(a[i].Metadata.Topics, b[i].Metadata.Topics) {
			return false
		}
	}
	return true
}

func sameStrings(a, b []string) bool {
	x, y := append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func (g *Group) anyMember() *Member { return g.Members()[0] }

func (g *Group) joinMembers() []proto.JoinGroupMember {
	var out []proto.JoinGroupMember
	for _, o := range g.Members() {
		out = append(out, proto.JoinGroupMember{MemberID: o.ID, GroupInstanceID: o.InstanceID, Metadata: o.metadataFor(g.Protocol)})
	}
	return out
}

func (g *Group) joinResponse(m *Member) proto.JoinGroupResponse {
	resp := proto.JoinGroupResponse{GenerationID: g.Generation, ProtocolType: g.ProtocolType, ProtocolName: g.Protocol, Leader: g.Leader, MemberID: m.ID}
	if m.ID == g.Leader {
		resp.Members = g.joinMembers()
	}
	return resp
}

func (m *Member) metadataFor(protocol string) proto.ConsumerSubscription {
	for _, p := range m.Protocols {
		if p.Name == protocol {
			return p.Metadata
		}
	}
	return proto.ConsumerSubscription{}
}

// selectProtocol is Kafka's vote: among the protocols every member
// supports, each member votes for its first preference; most votes win
// (ties go to the candidate listed first by the lowest member id).
func (g *Group) selectProtocol() string {
	members := g.Members()
	var candidates []string
	for _, p := range members[0].Protocols {
		all := true
		for _, m := range members[1:] {
			all = all && hasProtocol(m.Protocols, p.Name)
		}
		if all {
			candidates = append(candidates, p.Name)
		}
	}
	votes := map[string]int{}
	for _, m := range members {
		for _, p := range m.Protocols {
			if contains(candidates, p.Name) {
				votes[p.Name]++
				break
			}
		}
	}
	best := ""
	for _, cand := range candidates {
		if best == "" || votes[cand] > votes[best] {
			best = cand
		}
	}
	return best
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
