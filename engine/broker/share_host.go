package broker

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/share"
)

// The share-partitions a broker leads (KIP-932, Kafka's
// SharePartitionManager): for each share group and partition it leads, a
// share.Partition with the records in flight. A share-partition is
// initialized from the share coordinator (ReadShareGroupState) the first
// time a member fetches from it in this leader epoch, and its state is
// written back (WriteShareGroupState) after acknowledgements and lock
// expiries. They live per broker process: a crash loses the locks, and the
// next leader starts from the persisted state.

type sharePart struct {
	key         string
	group       string
	tp          names.TopicPartition
	p           *share.Partition // nil until initialized
	leaderEpoch int32
	stateEpoch  int32
	initing     bool
	writing     bool
	dirty       bool
	timerTok    int
	timerAt     time.Duration // 0: no timer armed
}

type shareHost struct {
	parts  map[string]*sharePart // by coordinator.ShareKey
	state  *coordinator.ShareCoordinator
	cfg    share.Config
	parked int // ShareFetch requests waiting for records
}

func newShareHost(b *Broker, h *groupHost) *shareHost {
	cfg := b.opts.Config
	return &shareHost{parts: map[string]*sharePart{},
		state: coordinator.NewShareCoordinator(topicHost{h, coordinator.ShareStateTopic}, int(cfg.Int64("share.coordinator.state.topic.num.partitions"))),
		cfg: share.Config{LockDuration: time.Duration(cfg.Int64("group.share.record.lock.duration.ms")) * time.Millisecond,
			DeliveryLimit: int(cfg.Int64("group.share.delivery.count.limit")), MaxRecordLocks: int(cfg.Int64("group.share.partition.max.record.locks"))}}
}

// SetGroupConfig sets a group config (kafka-configs.sh --entity-type
// groups), e.g. share.auto.offset.reset. Simplified: the cluster sets it
// on every broker directly instead of through the metadata log's
// ConfigRecord.
func (b *Broker) SetGroupConfig(group, name, value string) {
	if b.groupConfigs == nil {
		b.groupConfigs = map[string]map[string]string{}
	}
	if b.groupConfigs[group] == nil {
		b.groupConfigs[group] = map[string]string{}
	}
	b.groupConfigs[group][name] = value
}

// shareAutoOffsetReset is the group's share.auto.offset.reset (latest by default).
func (b *Broker) shareAutoOffsetReset(group string) string {
	if v := b.groupConfigs[group]["share.auto.offset.reset"]; v != "" {
		return v
	}
	return "latest"
}

// part returns the share-partition of group on tp as led in r's leader
// epoch, starting over when the epoch changed (leadership moved away and back).
func (s *shareHost) part(group string, r *Replica) *sharePart {
	key := coordinator.ShareKey(group, r.TP.Topic, r.TP.Partition)
	sp := s.parts[key]
	if sp == nil || sp.leaderEpoch != r.LeaderEpoch {
		sp = &sharePart{key: key, group: group, tp: r.TP, leaderEpoch: r.LeaderEpoch}
		s.parts[key] = sp
	}
	return sp
}

// leads reports whether sp is still this broker's, in its leader epoch.
func (b *Broker) sharePartLive(sp *sharePart) (*Replica, bool) {
	h := hostOf(b)
	if h == nil || b.down || h.share == nil || h.share.parts[sp.key] != sp {
		return nil, false
	}
	r := b.replicas.get(sp.tp.Topic, sp.tp.Partition)
	if r == nil || !r.IsLeader || r.LeaderEpoch != sp.leaderEpoch {
		return nil, false
	}
	return r, true
}

// shareCoordinatorOf finds the broker leading the share-partition's
// __share_group_state partition (creating the topic on first use).
func (b *Broker) shareCoordinatorOf(key string) (int32, bool) {
	h := hostOf(b)
	t := b.image.Topics[coordinator.ShareStateTopic]
	if t == nil || len(t.Partitions) == 0 {
		h.createInternalTopic(b, coordinator.ShareStateTopic)
		return -1, false
	}
	p := h.share.state.PartitionFor(key)
	if int(p) >= len(t.Partitions) || t.Partitions[p] == nil || t.Partitions[p].Leader < 0 {
		return -1, false
	}
	return t.Partitions[p].Leader, true
}

// initShare reads sp's persisted state from the share coordinator; until
// it answers, fetches from sp get no records.
func (b *Broker) initShare(sp *sharePart) {
	if sp.p != nil || sp.initing {
		return
	}
	coord, ok := b.shareCoordinatorOf(sp.key)
	if !ok {
		return
	}
	sp.initing = true
	req := proto.ReadShareGroupStateRequest{GroupID: sp.group, Topic: sp.tp.Topic, Partition: sp.tp.Partition}
	b.ep.Call(names.Broker(coord), req, 5*time.Second, func(body any, code proto.ErrorCode) {
		r, live := b.sharePartLive(sp)
		if !live {
			return
		}
		sp.initing = false
		resp, ok := body.(proto.ReadShareGroupStateResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			return // the next fetch tries again
		}
		h := hostOf(b).share
		logStart := r.log.LogStartOffset()
		how := "the persisted state"
		if resp.StartOffset < 0 {
			start := r.HWM
			how = "share.auto.offset.reset=latest"
			if b.shareAutoOffsetReset(sp.group) == "earliest" {
				start, how = logStart, "share.auto.offset.reset=earliest"
			}
			sp.p = share.New(h.cfg, start)
			sp.stateEpoch = 1
			sp.dirty = true
		} else {
			batches := make([]share.Batch, len(resp.Batches))
			for i, bt := range resp.Batches {
				batches[i] = share.Batch{FirstOffset: bt.FirstOffset, LastOffset: bt.LastOffset, State: share.RecordState(bt.DeliveryState), DeliveryCount: int(bt.DeliveryCount)}
			}
			sp.p = share.Restore(h.cfg, resp.StartOffset, batches)
			sp.p.MoveStart(logStart)
			sp.stateEpoch = resp.StateEpoch
		}
		tp := sp.tp
		b.emit("share_partition_initialized", &tp, fmt.Sprintf("share group %s on %s: the leader starts the share-partition at SPSO %d, SPEO %d (%s, %d records in flight)",
			sp.group, tp, sp.p.SPSO(), sp.p.SPEO(), how, len(sp.p.InFlight())),
			map[string]any{"group": sp.group, "spso": sp.p.SPSO(), "speo": sp.p.SPEO(), "from": how, "in_flight": len(sp.p.InFlight())})
		if sp.dirty {
			sp.dirty = false
			b.writeShareState(sp)
		}
		b.armShareTimer(sp)
	})
}

// writeShareState persists sp's state; one write at a time, the latest
// state follows once the one in flight is answered. Simplified: the
// acknowledgement's answer does not wait for the write (Kafka's does).
func (b *Broker) writeShareState(sp *sharePart) {
	if sp.p == nil {
		return
	}
	if sp.writing {
		sp.dirty = true
		return
	}
	coord, ok := b.shareCoordinatorOf(sp.key)
	if !ok {
		b.after(time.Second, func() { b.retryShareWrite(sp) })
		return
	}
	var batches []proto.ShareStateBatch
	for _, bt := range sp.p.Batches() {
		batches = append(batches, proto.ShareStateBatch{FirstOffset: bt.FirstOffset, LastOffset: bt.LastOffset, DeliveryState: int8(bt.State), DeliveryCount: int16(bt.DeliveryCount)})
	}
	sp.writing = true
	req := proto.WriteShareGroupStateRequest{GroupID: sp.group, Topic: sp.tp.Topic, Partition: sp.tp.Partition, StateEpoch: sp.stateEpoch,
		LeaderEpoch: sp.leaderEpoch, StartOffset: sp.p.SPSO(), Batches: batches}
	b.ep.Call(names.Broker(coord), req, 10*time.Second, func(body any, code proto.ErrorCode) {
		if _, live := b.sharePartLive(sp); !live {
			return
		}
		sp.writing = false
		resp, ok := body.(proto.WriteShareGroupStateResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			b.after(time.Second, func() { b.retryShareWrite(sp) })
			return
		}
		if sp.dirty {
			sp.dirty = false
			b.writeShareState(sp)
		}
	})
}

func (b *Broker) retryShareWrite(sp *sharePart) {
	if _, live := b.sharePartLive(sp); live && !sp.writing {
		sp.dirty = false
		b.writeShareState(sp)
	}
}

// armShareTimer makes sure a timer fires at sp's earliest lock expiry.
func (b *Broker) armShareTimer(sp *sharePart) {
	d, ok := sp.p.NextDeadline()
	if !ok || (sp.timerAt != 0 && sp.timerAt <= d) {
		return
	}
	sp.timerTok++
	tok := sp.timerTok
	sp.timerAt = d
	b.after(max(d-b.now(), 0), func() {
		if sp.timerTok != tok {
			return
		}
		sp.timerAt = 0
		if _, live := b.sharePartLive(sp); !live {
			return
		}
		b.expireShareLocks(sp)
		b.armShareTimer(sp)
	})
}

// expireShareLocks returns the records whose acquisition lock ran out.
func (b *Broker) expireShareLocks(sp *sharePart) {
	changes := sp.p.Expire(b.now())
	if len(changes) == 0 {
		return
	}
	b.emitShareChanges(sp, changes, fmt.Sprintf("group.share.record.lock.duration.ms=%d passed", b.opts.Config.Int64("group.share.record.lock.duration.ms")))
	b.writeShareState(sp)
}

// emitShareChanges reports records whose lock ended without an
// acceptance: lock expiries and releases on leaving.
func (b *Broker) emitShareChanges(sp *sharePart, changes []share.Change, why string) {
	tp := sp.tp
	var avail, archived []int64
	member := changes[0].Member
	for _, c := range changes {
		if c.To == share.Archived {
			archived = append(archived, c.Offset)
		} else {
			avail = append(avail, c.Offset)
		}
	}
	b.emit("share_lock_released", &tp, fmt.Sprintf("share group %s on %s: member %s's lock on %d records ended (%s): %d are available again, %d archived (group.share.delivery.count.limit=%d); SPSO %d",
		sp.group, tp, member, len(changes), why, len(avail), len(archived), b.opts.Config.Int64("group.share.delivery.count.limit"), sp.p.SPSO()),
		map[string]any{"group": sp.group, "member_id": member, "reason": why, "available": avail, "archived": archived, "spso": sp.p.SPSO(), "speo": sp.p.SPEO()})
	b.emitArchived(sp, archived, "it reached group.share.delivery.count.limit")
}

func (b *Broker) emitArchived(sp *sharePart, offsets []int64, why string) {
	if len(offsets) == 0 {
		return
	}
	tp := sp.tp
	b.emit("share_records_archived", &tp, fmt.Sprintf("share group %s on %s: records %v are archived: %s; no member will get them again", sp.group, tp, offsets, why),
		map[string]any{"group": sp.group, "offsets": offsets, "reason": why})
}
