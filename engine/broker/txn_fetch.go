package broker

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// A read_committed fetch (isolation.level=read_committed) returns records
// only below the last stable offset, and leaves out the batches of aborted
// transactions. Simplified: Kafka sends aborted batches along with the
// list of aborted transactions and the consumer drops them; here the
// broker drops them, so the consumer sees gaps in the offsets instead.

type parkedFetch struct {
	from     sim.NodeID
	req      proto.Request
	body     proto.FetchRequest
	deadline time.Duration
}

const readCommittedRecheck = 10 * time.Millisecond

func (h *groupHost) readCommittedFetch(b *Broker, from sim.NodeID, req proto.Request, body proto.FetchRequest) {
	resp, size, errs := h.readCommitted(b, body)
	if size >= int(body.MinBytes) || body.MaxWaitMs <= 0 || errs || size > 0 {
		b.ep.Reply(from, req, resp)
		return
	}
	h.rcFetches = append(h.rcFetches, &parkedFetch{from: from, req: req, body: body, deadline: b.now() + time.Duration(body.MaxWaitMs)*time.Millisecond})
	h.tickReadCommitted()
}

// tickReadCommitted rechecks parked read_committed fetches until their
// fetch.max.wait.ms (simplified: a timer instead of a purgatory hook).
func (h *groupHost) tickReadCommitted() {
	b := h.live()
	if b == nil || h.rcTicking || len(h.rcFetches) == 0 {
		return
	}
	h.rcTicking = true
	b.after(readCommittedRecheck, func() {
		h.rcTicking = false
		h.wakeReadCommitted()
		h.tickReadCommitted()
	})
}

func (h *groupHost) wakeReadCommitted() {
	b := h.live()
	if b == nil {
		return
	}
	now := b.now()
	kept := h.rcFetches[:0]
	for _, p := range h.rcFetches {
		resp, size, errs := h.readCommitted(b, p.body)
		if size > 0 || errs || now >= p.deadline {
			b.ep.Reply(p.from, p.req, resp)
			continue
		}
		kept = append(kept, p)
	}
	h.rcFetches = kept
}

func (h *groupHost) readCommitted(b *Broker, body proto.FetchRequest) (proto.FetchResponse, int, bool) {
	var resp proto.FetchResponse
	total, errs := 0, false
	budget := int(body.MaxBytes)
	for _, t := range body.Topics {
		tr := proto.FetchTopicResponse{Name: t.Name}
		for _, fp := range t.Partitions {
			tp := names.TopicPartition{Topic: t.Name, Partition: fp.Index}
			pr, _ := b.readPartition(tp, fp, false, budget)
			if pr.ErrorCode != proto.None {
				errs = true
				tr.Partitions = append(tr.Partitions, pr)
				continue
			}
			r := b.replicas.get(tp.Topic, tp.Partition)
			lso := h.lso(r)
			ix := h.index(r)
			// A new array: the read's may be the log's read cache, which
			// other readers share.
			var kept []*record.Batch
			size := 0
			for {
				next := int64(-1) // after the last batch read, when every one was aborted data
				for _, bt := range pr.Batches {
					if bt.BaseOffset >= lso {
						next = -1
						break
					}
					if bt.IsTransactional() && !bt.IsControl() && ix.isAborted(bt) {
						next = bt.NextOffset()
						continue
					}
					kept = append(kept, bt)
					size += bt.SizeInBytes()
					next = -1
				}
				// A read is one segment: one that ends in aborted data
				// would answer nothing (Kafka sends the aborted batches and
				// the consumer skips them; here the broker drops them), and
				// the consumer would fetch the same offset for ever. Read on
				// from the next segment up to the last stable offset.
				if len(kept) > 0 || next < 0 || next >= lso {
					break
				}
				fp.FetchOffset = next
				more, _ := b.readPartition(tp, fp, false, budget)
				if more.ErrorCode != proto.None || len(more.Batches) == 0 {
					break
				}
				pr.Batches = more.Batches
			}
			pr.LastStableOffset = lso
			pr.Batches = kept
			total += size
			budget = max(budget-size, 0)
			tr.Partitions = append(tr.Partitions, pr)
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp, total, errs
}
