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
			pr.LastStableOffset = lso
			// A new array: the read's may be the log's read cache, which
			// other readers share.
			var kept []*record.Batch
			if len(pr.Batches) > 0 {
				kept = make([]*record.Batch, 0, len(pr.Batches))
			}
			size := 0
			for _, bt := range pr.Batches {
				if bt.BaseOffset >= lso {
					break
				}
				if bt.IsTransactional() && !bt.IsControl() && ix.isAborted(bt) {
					continue
				}
				kept = append(kept, bt)
				size += bt.SizeInBytes()
			}
			pr.Batches = kept
			total += size
			budget = max(budget-size, 0)
			tr.Partitions = append(tr.Partitions, pr)
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp, total, errs
}
