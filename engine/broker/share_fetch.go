package broker

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/share"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// ShareFetch (API key 78, KIP-932): the leader first applies the
// acknowledgements the request carries, then acquires records for the
// member — Available ones first (released or whose lock expired), then new
// ones from the SPEO up to the high watermark, at most max.poll.records
// and no further than group.share.partition.max.record.locks past the
// SPSO — and locks them for group.share.record.lock.duration.ms. With
// nothing to give it waits up to MaxWaitMs, checking again every
// shareFetchRecheck (simplified: a timer instead of a purgatory hook).

const shareFetchRecheck = 25 * time.Millisecond

func (b *Broker) shareFetch(from sim.NodeID, req proto.Request, body proto.ShareFetchRequest) {
	resp := proto.ShareFetchResponse{AcquisitionLockTimeoutMs: int32(b.opts.Config.Int64("group.share.record.lock.duration.ms"))}
	for _, t := range body.Topics {
		tr := proto.ShareFetchTopicResponse{Topic: t.Topic}
		for _, fp := range t.Partitions {
			pr := proto.ShareFetchPartitionResponse{Partition: fp.Partition}
			if len(fp.Acknowledgements) > 0 {
				pr.AcknowledgeErrorCode = b.shareAck(body.GroupID, body.MemberID, names.TopicPartition{Topic: t.Topic, Partition: fp.Partition}, fp.Acknowledgements, false)
			}
			tr.Partitions = append(tr.Partitions, pr)
		}
		resp.Topics = append(resp.Topics, tr)
	}
	deadline := b.now() + time.Duration(body.MaxWaitMs)*time.Millisecond
	inc := b.incarnation
	var try func()
	try = func() {
		if b.down || b.incarnation != inc {
			return
		}
		n := b.shareAcquireAll(body, &resp)
		if n > 0 || b.now() >= deadline {
			b.ep.Reply(from, req, resp)
			return
		}
		b.after(min(shareFetchRecheck, deadline-b.now()), try)
	}
	try()
}

// shareAcquireAll acquires records for every partition of the request
// into resp and returns how many it acquired.
func (b *Broker) shareAcquireAll(body proto.ShareFetchRequest, resp *proto.ShareFetchResponse) int {
	budget := int(body.MaxRecords)
	if budget <= 0 {
		budget = 500
	}
	total := 0
	for i, t := range body.Topics {
		for j, fp := range t.Partitions {
			pr := &resp.Topics[i].Partitions[j]
			tp := names.TopicPartition{Topic: t.Topic, Partition: fp.Partition}
			r := b.replicas.get(tp.Topic, tp.Partition)
			switch {
			case r == nil && b.image.Partition(tp.Topic, tp.Partition) == nil:
				pr.ErrorCode = proto.UnknownTopicOrPartition
				continue
			case r == nil || !r.IsLeader:
				pr.ErrorCode = proto.NotLeaderOrFollower
				continue
			}
			pr.ErrorCode = proto.None
			if budget-total <= 0 {
				continue
			}
			recs := b.shareAcquire(body.GroupID, body.MemberID, r, budget-total)
			pr.Records = append(pr.Records, recs...)
			total += len(recs)
		}
	}
	return total
}

// shareAcquire acquires up to n records of r for member.
func (b *Broker) shareAcquire(group, member string, r *Replica, n int) []proto.AcquiredRecord {
	h := hostOf(b).share
	sp := h.part(group, r)
	if sp.p == nil {
		b.initShare(sp)
		return nil
	}
	if ls := r.log.LogStartOffset(); ls > sp.p.SPSO() {
		sp.p.MoveStart(ls) // retention deleted records not yet delivered
	}
	now := b.now()
	offs := sp.p.AcquireAvailable(member, n, now)
	fresh := 0
	if room := min(n-len(offs), sp.p.Room()); room > 0 && sp.p.SPEO() < r.HWM {
		newOffs, next := b.shareScan(r, sp.p.SPEO(), room)
		if next > sp.p.SPEO() {
			got := sp.p.AcquireNew(member, newOffs, next, now)
			fresh = len(got)
			offs = append(offs, got...)
		}
	}
	if len(offs) == 0 {
		return nil
	}
	recs := b.shareRead(r, offs)
	counts := map[int64]int{}
	for _, f := range sp.p.InFlight() {
		counts[f.Offset] = f.DeliveryCount
	}
	maxCount := 0
	for i := range recs {
		c := counts[recs[i].Offset]
		recs[i].DeliveryCount = int16(c)
		maxCount = max(maxCount, c)
	}
	tp := sp.tp
	b.emit("share_records_acquired", &tp, fmt.Sprintf("share group %s on %s: member %s acquires %d records (%d new, %d redelivered), locked for %d ms; SPSO %d, SPEO %d",
		group, tp, member, len(offs), fresh, len(offs)-fresh, b.opts.Config.Int64("group.share.record.lock.duration.ms"), sp.p.SPSO(), sp.p.SPEO()),
		map[string]any{"group": group, "member_id": member, "first_offset": offs[0], "last_offset": offs[len(offs)-1], "records": len(offs), "redelivered": len(offs) - fresh,
			"max_delivery_count": maxCount, "spso": sp.p.SPSO(), "speo": sp.p.SPEO()})
	b.armShareTimer(sp)
	return recs
}

// shareScan lists up to n record offsets from `from` below the high
// watermark, and the offset after the last one it looked at (offsets of
// control records in between are gaps the share-partition archives).
func (b *Broker) shareScan(r *Replica, from int64, n int) ([]int64, int64) {
	var out []int64
	next := from
	for next < r.HWM && len(out) < n {
		batches, err := r.log.ReadTo(next, r.HWM, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		moved := false
		for _, bt := range batches {
			if bt.BaseOffset >= r.HWM {
				break
			}
			if bt.IsControl() {
				if bt.NextOffset() > next {
					next, moved = min(bt.NextOffset(), r.HWM), true
				}
				continue
			}
			for _, rec := range bt.Records {
				off := bt.BaseOffset + int64(rec.OffsetDelta)
				if off < next || off >= r.HWM {
					continue
				}
				if len(out) >= n {
					return out, next
				}
				out = append(out, off)
				next, moved = off+1, true
			}
			if len(out) < n && bt.NextOffset() > next && bt.NextOffset() <= r.HWM {
				next, moved = bt.NextOffset(), true // compacted-away offsets at the batch's end
			}
		}
		if !moved {
			break
		}
	}
	return out, next
}

// shareRead reads the records at offsets (ascending) from r's log.
func (b *Broker) shareRead(r *Replica, offsets []int64) []proto.AcquiredRecord {
	out := make([]proto.AcquiredRecord, 0, len(offsets))
	i := 0
	for i < len(offsets) {
		batches, err := r.log.Read(offsets[i], 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		progressed := false
		for _, bt := range batches {
			for k, rec := range bt.Records {
				off := bt.BaseOffset + int64(rec.OffsetDelta)
				for i < len(offsets) && offsets[i] < off {
					i++ // gone (compacted): nothing to hand out
				}
				if i < len(offsets) && offsets[i] == off {
					out = append(out, proto.AcquiredRecord{Offset: off, Key: rec.Key, Value: rec.Value, Timestamp: bt.RecordTimestamp(k)})
					i++
					progressed = true
				}
			}
		}
		if !progressed {
			i++
		}
	}
	return out
}

// shareAck applies acknowledgement batches of member to tp; a record the
// member does not hold (its lock expired, or another member has it) makes
// the partition's answer INVALID_RECORD_STATE.
func (b *Broker) shareAck(group, member string, tp names.TopicPartition, acks []proto.AcknowledgementBatch, closing bool) proto.ErrorCode {
	r := b.replicas.get(tp.Topic, tp.Partition)
	if r == nil || !r.IsLeader {
		return proto.NotLeaderOrFollower
	}
	sp := hostOf(b).share.part(group, r)
	if sp.p == nil {
		return proto.InvalidRecordState
	}
	now := b.now()
	code := proto.None
	counts := map[share.AckType]int{}
	var archived, invalid []int64
	for _, a := range acks {
		t := share.AckType(a.AcknowledgeType)
		for off := a.FirstOffset; off <= a.LastOffset; off++ {
			c, ok := sp.p.Acknowledge(member, off, t, now)
			if !ok {
				code = proto.InvalidRecordState
				invalid = append(invalid, off)
				continue
			}
			counts[t]++
			if c.To == share.Archived {
				archived = append(archived, off)
			}
		}
	}
	var released []share.Change
	if closing {
		released = sp.p.ReleaseMember(member)
	}
	msg := fmt.Sprintf("share group %s on %s: member %s acknowledges %d accepted, %d released, %d rejected, %d renewed; SPSO %d, SPEO %d",
		group, tp, member, counts[share.Accept], counts[share.Release], counts[share.Reject], counts[share.Renew], sp.p.SPSO(), sp.p.SPEO())
	if len(invalid) > 0 {
		msg += fmt.Sprintf("; %d acknowledgements refused with INVALID_RECORD_STATE (the member does not hold offsets %d–%d: its lock expired or another member holds them)", len(invalid), invalid[0], invalid[len(invalid)-1])
	}
	b.emit("share_acknowledged", &tp, msg, map[string]any{"group": group, "member_id": member, "accepted": counts[share.Accept], "released": counts[share.Release],
		"rejected": counts[share.Reject], "renewed": counts[share.Renew], "invalid": len(invalid), "error": code.String(), "spso": sp.p.SPSO(), "speo": sp.p.SPEO()})
	var rejected, limit []int64
	for _, off := range archived {
		if counts[share.Reject] > 0 && isRejected(acks, off) {
			rejected = append(rejected, off)
		} else {
			limit = append(limit, off)
		}
	}
	b.emitArchived(sp, rejected, "the consumer rejected them")
	b.emitArchived(sp, limit, "it was released after reaching group.share.delivery.count.limit")
	if len(released) > 0 {
		b.emitShareChanges(sp, released, "the member closed its share session")
	}
	b.writeShareState(sp)
	b.armShareTimer(sp)
	return code
}

func isRejected(acks []proto.AcknowledgementBatch, off int64) bool {
	for _, a := range acks {
		if share.AckType(a.AcknowledgeType) == share.Reject && a.FirstOffset <= off && off <= a.LastOffset {
			return true
		}
	}
	return false
}
