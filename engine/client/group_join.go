package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/assign"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// joinPrepare is onJoinPrepare, run by poll() before a (re)join: commit
// with enable.auto.commit, then hand partitions back — all of them with the
// eager protocol (consumption stops here), only those of topics no longer
// subscribed with the cooperative one. A member that was kicked out finds
// its partitions lost instead: it may not commit them.
func (g *groupClient) joinPrepare() {
	g.preparing = true
	revoke := func() {
		var give []names.TopicPartition
		why := ""
		switch {
		case g.lost || (g.generation < 0 && len(g.owned) > 0):
			g.lose(names.SortedKeys(g.owned), "this member is no longer in the group's generation")
		case g.protocol == assign.Eager:
			give, why = names.SortedKeys(g.owned), "eager rebalance: every partition is given back before rejoining"
			g.prevOwned = give
		default:
			sub := map[string]bool{}
			for _, t := range g.c.topics {
				sub[t] = true
			}
			for _, k := range names.SortedKeys(g.owned) {
				if !sub[k.Topic] {
					give = append(give, k)
				}
			}
			why = "the topic is no longer subscribed"
		}
		g.lost = false
		g.revoke(give, why, func() {
			g.preparing = false
			g.sendJoin()
		})
	}
	if g.autoCommit && g.generation >= 0 && !g.lost && len(g.owned) > 0 {
		g.commit(g.allConsumed(), true, "auto-commit before rejoining", func(bool) { revoke() })
		return
	}
	revoke()
}

// revoke is onPartitionsRevoked: with on_revoked=commit the listener
// commits their positions first (commitSync), so the next owner starts
// where this one stopped.
func (g *groupClient) revoke(parts []names.TopicPartition, why string, then func()) {
	if len(parts) == 0 {
		then()
		return
	}
	drop := func() {
		for _, k := range parts {
			g.dropPartition(k)
		}
		g.c.emit("partitions_revoked", fmt.Sprintf("consumer %s gives back %v: %s", g.c.name, tpNames(parts), why),
			map[string]any{"group": g.groupID, "partitions": tpNames(parts), "reason": why, "generation": g.generation})
		then()
	}
	if g.o.OnRevoked == "commit" && g.generation >= 0 {
		offs := map[names.TopicPartition]int64{}
		for _, k := range parts {
			if p, ok := g.c.positions[k]; ok {
				offs[k] = p
			}
		}
		g.commit(offs, true, "onPartitionsRevoked", func(bool) { drop() })
		return
	}
	drop()
}

// lose is onPartitionsLost.
func (g *groupClient) lose(parts []names.TopicPartition, why string) {
	if len(parts) == 0 {
		return
	}
	for _, k := range parts {
		g.dropPartition(k)
	}
	g.c.emit("partitions_lost", fmt.Sprintf("consumer %s lost %v: %s; what it processed since its last commit will be read again by the next owner", g.c.name, tpNames(parts), why),
		map[string]any{"group": g.groupID, "partitions": tpNames(parts), "reason": why})
}

func (g *groupClient) dropPartition(k names.TopicPartition) {
	delete(g.owned, k)
	g.ownedList = nil
	g.dropBuffer(k)
	g.unposition(k)
	delete(g.needReset, k)
}

func (g *groupClient) subscription() proto.ConsumerSubscription {
	topics := append([]string(nil), g.c.topics...)
	sort.Strings(topics)
	owned := names.SortedKeys(g.owned)
	if g.protocol == assign.Eager {
		owned = g.prevOwned
	}
	return proto.ConsumerSubscription{Topics: topics, OwnedPartitions: protoTPs(owned), GenerationID: g.generation}
}

func protoTPs(ks []names.TopicPartition) []proto.TopicPartitions {
	var out []proto.TopicPartitions
	for _, k := range ks {
		if n := len(out); n > 0 && out[n-1].Topic == k.Topic {
			out[n-1].Partitions = append(out[n-1].Partitions, k.Partition)
			continue
		}
		out = append(out, proto.TopicPartitions{Topic: k.Topic, Partitions: []int32{k.Partition}})
	}
	return out
}

func keysOf(tps []proto.TopicPartitions) []names.TopicPartition {
	var out []names.TopicPartition
	for _, t := range tps {
		for _, p := range t.Partitions {
			out = append(out, names.TopicPartition{Topic: t.Topic, Partition: p})
		}
	}
	names.Sort(out)
	return out
}

func (g *groupClient) joinTimeout() time.Duration {
	return max(g.c.requestTimeout(), g.pollInterval+5*time.Second)
}

// sendJoin sends JoinGroup with the member's subscription, one protocol per
// configured assignor.
func (g *groupClient) sendJoin() {
	c := g.c
	if g.coordinator < 0 {
		g.state = unjoined
		g.findCoordinator()
		return
	}
	first := g.state != joining
	g.state = joining
	req := proto.JoinGroupRequest{GroupID: g.groupID, SessionTimeoutMs: int32(g.session / time.Millisecond), RebalanceTimeoutMs: int32(g.pollInterval / time.Millisecond),
		MemberID: g.memberID, GroupInstanceID: g.instanceID, ProtocolType: "consumer", Reason: g.rejoinReason}
	sub := g.subscription()
	for _, a := range g.assignors {
		req.Protocols = append(req.Protocols, proto.JoinGroupProtocol{Name: a, Metadata: sub})
	}
	if first {
		why := g.rejoinReason
		if why == "" {
			why = "it starts"
		}
		c.emit("group_joining", fmt.Sprintf("consumer %s sends JoinGroup to broker %d: %s", c.name, g.coordinator, why),
			map[string]any{"group": g.groupID, "member_id": g.memberID, "generation": g.generation, "reason": why})
	}
	ce := g.coordEpoch
	c.ep.Call(nodeOf(g.coordinator), req, g.joinTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped || ce != g.coordEpoch || g.state != joining {
			return
		}
		resp, ok := body.(proto.JoinGroupResponse)
		if code != proto.None || !ok {
			g.coordinatorLost(fmt.Sprintf("JoinGroup failed: %s", code))
			return
		}
		g.onJoin(resp)
	})
}

func (g *groupClient) onJoin(resp proto.JoinGroupResponse) {
	c := g.c
	if !coordinatorError(resp.ErrorCode) {
		g.coordinatorAnswered()
	}
	switch resp.ErrorCode {
	case proto.None:
	case proto.MemberIDRequired:
		g.memberID = resp.MemberID
		g.sendJoin()
		return
	case proto.UnknownMemberID:
		g.memberID, g.generation = "", -1
		g.sendJoin()
		return
	case proto.IllegalGeneration:
		g.generation = -1
		g.sendJoin()
		return
	case proto.NotCoordinator, proto.CoordinatorNotAvailable:
		g.coordinatorLost(fmt.Sprintf("JoinGroup: %s", resp.ErrorCode))
		return
	case proto.FencedInstanceID, proto.InvalidSessionTimeout, proto.InconsistentGroupProtocol, proto.InvalidGroupID:
		g.state = unjoined
		g.fail(fmt.Sprintf("JoinGroup failed with %s", resp.ErrorCode))
		return
	default:
		g.after(c.backoff(), func() {
			if g.state == joining {
				g.sendJoin()
			}
		})
		return
	}
	g.memberID, g.generation, g.groupProtocol = resp.MemberID, resp.GenerationID, resp.ProtocolName
	g.leader = resp.Leader == resp.MemberID
	g.state = syncing
	g.lastHbOK = g.now()
	role := "a follower"
	switch {
	case g.leader && resp.SkipAssignment:
		role = "the leader, back as a static member: it keeps the current assignment"
	case g.leader:
		role = "the leader: it computes the assignment with " + resp.ProtocolName
	}
	c.emit("group_joined", fmt.Sprintf("consumer %s joined group %s as member %s in generation %d; it is %s", c.name, g.groupID, g.memberID, g.generation, role),
		map[string]any{"group": g.groupID, "member_id": g.memberID, "generation": g.generation, "leader": g.leader, "protocol": resp.ProtocolName})
	if g.leader && !resp.SkipAssignment {
		g.assignAsLeader(resp)
		return
	}
	g.sendSync(nil)
}

// assignAsLeader runs the chosen assignor over every member's subscription
// with fresh metadata, then sends the result in SyncGroup.
func (g *groupClient) assignAsLeader(resp proto.JoinGroupResponse) { g.assignWithMetadata(resp, 0) }

func (g *groupClient) assignWithMetadata(resp proto.JoinGroupResponse, attempt int) {
	c := g.c
	gen := g.generation
	c.meta.refresh(func() {
		if c.stopped || g.generation != gen || g.state != syncing {
			return
		}
		for _, m := range resp.Members {
			for _, t := range m.Metadata.Topics {
				if c.meta.partitions(t) == 0 && attempt < 5 {
					// A subscribed topic is missing from the metadata: ask again first.
					g.after(c.backoff(), func() { g.assignWithMetadata(resp, attempt+1) })
					return
				}
			}
		}
		a, ok := assign.ByName(resp.ProtocolName)
		if !ok {
			g.fail(fmt.Sprintf("the group chose assignor %q, which this consumer does not know", resp.ProtocolName))
			return
		}
		counts := map[string]int32{}
		snapshot := map[string]int{}
		var members []assign.Member
		subs := map[string]bool{}
		for _, m := range resp.Members {
			am := assign.Member{ID: m.MemberID, InstanceID: m.GroupInstanceID, Topics: m.Metadata.Topics, Generation: m.Metadata.GenerationID}
			for _, k := range keysOf(m.Metadata.OwnedPartitions) {
				am.Owned = append(am.Owned, names.TopicPartition{Topic: k.Topic, Partition: k.Partition})
			}
			for _, t := range m.Metadata.Topics {
				n := c.meta.partitions(t)
				counts[t], snapshot[t] = int32(n), n
				subs[t] = true
			}
			members = append(members, am)
		}
		out := a.Assign(members, counts)
		ids := make([]string, 0, len(out))
		for id := range out {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		var assignments []proto.SyncGroupAssignment
		show := map[string][]string{}
		for _, id := range ids {
			var ks []names.TopicPartition
			for _, tp := range out[id] {
				ks = append(ks, names.TopicPartition{Topic: tp.Topic, Partition: tp.Partition})
			}
			names.Sort(ks)
			assignments = append(assignments, proto.SyncGroupAssignment{MemberID: id, Assignment: protoTPs(ks)})
			show[id] = tpNames(ks)
		}
		g.snapshot = snapshot
		g.groupSubs = g.groupSubs[:0]
		for t := range subs {
			g.groupSubs = append(g.groupSubs, t)
		}
		sort.Strings(g.groupSubs)
		c.emit("assignment_computed", fmt.Sprintf("leader %s assigns %d members with %s", c.name, len(members), a.Name),
			map[string]any{"group": g.groupID, "generation": g.generation, "assignor": a.Name, "assignment": show})
		g.sendSync(assignments)
	})
}

func (g *groupClient) sendSync(assignments []proto.SyncGroupAssignment) {
	c := g.c
	ce, gen := g.coordEpoch, g.generation
	req := proto.SyncGroupRequest{GroupID: g.groupID, GenerationID: g.generation, MemberID: g.memberID, GroupInstanceID: g.instanceID,
		ProtocolType: "consumer", ProtocolName: g.groupProtocol, Assignments: assignments}
	c.ep.Call(nodeOf(g.coordinator), req, g.joinTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped || ce != g.coordEpoch || g.generation != gen || g.state != syncing {
			return
		}
		resp, ok := body.(proto.SyncGroupResponse)
		if code != proto.None || !ok {
			g.coordinatorLost(fmt.Sprintf("SyncGroup failed: %s", code))
			return
		}
		if !coordinatorError(resp.ErrorCode) {
			g.coordinatorAnswered()
		}
		switch resp.ErrorCode {
		case proto.None:
			g.synced, g.hasSynced = resp.Assignment, true
			g.wake()
		case proto.RebalanceInProgress:
			g.state = unjoined
			g.requestRejoin("SyncGroup: the group started another rebalance")
		case proto.UnknownMemberID:
			g.resetGeneration(true, "SyncGroup: UNKNOWN_MEMBER_ID")
		case proto.IllegalGeneration:
			g.resetGeneration(false, "SyncGroup: ILLEGAL_GENERATION")
		case proto.FencedInstanceID:
			g.fail("SyncGroup: FENCED_INSTANCE_ID")
		default:
			g.coordinatorLost(fmt.Sprintf("SyncGroup: %s", resp.ErrorCode))
		}
	})
}

// joinComplete is onJoinComplete, run by poll(): adopt the assignment. With
// the cooperative protocol, partitions that moved away are revoked now and
// the member rejoins at once so that a second rebalance can hand them over.
func (g *groupClient) joinComplete() {
	c := g.c
	assigned := map[names.TopicPartition]bool{}
	for _, k := range keysOf(g.synced) {
		assigned[k] = true
	}
	g.synced, g.hasSynced = nil, false
	g.state = stableMem
	g.rejoin, g.rejoinReason = false, ""
	g.rebalances++
	var revoked, added []names.TopicPartition
	for _, k := range names.SortedKeys(g.owned) {
		if !assigned[k] {
			revoked = append(revoked, k)
		}
	}
	for _, k := range names.SortedKeys(assigned) {
		if !g.owned[k] {
			added = append(added, k)
		}
	}
	g.busy = true
	g.revoke(revoked, "the cooperative assignor moves them to another member", func() {
		g.busy = false
		for _, k := range added {
			g.own(k)
		}
		all := names.SortedKeys(g.owned)
		c.emit("partitions_assigned", fmt.Sprintf("consumer %s owns %v in generation %d (new: %v)", c.name, tpNames(all), g.generation, tpNames(added)),
			map[string]any{"group": g.groupID, "generation": g.generation, "partitions": tpNames(all), "added": tpNames(added), "revoked": tpNames(revoked)})
		if len(revoked) > 0 && g.protocol == assign.Cooperative {
			g.requestRejoin("partitions were revoked and must be reassigned in a second rebalance")
		}
		g.wake()
	})
}
