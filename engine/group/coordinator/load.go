package coordinator

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// load rebuilds the groups of offsets partition p by replaying it, as a
// broker does when it becomes the partition's leader. Groups with members
// come back Stable with fresh session timers: members that are still alive
// keep heartbeating and nothing rebalances.
func (c *Coordinator) load(p int32, epoch int32) {
	c.loaded[p] = epoch
	recs := c.host.Read(p)
	st := Replay(recs)
	var ids []string
	for id := range st {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	offsets := 0
	for _, id := range ids {
		r := st[id]
		if c.PartitionFor(id) != p {
			continue
		}
		g := newGroup(id, p)
		g.offsets, g.staged = r.Offsets, r.Staged
		offsets += len(g.offsets)
		if v := r.Meta; v != nil {
			g.Generation, g.ProtocolType, g.Protocol, g.Leader = v.Generation, v.ProtocolType, v.Protocol, v.Leader
			for _, mv := range v.Members {
				m := &Member{ID: mv.MemberID, InstanceID: mv.InstanceID, ClientID: mv.ClientID,
					SessionTimeout: time.Duration(mv.SessionTimeout) * time.Millisecond, RebalanceTimeout: time.Duration(mv.RebalanceTimeout) * time.Millisecond,
					ProtocolType: v.ProtocolType, Assignment: toProto(mv.Assignment),
					Protocols: []proto.JoinGroupProtocol{{Name: v.Protocol, Metadata: proto.ConsumerSubscription{Topics: mv.Topics, GenerationID: v.Generation}}}}
				g.members[m.ID] = m
				if m.InstanceID != "" {
					g.static[m.InstanceID] = m.ID
				}
			}
			if len(g.members) > 0 {
				g.State = Stable
			}
		}
		if r.Consumer != nil {
			c.loadConsumer(g, r.Consumer)
		}
		c.groups[id] = g
		for _, m := range g.Members() {
			c.scheduleSession(g, m)
		}
	}
	c.host.Emit("coordinator_loaded", fmt.Sprintf("this broker now leads %s-%d (leader epoch %d): it replayed %d records and coordinates %d groups with %d committed offsets",
		OffsetsTopic, p, epoch, len(recs), c.countGroups(p), offsets),
		map[string]any{"partition": p, "leader_epoch": epoch, "records": len(recs), "groups": c.countGroups(p), "offsets": offsets})
}

func (c *Coordinator) countGroups(p int32) int {
	n := 0
	for _, g := range c.groups {
		if g.Partition == p {
			n++
		}
	}
	return n
}

// unload drops the groups of p; members waiting in JoinGroup or SyncGroup
// hear NOT_COORDINATOR and look for the new coordinator.
func (c *Coordinator) unload(p int32, why string) {
	delete(c.loaded, p)
	n := 0
	for _, g := range c.Groups() {
		if g.Partition != p {
			continue
		}
		n++
		g.unloaded = true
		g.State = Dead
		for _, m := range g.Members() {
			if m.joinReply != nil {
				m.joinReply(proto.JoinGroupResponse{ErrorCode: proto.NotCoordinator, GenerationID: -1, MemberID: m.ID})
				m.joinReply = nil
			}
			if m.syncReply != nil {
				m.syncReply(proto.SyncGroupResponse{ErrorCode: proto.NotCoordinator})
				m.syncReply = nil
			}
		}
		delete(c.groups, g.ID)
	}
	c.host.Emit("coordinator_unloaded", fmt.Sprintf("this broker stops coordinating the %d groups of %s-%d: %s", n, OffsetsTopic, p, why),
		map[string]any{"partition": p, "groups": n})
}

// GroupRecord is what replaying a partition yields for one group.
type GroupRecord struct {
	Meta     *GroupValue
	Consumer *ConsumerGroupValue // a KIP-848 consumer group (consumer_records.go)
	Offsets  map[names.TopicPartition]OffsetValue
	Staged   map[int64]map[names.TopicPartition]OffsetValue
}

// Replay folds __consumer_offsets records into per-group state: the last
// group metadata, committed offsets, and transactional offsets still
// waiting for their commit or abort marker.
func Replay(recs []Record) map[string]*GroupRecord {
	out := map[string]*GroupRecord{}
	get := func(id string) *GroupRecord {
		r := out[id]
		if r == nil {
			r = &GroupRecord{Offsets: map[names.TopicPartition]OffsetValue{}, Staged: map[int64]map[names.TopicPartition]OffsetValue{}}
			out[id] = r
		}
		return r
	}
	for _, rec := range recs {
		d, ok := decode(rec)
		if !ok || d.group == "" {
			continue
		}
		r := get(d.group)
		switch d.version {
		case offsetKeyVersion:
			if d.tombstone {
				delete(r.Offsets, d.tp)
			} else {
				r.Offsets[d.tp] = *d.offset
			}
		case txnOffsetKeyVersion:
			if d.tombstone {
				delete(r.Staged[d.pid], d.tp)
				if len(r.Staged[d.pid]) == 0 {
					delete(r.Staged, d.pid)
				}
			} else {
				if r.Staged[d.pid] == nil {
					r.Staged[d.pid] = map[names.TopicPartition]OffsetValue{}
				}
				r.Staged[d.pid][d.tp] = *d.offset
			}
		case groupKeyVersion:
			r.Meta, r.Consumer = d.groupMeta, nil
		case consumerGroupKeyVersion:
			r.Consumer, r.Meta = d.consumer, nil
		}
	}
	return out
}

// groupValue is the record a group's membership is stored as.
func groupValue(g *Group) *GroupValue {
	v := &GroupValue{ProtocolType: g.ProtocolType, Generation: g.Generation, Protocol: g.Protocol, Leader: g.Leader, Members: []MemberValue{}}
	for _, m := range g.Members() {
		v.Members = append(v.Members, MemberValue{MemberID: m.ID, InstanceID: m.InstanceID, ClientID: m.ClientID,
			SessionTimeout: int32(m.SessionTimeout / time.Millisecond), RebalanceTimeout: int32(m.RebalanceTimeout / time.Millisecond),
			Topics: m.Topics(), Assignment: fromProto(m.Assignment)})
	}
	return v
}

// storeGroup appends the group's membership to its partition.
func (c *Coordinator) storeGroup(g *Group, done func(code proto.ErrorCode)) {
	c.host.Append(g.Partition, []Record{groupRecord(g.ID, groupValue(g))}, done)
}

func fromProto(in []proto.TopicPartitions) []names.TopicPartition {
	out := []names.TopicPartition{}
	for _, t := range in {
		for _, p := range t.Partitions {
			out = append(out, names.TopicPartition{Topic: t.Topic, Partition: p})
		}
	}
	names.Sort(out)
	return out
}

func toProto(in []names.TopicPartition) []proto.TopicPartitions {
	tps := append([]names.TopicPartition(nil), in...)
	names.Sort(tps)
	var out []proto.TopicPartitions
	for _, tp := range tps {
		if n := len(out); n > 0 && out[n-1].Topic == tp.Topic {
			out[n-1].Partitions = append(out[n-1].Partitions, tp.Partition)
			continue
		}
		out = append(out, proto.TopicPartitions{Topic: tp.Topic, Partitions: []int32{tp.Partition}})
	}
	return out
}

// appendError maps a failed append to the code Kafka answers group requests with.
func appendError(code proto.ErrorCode) proto.ErrorCode {
	switch code {
	case proto.None:
		return proto.None
	case proto.NotLeaderOrFollower, proto.UnknownTopicOrPartition:
		return proto.NotCoordinator
	case proto.MessageTooLarge, proto.RecordListTooLarge:
		return proto.UnknownServerError
	}
	return proto.CoordinatorNotAvailable
}
