package broker

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// txnHost is coordinator.TxnHost: __transaction_state plus producer ids and
// marker writing.
type txnHost struct{ topicHost }

// NewProducerID shares the broker's allocator with idempotent producers
// (see handleInitProducerID).
func (t txnHost) NewProducerID() int64 {
	b := t.h.live()
	if b == nil {
		return -1
	}
	b.nextPID++
	return (b.epoch+1)*1000 + b.nextPID
}

const markerRetryBackoff = 100 * time.Millisecond

// WriteMarkers sends WriteTxnMarkers (API key 27) to the leader of each
// partition, retrying failed partitions until all have their marker.
func (t txnHost) WriteMarkers(m coordinator.Markers, done func()) {
	h := t.h
	left := map[names.TopicPartition]bool{}
	for _, tp := range m.Partitions {
		left[tp] = true
	}
	var round func()
	round = func() {
		b := h.live()
		if b == nil {
			return
		}
		if len(left) == 0 {
			done()
			return
		}
		byLeader := map[int32][]names.TopicPartition{}
		for tp := range left {
			p := b.image.Partition(tp.Topic, tp.Partition)
			if p == nil { // the topic is gone: nothing to mark
				delete(left, tp)
				continue
			}
			byLeader[p.Leader] = append(byLeader[p.Leader], tp)
		}
		if len(left) == 0 {
			done()
			return
		}
		leaders := make([]int32, 0, len(byLeader))
		for id := range byLeader {
			leaders = append(leaders, id)
		}
		sort.Slice(leaders, func(i, j int) bool { return leaders[i] < leaders[j] })
		pending := len(leaders)
		finish := func() {
			pending--
			if pending > 0 {
				return
			}
			if b := h.live(); b != nil {
				if len(left) == 0 {
					done()
				} else {
					b.after(markerRetryBackoff, round)
				}
			}
		}
		for _, id := range leaders {
			tps := byLeader[id]
			sort.Slice(tps, func(i, j int) bool { return tps[i].String() < tps[j].String() })
			if id < 0 {
				finish()
				continue
			}
			req := proto.WriteTxnMarkersRequest{Markers: []proto.WritableTxnMarker{{ProducerID: m.ProducerID, ProducerEpoch: m.Epoch, Committed: m.Commit,
				Topics: groupTPs(tps), TransactionalID: m.TransactionalID, CoordinatorBroker: h.id}}}
			b.ep.Call(names.Broker(id), req, 30*time.Second, func(body any, code proto.ErrorCode) {
				if h.live() == nil {
					return
				}
				if resp, ok := body.(proto.WriteTxnMarkersResponse); ok && code == proto.None {
					for _, r := range resp.Markers {
						for _, pr := range r.Partitions {
							tp := names.TopicPartition{Topic: pr.Topic, Partition: pr.Partition}
							if pr.ErrorCode == proto.None || pr.ErrorCode == proto.UnknownTopicOrPartition {
								delete(left, tp)
							}
						}
					}
				}
				finish()
			})
		}
	}
	if b := h.live(); b != nil {
		b.after(0, round)
	}
}

func groupTPs(tps []names.TopicPartition) []proto.TopicPartitions {
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

// writeTxnMarkers is the partition leaders' side of WriteTxnMarkers: a
// control batch on each data partition; on __consumer_offsets the group
// coordinator applies or drops the transaction's staged offsets instead.
func (h *groupHost) writeTxnMarkers(b *Broker, req proto.WriteTxnMarkersRequest, answer func(any)) {
	resp := proto.WriteTxnMarkersResponse{}
	pending := 0
	for _, m := range req.Markers {
		pending += len(tpsOf(m.Topics))
	}
	if pending == 0 {
		answer(resp)
		return
	}
	for mi, m := range req.Markers {
		resp.Markers = append(resp.Markers, proto.WriteTxnMarkersResult{ProducerID: m.ProducerID})
		for _, ctp := range tpsOf(m.Topics) {
			mi, ctp, m := mi, ctp, m
			idx := len(resp.Markers[mi].Partitions)
			resp.Markers[mi].Partitions = append(resp.Markers[mi].Partitions, proto.WriteTxnMarkersPartitionResult{Topic: ctp.Topic, Partition: ctp.Partition})
			done := func(code proto.ErrorCode) {
				resp.Markers[mi].Partitions[idx].ErrorCode = code
				pending--
				if pending == 0 {
					answer(resp)
				}
			}
			tp := names.TopicPartition{Topic: ctp.Topic, Partition: ctp.Partition}
			if b.image.Partition(tp.Topic, tp.Partition) == nil {
				b.after(0, func() { done(proto.UnknownTopicOrPartition) })
				continue
			}
			if ctp.Topic == coordinator.OffsetsTopic {
				h.groups.CompleteTxn(ctp.Partition, m.ProducerID, m.Committed, done)
				continue
			}
			h.appendMarker(b, tp, m, done)
		}
	}
}
