package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
)

// drain is the Sender's loop body: expire old batches, then send every ready
// batch whose leader has a free in-flight slot, one request per broker, and
// arm a wake-up for the next linger or backoff deadline.
func (p *Producer) drain() {
	if p.stopped {
		return
	}
	now := p.now()
	if p.idempotent && p.pid < 0 {
		p.initProducerID()
		return
	}
	keys := p.sortedQueues()
	exhausted := p.blocked && len(p.sendQueue) > 0
	perBroker := map[int32][]*batch{}
	var brokers []int32
	var nextWake time.Duration = -1
	wakeAt := func(t time.Duration) {
		if nextWake < 0 || t < nextWake {
			nextWake = t
		}
	}
	needMeta := false
	for _, k := range keys {
		q := p.queues[k]
		p.expire(k, q)
		if len(q.batches) == 0 {
			continue
		}
		b := q.batches[0]
		if b.inflight {
			continue
		}
		if b.retryAt > now {
			wakeAt(b.retryAt)
			continue
		}
		ready := b.full || len(q.batches) > 1 || now-b.createdAt >= p.linger || p.flushing || exhausted
		if !ready {
			wakeAt(b.createdAt + p.linger)
			continue
		}
		leader := p.meta.leader(k.topic, k.part)
		if leader < 0 {
			needMeta = true
			continue
		}
		if p.inflight[leader]+len(perBroker[leader]) >= p.maxInFlight && len(perBroker[leader]) == 0 {
			continue // wait for an answer from that broker
		}
		if p.inflight[leader] >= p.maxInFlight {
			continue
		}
		if len(perBroker[leader]) == 0 {
			brokers = append(brokers, leader)
		}
		perBroker[leader] = append(perBroker[leader], b)
	}
	if needMeta {
		p.meta.refresh(func() { p.drain() })
	}
	for _, id := range brokers {
		p.sendRequest(id, perBroker[id])
	}
	if p.flushing && p.Queued() == 0 {
		p.flushing = false
	}
	if nextWake >= 0 {
		if p.wake == nil || p.wake.At() != nextWake {
			p.wake.Cancel()
			p.wake = p.ep.Sim.Schedule(nextWake, func() { p.wake = nil; p.drain() })
		}
	}
}

func (p *Producer) sortedQueues() []tpKey {
	keys := make([]tpKey, 0, len(p.queues))
	for k := range p.queues {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].topic != keys[j].topic {
			return keys[i].topic < keys[j].topic
		}
		return keys[i].part < keys[j].part
	})
	return keys
}

// expire fails queued batches older than delivery.timeout.ms.
func (p *Producer) expire(k tpKey, q *partitionQueue) {
	kept := q.batches[:0]
	for _, b := range q.batches {
		if !b.inflight && p.now()-b.createdAt >= p.deliveryTimeout {
			p.finishFailed(b, "TIMEOUT_EXCEPTION", fmt.Sprintf("Expiring %d record(s) for %s-%d: %d ms has passed since batch creation (delivery.timeout.ms)", len(b.records), k.topic, k.part, (p.now()-b.createdAt).Milliseconds()))
			continue
		}
		kept = append(kept, b)
	}
	q.batches = kept
}

func (p *Producer) encode(b *batch) *record.Batch {
	base := b.records[0].ts
	recs := make([]record.Record, len(b.records))
	maxTs := base
	for i, r := range b.records {
		recs[i] = toRecord(r.msg, int32(i), r.ts-base)
		if r.ts > maxTs {
			maxTs = r.ts
		}
	}
	out := &record.Batch{PartitionLeaderEpoch: -1, BaseTimestamp: base, MaxTimestamp: maxTs,
		LastOffsetDelta: int32(len(recs) - 1), ProducerID: -1, ProducerEpoch: -1, BaseSequence: -1, Records: recs}
	if p.idempotent {
		q := p.queues[b.tp]
		if b.baseSeq < 0 {
			b.baseSeq = q.nextSeq
			q.nextSeq += int32(len(b.records))
		}
		out.ProducerID, out.ProducerEpoch, out.BaseSequence = p.pid, p.pidEpoch, b.baseSeq
	}
	return out
}

func (p *Producer) sendRequest(leader int32, batches []*batch) {
	req := proto.ProduceRequest{Acks: p.acks, TimeoutMs: int32(p.requestTimeout / time.Millisecond)}
	byTopic := map[string]int{}
	for _, b := range batches {
		b.inflight = true
		b.full = true
		b.attempts++
		i, ok := byTopic[b.tp.topic]
		if !ok {
			i = len(req.Topics)
			byTopic[b.tp.topic] = i
			req.Topics = append(req.Topics, proto.ProduceTopic{Name: b.tp.topic})
		}
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, proto.ProducePartition{Index: b.tp.part, Batch: p.encode(b)})
		p.Stats.Batches++
		p.Stats.BatchBytes += int64(b.bytes)
		p.Stats.QueueTimeTotal += p.now() - b.createdAt
	}
	p.Stats.Requests++
	if p.acks == 0 {
		p.ep.Send(nodeOf(leader), req)
		for _, b := range batches {
			p.finishAcked(b, -1)
		}
		p.drain()
		return
	}
	p.inflight[leader]++
	p.ep.Call(nodeOf(leader), req, p.requestTimeout, func(body any, code proto.ErrorCode) {
		if p.stopped {
			return
		}
		p.inflight[leader]--
		resp, _ := body.(proto.ProduceResponse)
		for _, b := range batches {
			pc, base, msg := code, int64(-1), ""
			if code == proto.None {
				pc, base, msg = findPartition(resp, b.tp)
			}
			p.complete(b, pc, base, msg)
		}
		p.drain()
	})
}

func findPartition(resp proto.ProduceResponse, tp tpKey) (proto.ErrorCode, int64, string) {
	for _, t := range resp.Topics {
		if t.Name != tp.topic {
			continue
		}
		for _, pr := range t.Partitions {
			if pr.Index == tp.part {
				return pr.ErrorCode, pr.BaseOffset, pr.ErrorMessage
			}
		}
	}
	return proto.UnknownTopicOrPartition, -1, "no answer for the partition"
}

// complete handles one batch's outcome: ack, retry or fail.
func (p *Producer) complete(b *batch, code proto.ErrorCode, base int64, msg string) {
	b.inflight = false
	if code == proto.None {
		p.finishAcked(b, base)
		return
	}
	retriable := code.Retriable() || (code == proto.OutOfOrderSequenceNumber && p.hasEarlierRetry(b))
	if retriable && int64(b.attempts) <= p.retries && p.now()-b.createdAt < p.deliveryTimeout {
		p.Stats.Retries++
		backoff := p.retryBackoff << (b.attempts - 1)
		if backoff > p.retryBackoffMax || backoff <= 0 {
			backoff = p.retryBackoffMax
		}
		b.retryAt = p.now() + backoff
		p.requeue(b)
		p.emit("produce_retry", fmt.Sprintf("batch of %d records to %s-%d failed with %s; retry %d in %v", len(b.records), b.tp.topic, b.tp.part, code, b.attempts, backoff),
			map[string]any{"topic": b.tp.topic, "partition": b.tp.part, "error": code.String(), "attempt": b.attempts})
		switch code {
		case proto.NotLeaderOrFollower, proto.UnknownTopicOrPartition, proto.LeaderNotAvailable, proto.NetworkException, proto.RequestTimedOut, proto.FencedLeaderEpoch:
			p.meta.refresh(nil)
		}
		return
	}
	if msg == "" {
		msg = code.String()
	}
	p.finishFailed(b, code.String(), msg)
}

// hasEarlierRetry reports whether an earlier-sequence batch of the same
// partition is waiting to be retried (then OUT_OF_ORDER is expected).
func (p *Producer) hasEarlierRetry(b *batch) bool {
	for _, o := range p.queues[b.tp].batches {
		if o != b && o.baseSeq >= 0 && o.baseSeq < b.baseSeq {
			return true
		}
	}
	return false
}

// requeue puts a batch back: first in line with idempotence (ordered by
// sequence), and — without it — simply at the head, which is how a retried
// batch can land after one sent later.
func (p *Producer) requeue(b *batch) {
	q := p.queues[b.tp]
	rest := make([]*batch, 0, len(q.batches))
	for _, o := range q.batches {
		if o != b {
			rest = append(rest, o)
		}
	}
	q.batches = append([]*batch{b}, rest...)
	if p.idempotent {
		sort.SliceStable(q.batches, func(i, j int) bool {
			x, y := q.batches[i].baseSeq, q.batches[j].baseSeq
			return x >= 0 && (y < 0 || x < y)
		})
	}
}

func (p *Producer) remove(b *batch) {
	q := p.queues[b.tp]
	for i, o := range q.batches {
		if o == b {
			q.batches = append(q.batches[:i], q.batches[i+1:]...)
			break
		}
	}
	p.bufferUsed -= b.alloc
	b.alloc = 0
	if p.blocked {
		p.ep.Sim.After(0, p.processSends)
	}
}

func (p *Producer) finishAcked(b *batch, base int64) {
	p.remove(b)
	for i, r := range b.records {
		off := int64(-1)
		if base >= 0 {
			off = base + int64(i)
		}
		p.acked = append(p.acked, Acked{Topic: b.tp.topic, Partition: b.tp.part, Offset: off, Key: string(r.msg.Key), Value: string(r.msg.Value), Seq: r.seq})
		p.Stats.latencies = append(p.Stats.latencies, p.now()-r.sentAt)
	}
	p.Stats.Acked += int64(len(b.records))
	p.emit("produce_acked", "", map[string]any{"topic": b.tp.topic, "partition": b.tp.part, "base_offset": base, "records": len(b.records), "attempts": b.attempts})
}

func (p *Producer) finishFailed(b *batch, code, msg string) {
	p.remove(b)
	p.fail(b.tp.topic, len(b.records), code)
	p.emit("produce_failed", fmt.Sprintf("%d records to %s-%d failed: %s", len(b.records), b.tp.topic, b.tp.part, msg),
		map[string]any{"topic": b.tp.topic, "partition": b.tp.part, "error": code, "records": len(b.records)})
}

// initProducerID asks a broker for a producer id before the first send.
func (p *Producer) initProducerID() {
	if p.pidPending {
		return
	}
	c := p.meta.candidates()
	if len(c) == 0 {
		return
	}
	p.pidPending = true
	id := c[int(p.Stats.Requests)%len(c)]
	p.Stats.Requests++
	p.ep.Call(nodeOf(id), proto.InitProducerIDRequest{TransactionTimeoutMs: 60000}, p.requestTimeout, func(body any, code proto.ErrorCode) {
		if p.stopped {
			return
		}
		p.pidPending = false
		resp, ok := body.(proto.InitProducerIDResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			p.ep.Sim.After(p.retryBackoff, p.drain)
			return
		}
		p.pid, p.pidEpoch = resp.ProducerID, resp.ProducerEpoch
		p.emit("producer_id", fmt.Sprintf("producer %s got producer id %d, epoch %d: the broker can now drop duplicate retries", p.name, resp.ProducerID, resp.ProducerEpoch),
			map[string]any{"producer_id": resp.ProducerID, "producer_epoch": resp.ProducerEpoch})
		p.drain()
	})
}
