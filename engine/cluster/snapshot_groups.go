package cluster

import (
	"strings"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// groupsSnapshot describes every consumer group a running consumer belongs
// to or a coordinator holds: the coordinator's state when it has the group
// loaded (else what its partition's log says), each member's own view, and
// per partition the committed offset, the owner's position, HWM and lag.
func groupsSnapshot(c *Cluster, s *view.Snapshot, _ SnapshotOptions) {
	img := c.metadataImage().CommittedImage()
	views := map[string][]*client.MemberView{}
	ids := map[string]bool{}
	for _, name := range sortedKeys(c.Consumers) {
		cs := c.Consumers[name]
		if v := cs.Group(); v != nil && !cs.Stopped() {
			views[v.GroupID] = append(views[v.GroupID], v)
			ids[v.GroupID] = true
		}
	}
	for _, b := range c.Brokers {
		if gc := b.GroupCoordinator(); gc != nil {
			for _, g := range gc.Groups() {
				ids[g.ID] = true
			}
		}
	}
	for _, id := range sortedKeys(ids) {
		s.Groups = append(s.Groups, c.groupSnapshot(img, id, views[id]))
	}
}

func (c *Cluster) offsetsPartitions(img *metadata.Image) int {
	if t := img.Topics[coordinator.OffsetsTopic]; t != nil && len(t.Partitions) > 0 {
		return len(t.Partitions)
	}
	return int(c.brokerCfg.Int64("offsets.topic.num.partitions"))
}

// leaderReplica is the replica of tp on its current leader, if that broker is up.
func (c *Cluster) leaderReplica(img *metadata.Image, topic string, p int32) (*broker.Broker, *broker.Replica) {
	part := img.Partition(topic, p)
	if part == nil || part.Leader < 0 {
		return nil, nil
	}
	b := c.Broker(int(part.Leader))
	if b == nil || b.Down() {
		return nil, nil
	}
	r := b.Replica(names.TopicPartition{Topic: topic, Partition: p})
	if r == nil || !r.IsLeader {
		return b, nil
	}
	return b, r
}

func (c *Cluster) groupSnapshot(img *metadata.Image, id string, views []*client.MemberView) view.GroupSnapshot {
	p := int32(coord.Partition(id, c.offsetsPartitions(img)))
	gs := view.GroupSnapshot{GroupID: id, Coordinator: -1, State: "Unknown", Generation: -1, CoordinatorPartition: p,
		Members: []view.GroupMember{}, Partitions: []view.GroupPartition{}}
	if part := img.Partition(coordinator.OffsetsTopic, p); part != nil {
		gs.Coordinator = part.Leader
	}
	for _, v := range views {
		gs.RebalanceProtocol = v.Protocol
	}
	offsets := map[names.TopicPartition]coordinator.OffsetValue{}
	owners := map[string]string{}
	pending := map[names.TopicPartition]bool{}
	byMember := map[string]*client.MemberView{}
	for _, v := range views {
		if v.MemberID != "" {
			byMember[v.MemberID] = v
		}
	}
	b, r := c.leaderReplica(img, coordinator.OffsetsTopic, p)
	var g *coordinator.Group
	if b != nil && r != nil {
		if gc := b.GroupCoordinator(); gc != nil {
			if e, ok := gc.LoadedEpoch(p); ok && e == r.LeaderEpoch {
				g = gc.Group(id)
			}
		}
	}
	switch {
	case g != nil:
		gs.Loaded = true
		gs.State, gs.Generation, gs.ProtocolType, gs.Protocol, gs.Leader = string(g.State), g.Generation, g.ProtocolType, g.Protocol, g.Leader
		tps, offs := g.Offsets()
		for _, tp := range tps {
			offsets[tp] = offs[tp]
			pending[tp] = g.HasStaged(tp)
		}
		if cv := g.Consumer(); cv != nil {
			consumerGroupView(c, &gs, cv, byMember, img)
		}
		if sv := g.Share(); sv != nil {
			shareGroupView(c, &gs, sv, img) // snapshot_share.go
		}
		for _, m := range g.Members() {
			gm := view.GroupMember{MemberID: m.ID, InstanceID: m.InstanceID, ClientID: m.ClientID, Assignment: []string{}, Topics: m.Topics(), Owned: []string{}}
			for _, t := range m.Assignment {
				for _, q := range t.Partitions {
					tp := names.TopicPartition{Topic: t.Topic, Partition: q}
					gm.Assignment = append(gm.Assignment, tp.String())
				}
			}
			gs.Members = append(gs.Members, c.withClientView(gm, byMember[m.ID], img))
		}
	case r != nil:
		recs := replicaRecords(r)
		if st := coordinator.Replay(recs)[id]; st != nil {
			for tp, v := range st.Offsets {
				offsets[tp] = v
			}
			for _, staged := range st.Staged {
				for tp := range staged {
					pending[tp] = true
				}
			}
			gs.State = "Empty"
			if st.Consumer != nil {
				consumerGroupView(c, &gs, consumerViewOfRecord(st.Consumer), byMember, img)
			}
			if m := st.Meta; m != nil {
				gs.Generation, gs.ProtocolType, gs.Protocol, gs.Leader = m.Generation, m.ProtocolType, m.Protocol, m.Leader
				if len(m.Members) > 0 {
					gs.State = "Stable"
				}
				for _, mv := range m.Members {
					gm := view.GroupMember{MemberID: mv.MemberID, InstanceID: mv.InstanceID, ClientID: mv.ClientID, Assignment: []string{}, Topics: mv.Topics, Owned: []string{}}
					for _, tp := range mv.Assignment {
						gm.Assignment = append(gm.Assignment, tp.String())
					}
					gs.Members = append(gs.Members, c.withClientView(gm, byMember[mv.MemberID], img))
				}
			}
		}
	}
	for _, m := range gs.Members {
		owner := m.Consumer
		if owner == "" {
			owner = m.MemberID
		}
		for _, tp := range m.Assignment {
			owners[tp] = owner
		}
	}
	// Partitions: the subscribed topics' and those with committed offsets.
	topics := map[string]bool{}
	for _, m := range gs.Members {
		for _, t := range m.Topics {
			topics[t] = true
		}
	}
	for _, v := range views {
		for _, tp := range v.Owned {
			if i := strings.LastIndexByte(tp, '-'); i > 0 {
				topics[tp[:i]] = true
			}
		}
	}
	all := map[names.TopicPartition]bool{}
	for tp := range offsets {
		all[tp] = true
	}
	for t := range topics {
		if tm := img.Topics[t]; tm != nil {
			for i := range tm.Partitions {
				all[names.TopicPartition{Topic: t, Partition: int32(i)}] = true
			}
		}
	}
	list := names.SortedKeys(all)
	readCommitted := false
	for _, v := range views {
		readCommitted = readCommitted || v.TransactionalID != ""
	}
	for _, tp := range list {
		gp := view.GroupPartition{Topic: tp.Topic, Partition: tp.Partition, Owner: owners[tp.String()], Committed: -1, Position: -1, HWM: -1, LSO: -1, Lag: -1, Pending: pending[tp]}
		if v, ok := offsets[tp]; ok {
			gp.Committed = v.Offset
		}
		for _, v := range views {
			if pos, ok := v.Positions[tp.String()]; ok && contains(v.Owned, tp.String()) {
				gp.Position = pos
			}
		}
		if lb, lr := c.leaderReplica(img, tp.Topic, tp.Partition); lr != nil {
			gp.HWM = lr.HWM
			gp.LSO = lb.LastStableOffset(names.TopicPartition{Topic: tp.Topic, Partition: tp.Partition})
		}
		end := gp.HWM
		if readCommitted && gp.LSO >= 0 {
			end = gp.LSO
		}
		switch {
		case end < 0:
		case gp.Committed >= 0:
			gp.Lag = max(end-gp.Committed, 0)
		case gp.Position >= 0:
			gp.Lag = max(end-gp.Position, 0)
		}
		if gp.Lag > 0 {
			gs.TotalLag += gp.Lag
		}
		gs.Partitions = append(gs.Partitions, gp)
	}
	return gs
}

// withClientView adds the running consumer's own view to a member.
func (c *Cluster) withClientView(gm view.GroupMember, v *client.MemberView, img *metadata.Image) view.GroupMember {
	gm.Consumer = strings.TrimPrefix(gm.ClientID, "consumer-")
	if v == nil {
		gm.ClientState = "gone"
		return gm
	}
	gm.Consumer = v.Name
	gm.ClientState, gm.Generation, gm.Polled, gm.Processed, gm.Rebalances, gm.Commit = v.State, v.Generation, v.Polled, v.Processed, v.Rebalances, v.Commit
	gm.Owned = append([]string{}, v.Owned...)
	if v.TransactionalID != "" {
		t := &view.MemberTransaction{TransactionalID: v.TransactionalID, ProducerID: v.ProducerID, ProducerEpoch: v.ProducerEpoch,
			Committed: v.TxnCommitted, Aborted: v.TxnAborted, State: "Unknown"}
		if tt := img.Topics[coordinator.TransactionStateTopic]; tt != nil && len(tt.Partitions) > 0 {
			tp := int32(coord.Partition(v.TransactionalID, len(tt.Partitions)))
			if b, r := c.leaderReplica(img, coordinator.TransactionStateTopic, tp); r != nil {
				if tc := b.TxnCoordinator(); tc != nil {
					if e, ok := tc.LoadedEpoch(tp); ok && e == r.LeaderEpoch {
						if m := tc.Txn(v.TransactionalID); m != nil {
							t.State = string(m.State)
						}
					}
				}
			}
		}
		gm.Transaction = t
	}
	return gm
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// replicaRecords reads a coordinator partition's records for replaying.
func replicaRecords(r *broker.Replica) []coordinator.Record {
	l := r.Log()
	var out []coordinator.Record
	for off := l.LogStartOffset(); off < l.LEO(); {
		batches, err := l.Read(off, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		for _, bt := range batches {
			off = bt.NextOffset()
			if bt.IsControl() {
				continue
			}
			for _, rec := range bt.Records {
				out = append(out, coordinator.Record{Key: rec.Key, Value: rec.Value})
			}
		}
	}
	return out
}
