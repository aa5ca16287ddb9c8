package broker

import (
	"sort"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/share"
	"github.com/brokerlab/brokerlab/engine/view"
)

// SharePartition describes the share-partition of group on tp if this
// broker leads tp and has it (ok false otherwise).
func (b *Broker) SharePartition(group string, tp names.TopicPartition) (view.SharePartitionView, bool) {
	h := hostOf(b)
	r := b.replicas.get(tp.Topic, tp.Partition)
	if h == nil || b.down || h.inc != b.incarnation || r == nil || !r.IsLeader {
		return view.SharePartitionView{}, false
	}
	v := view.SharePartitionView{Topic: tp.Topic, Partition: tp.Partition, Leader: b.opts.ID, HWM: r.HWM, SPSO: -1, SPEO: -1, InFlight: []view.ShareRecordView{}}
	sp := h.share.parts[coordinator.ShareKey(group, tp.Topic, tp.Partition)]
	if sp == nil || sp.leaderEpoch != r.LeaderEpoch || sp.p == nil {
		return v, true
	}
	v.Initialized, v.SPSO, v.SPEO = true, sp.p.SPSO(), sp.p.SPEO()
	now := b.now()
	for _, f := range sp.p.InFlight() {
		switch f.State {
		case share.Available:
			v.Available++
		case share.Acquired:
			v.Acquired++
		case share.Acknowledged:
			v.Acknowledged++
		case share.Archived:
			v.Archived++
		}
		if len(v.InFlight) < view.ShareInFlightShown {
			rv := view.ShareRecordView{Offset: f.Offset, State: f.State.String(), DeliveryCount: f.DeliveryCount}
			if f.State == share.Acquired {
				rv.Member, rv.LockLeftMs = f.Member, max(int64((f.Deadline-now)/1e6), 0)
			}
			v.InFlight = append(v.InFlight, rv)
		}
	}
	return v, true
}

// ShareConfig is the broker's share-group settings and the group's share.auto.offset.reset.
func (b *Broker) ShareConfig(group string) view.ShareGroupView {
	c := b.opts.Config
	return view.ShareGroupView{DeliveryLimit: int(c.Int64("group.share.delivery.count.limit")), LockDurationMs: c.Int64("group.share.record.lock.duration.ms"),
		MaxRecordLocks: int(c.Int64("group.share.partition.max.record.locks")), AutoOffsetReset: b.shareAutoOffsetReset(group)}
}

// ShareSPSO is one share-partition's start offset as a broker knows it.
type ShareSPSO struct {
	Group string
	TP    names.TopicPartition
	SPSO  int64
}

// ShareSPSOs lists the SPSO of every share-partition this process holds in
// memory (as a leader, now or before) or stores as share coordinator, by
// group, topic and partition; the checker takes the highest.
func (b *Broker) ShareSPSOs() []ShareSPSO {
	h := hostOf(b)
	if h == nil || b.down || h.inc != b.incarnation {
		return nil
	}
	best := map[string]ShareSPSO{}
	note := func(group string, tp names.TopicPartition, spso int64) {
		k := coordinator.ShareKey(group, tp.Topic, tp.Partition)
		if cur, ok := best[k]; !ok || spso > cur.SPSO {
			best[k] = ShareSPSO{Group: group, TP: tp, SPSO: spso}
		}
	}
	for _, sp := range h.share.parts {
		if sp.p != nil {
			note(sp.group, sp.tp, sp.p.SPSO())
		}
	}
	for _, k := range h.share.state.Keys() {
		if v := h.share.state.State(k); v != nil {
			g, tp, ok := coordinator.ParseShareKey(k)
			if ok {
				note(g, tp, v.StartOffset)
			}
		}
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]ShareSPSO, len(keys))
	for i, k := range keys {
		out[i] = best[k]
	}
	return out
}
