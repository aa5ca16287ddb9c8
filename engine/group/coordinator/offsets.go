package coordinator

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// OffsetCommit handles OffsetCommit (API key 8). Members commit with their
// generation: a stale generation (ILLEGAL_GENERATION), an unknown member
// (UNKNOWN_MEMBER_ID) or a group in CompletingRebalance
// (REBALANCE_IN_PROGRESS) is refused, which is how a consumer that was
// kicked out learns it may no longer commit. A consumer outside any group
// commits with generation -1. The offsets count once the append to
// __consumer_offsets is replicated.
func (c *Coordinator) OffsetCommit(req proto.OffsetCommitRequest, reply func(proto.OffsetCommitResponse)) {
	answer := func(code proto.ErrorCode) {
		reply(commitResponse(req.Topics, func(string, int32) proto.ErrorCode { return code }))
	}
	if req.GroupID == "" {
		answer(proto.InvalidGroupID)
		return
	}
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		answer(proto.NotCoordinator)
		return
	}
	g := c.groups[req.GroupID]
	standalone := req.GenerationID < 0 && req.MemberID == ""
	if g == nil {
		if !standalone {
			answer(proto.IllegalGeneration)
			return
		}
		g = c.getOrCreate(req.GroupID, p)
	}
	switch {
	case standalone && g.State == Empty:
	case standalone:
		answer(proto.UnknownMemberID) // the group has members: only they may commit
		return
	case g.consumer != nil:
		var tps []names.TopicPartition
		for _, t := range req.Topics {
			for _, pt := range t.Partitions {
				tps = append(tps, names.TopicPartition{Topic: t.Name, Partition: pt.Index})
			}
		}
		if code := g.validateConsumerCommit(req.MemberID, req.GenerationID, tps); code != proto.None {
			c.commitRejected(g, req.MemberID, code)
			answer(code)
			return
		}
	default:
		if code := g.validateMember(req.MemberID, req.GroupInstanceID, req.GenerationID); code != proto.None {
			c.commitRejected(g, req.MemberID, code)
			answer(code)
			return
		}
		if g.State == CompletingRebalance {
			c.commitRejected(g, req.MemberID, proto.RebalanceInProgress)
			answer(proto.RebalanceInProgress)
			return
		}
		if m := g.members[req.MemberID]; m != nil {
			c.scheduleSession(g, m) // a commit counts as a heartbeat
		}
	}
	now := c.nowMs()
	var recs []Record
	values := map[names.TopicPartition]OffsetValue{}
	for _, t := range req.Topics {
		for _, pt := range t.Partitions {
			tp := names.TopicPartition{Topic: t.Name, Partition: pt.Index}
			v := OffsetValue{Offset: pt.CommittedOffset, LeaderEpoch: pt.CommittedLeaderEpoch, Metadata: pt.Metadata, CommitTimestamp: now}
			values[tp] = v
			recs = append(recs, offsetRecord(g.ID, tp, &v))
		}
	}
	if len(recs) == 0 {
		answer(proto.None)
		return
	}
	gen := g.Generation
	c.host.Append(p, recs, func(code proto.ErrorCode) {
		code = appendError(code)
		if code == proto.None && c.current(g) {
			for tp, v := range values {
				g.offsets[tp] = v
			}
			c.host.Emit("offsets_committed", fmt.Sprintf("group %s committed %s (generation %d)", g.ID, describeOffsets(values), gen),
				map[string]any{"group": g.ID, "member_id": req.MemberID, "generation": req.GenerationID, "offsets": offsetMap(values)})
		}
		if code == proto.None && !c.current(g) {
			code = proto.NotCoordinator
		}
		answer(code)
	})
}

func (c *Coordinator) commitRejected(g *Group, member string, code proto.ErrorCode) {
	c.host.Emit("offset_commit_rejected", fmt.Sprintf("group %s refuses a commit from %s: %s (the group is in generation %d, %s)", g.ID, member, code, g.Generation, g.State),
		map[string]any{"group": g.ID, "member_id": member, "error": code.String(), "generation": g.Generation})
}

func commitResponse(topics []proto.OffsetCommitTopic, code func(string, int32) proto.ErrorCode) proto.OffsetCommitResponse {
	var resp proto.OffsetCommitResponse
	for _, t := range topics {
		tr := proto.OffsetCommitTopicResponse{Name: t.Name}
		for _, p := range t.Partitions {
			tr.Partitions = append(tr.Partitions, proto.OffsetCommitPartitionResponse{Index: p.Index, ErrorCode: code(t.Name, p.Index)})
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp
}

func offsetMap(values map[names.TopicPartition]OffsetValue) map[string]int64 {
	out := map[string]int64{}
	for tp, v := range values {
		out[tp.String()] = v.Offset
	}
	return out
}

func describeOffsets(values map[names.TopicPartition]OffsetValue) string {
	tps := names.SortedKeys(values)
	s := ""
	for i, tp := range tps {
		if i > 0 {
			s += ", "
		}
		if i == 4 && len(tps) > 5 {
			s += fmt.Sprintf("and %d more", len(tps)-4)
			break
		}
		s += fmt.Sprintf("%s=%d", tp, values[tp].Offset)
	}
	return s
}

// OffsetFetch handles OffsetFetch (API key 9). -1 means nothing committed.
func (c *Coordinator) OffsetFetch(req proto.OffsetFetchRequest, reply func(proto.OffsetFetchResponse)) {
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		reply(proto.OffsetFetchResponse{ErrorCode: proto.NotCoordinator})
		return
	}
	g := c.groups[req.GroupID]
	topics := req.Topics
	if topics == nil && g != nil {
		tps, _ := g.Offsets()
		for _, tp := range tps {
			if n := len(topics); n > 0 && topics[n-1].Name == tp.Topic {
				topics[n-1].PartitionIndexes = append(topics[n-1].PartitionIndexes, tp.Partition)
				continue
			}
			topics = append(topics, proto.OffsetFetchTopic{Name: tp.Topic, PartitionIndexes: []int32{tp.Partition}})
		}
	}
	var resp proto.OffsetFetchResponse
	for _, t := range topics {
		tr := proto.OffsetFetchTopicResponse{Name: t.Name}
		for _, idx := range t.PartitionIndexes {
			pr := proto.OffsetFetchPartition{Index: idx, CommittedOffset: -1, CommittedLeaderEpoch: -1}
			tp := names.TopicPartition{Topic: t.Name, Partition: idx}
			if g != nil {
				if v, ok := g.offsets[tp]; ok {
					pr.CommittedOffset, pr.CommittedLeaderEpoch, pr.Metadata = v.Offset, v.LeaderEpoch, v.Metadata
				}
				if req.RequireStable && g.HasStaged(tp) {
					pr.ErrorCode = proto.UnstableOffsetCommit
				}
			}
			tr.Partitions = append(tr.Partitions, pr)
		}
		resp.Topics = append(resp.Topics, tr)
	}
	reply(resp)
}

// TxnOffsetCommit handles TxnOffsetCommit (API key 28): the offsets are
// written but stay pending until the transaction's marker reaches this
// partition (CompleteTxn); OffsetFetch with RequireStable waits for them.
func (c *Coordinator) TxnOffsetCommit(req proto.TxnOffsetCommitRequest, reply func(proto.TxnOffsetCommitResponse)) {
	answer := func(code proto.ErrorCode) {
		reply(proto.TxnOffsetCommitResponse{Topics: commitResponse(req.Topics, func(string, int32) proto.ErrorCode { return code }).Topics})
	}
	p := c.PartitionFor(req.GroupID)
	if !c.active(p) {
		answer(proto.NotCoordinator)
		return
	}
	g := c.getOrCreate(req.GroupID, p)
	if req.GenerationID >= 0 || req.MemberID != "" {
		// KIP-447: a zombie from an old generation cannot commit.
		if code := g.validateMember(req.MemberID, req.GroupInstanceID, req.GenerationID); code != proto.None {
			c.commitRejected(g, req.MemberID, code)
			answer(code)
			return
		}
	}
	now := c.nowMs()
	var recs []Record
	values := map[names.TopicPartition]OffsetValue{}
	for _, t := range req.Topics {
		for _, pt := range t.Partitions {
			tp := names.TopicPartition{Topic: t.Name, Partition: pt.Index}
			v := OffsetValue{Offset: pt.CommittedOffset, LeaderEpoch: pt.CommittedLeaderEpoch, Metadata: pt.Metadata, CommitTimestamp: now,
				ProducerID: req.ProducerID, ProducerEpoch: req.ProducerEpoch}
			values[tp] = v
			recs = append(recs, txnOffsetRecord(g.ID, tp, req.ProducerID, &v))
		}
	}
	c.host.Append(p, recs, func(code proto.ErrorCode) {
		code = appendError(code)
		if code == proto.None && c.current(g) {
			if g.staged[req.ProducerID] == nil {
				g.staged[req.ProducerID] = map[names.TopicPartition]OffsetValue{}
			}
			for tp, v := range values {
				g.staged[req.ProducerID][tp] = v
			}
			c.host.Emit("txn_offsets_staged", fmt.Sprintf("group %s: transaction %s (producer %d) stages %s; they count only if it commits", g.ID, req.TransactionalID, req.ProducerID, describeOffsets(values)),
				map[string]any{"group": g.ID, "transactional_id": req.TransactionalID, "producer_id": req.ProducerID, "offsets": offsetMap(values)})
		}
		answer(code)
	})
}

// CompleteTxn applies (commit) or drops (abort) the offsets producer pid
// staged in groups of partition p: the transaction marker reached the
// offsets partition.
func (c *Coordinator) CompleteTxn(p int32, pid int64, commit bool, done func(code proto.ErrorCode)) {
	if !c.active(p) {
		done(proto.NotLeaderOrFollower)
		return
	}
	var recs []Record
	type change struct {
		g      *Group
		values map[names.TopicPartition]OffsetValue
	}
	var changes []change
	for _, g := range c.Groups() {
		st := g.staged[pid]
		if g.Partition != p || len(st) == 0 {
			continue
		}
		tps := names.SortedKeys(st)
		values := map[names.TopicPartition]OffsetValue{}
		for _, tp := range tps {
			v := st[tp]
			if commit {
				v.ProducerID, v.ProducerEpoch = 0, 0
				values[tp] = v
				recs = append(recs, offsetRecord(g.ID, tp, &v))
			}
			recs = append(recs, txnOffsetRecord(g.ID, tp, pid, nil))
		}
		changes = append(changes, change{g, values})
	}
	if len(recs) == 0 {
		done(proto.None)
		return
	}
	c.host.Append(p, recs, func(code proto.ErrorCode) {
		if code == proto.None {
			for _, ch := range changes {
				if !c.current(ch.g) {
					continue
				}
				delete(ch.g.staged, pid)
				for tp, v := range ch.values {
					ch.g.offsets[tp] = v
				}
				if commit {
					c.host.Emit("offsets_committed", fmt.Sprintf("group %s: the transaction of producer %d committed, so its offsets count: %s", ch.g.ID, pid, describeOffsets(ch.values)),
						map[string]any{"group": ch.g.ID, "producer_id": pid, "transactional": true, "offsets": offsetMap(ch.values)})
				} else {
					c.host.Emit("txn_offsets_dropped", fmt.Sprintf("group %s: the transaction of producer %d aborted; its staged offsets are dropped", ch.g.ID, pid),
						map[string]any{"group": ch.g.ID, "producer_id": pid})
				}
			}
		}
		done(code)
	})
}
