package client

import (
	"github.com/brokerlab/brokerlab/engine/trace"

	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
)

// produceCall is a produce request in flight on the connection to a broker.
type produceCall struct {
	batches []*batch
	sentAt  time.Duration
	done    bool // answered, waiting for older requests to be answered first
	gone    bool // failed with its connection
	body    any
	code    proto.ErrorCode
}

// onResponse gets a produce request's answer or failure and hands answers
// on in the order the requests were sent, as one TCP connection delivers
// them (the simulated network may lose one message and deliver later ones).
// A timeout or a reset closes the connection, as Kafka's NetworkClient
// does: every request on it fails, oldest first, and answers that had
// arrived out of order are lost with it.
func (p *Producer) onResponse(node int32, r *produceCall, body any, code proto.ErrorCode) {
	if p.stopped || r.gone {
		return
	}
	if code == proto.RequestTimedOut || code == proto.NetworkException {
		all := p.conns[node]
		p.conns[node] = nil
		p.connFailed[node] = p.now()
		for _, x := range all {
			x.gone = true
		}
		why := "was reset"
		if code == proto.RequestTimedOut {
			why = fmt.Sprintf("timed out (request.timeout.ms=%d)", p.requestTimeout.Milliseconds())
		}
		p.handling(func() {
			p.connectionClosed(node, why)
			p.ep.FailAll(nodeOf(node), code) // other calls to it (metadata) fail too
			for _, x := range all {
				p.handleResponse(node, x.batches, nil, code, x.sentAt)
			}
			p.requestMetadata()
		})
		return
	}
	r.done, r.body, r.code = true, body, code
	p.handling(func() {
		for len(p.conns[node]) > 0 && p.conns[node][0].done {
			x := p.conns[node][0]
			p.conns[node] = shiftFront(p.conns[node])
			p.handleResponse(node, x.batches, x.body, x.code, x.sentAt)
			x.batches, x.body = nil, nil // its slab may live on: let go of the rest
		}
	})
}

// handling runs callback work as part of the sender loop: the loop runs
// once after it (or again, if it is running) instead of inside it.
func (p *Producer) handling(f func()) {
	if p.inSender {
		f()
		p.again = true
		return
	}
	p.inSender = true
	f()
	p.inSender = false
	p.wakeup()
}

// handleResponse is Sender.handleProduceResponse for one request.
func (p *Producer) handleResponse(node int32, batches []*batch, body any, code proto.ErrorCode, sentAt time.Duration) {
	p.inflight[node]--
	resp, _ := proto.TakeProduceResponse(body)
	if code == proto.None {
		p.m.latency(p.now() - sentAt)
	}
	for _, b := range batches {
		pc, base, msg := code, int64(-1), ""
		switch code {
		case proto.None:
			pc, base, msg = findPartition(resp, b.tp)
		case proto.RequestTimedOut:
			msg = fmt.Sprintf("Disconnected from node %d due to timeout (request.timeout.ms=%d)", node, p.requestTimeout.Milliseconds())
		case proto.NetworkException:
			msg = fmt.Sprintf("the connection to broker %d was closed", node)
		}
		p.completeBatch(b, pc, base, msg)
	}
}

func findPartition(resp proto.ProduceResponse, tp names.TopicPartition) (proto.ErrorCode, int64, string) {
	for _, t := range resp.Topics {
		if t.Name != tp.Topic {
			continue
		}
		for _, pr := range t.Partitions {
			if pr.Index == tp.Partition {
				return pr.ErrorCode, pr.BaseOffset, pr.ErrorMessage
			}
		}
	}
	return proto.UnknownTopicOrPartition, -1, "no answer for the partition"
}

// completeBatch is Sender.completeBatch: acknowledge, split, retry or fail
// one batch of an answered (or failed) request.
func (p *Producer) completeBatch(b *batch, code proto.ErrorCode, base int64, msg string) {
	if b.done {
		return
	}
	q := b.queue
	q.inflight = without(q.inflight, b)
	q.muted = false
	switch {
	case code == proto.None:
		p.finishAcked(b, base)
	case code == proto.MessageTooLarge && len(b.records) > 1:
		p.split(b)
	case p.canRetry(b, code):
		p.reenqueue(b, code)
	case code == proto.DuplicateSequenceNumber:
		p.finishAcked(b, -1) // the broker no longer knows the offset
	default:
		p.failedForGood(b, code)
		if msg == "" {
			msg = code.String()
		}
		p.finishFailed(b, code.String(), msg)
	}
	switch code {
	case proto.NotLeaderOrFollower, proto.UnknownTopicOrPartition, proto.LeaderNotAvailable, proto.NetworkException,
		proto.RequestTimedOut, proto.FencedLeaderEpoch, proto.UnknownLeaderEpoch, proto.KafkaStorageError:
		p.requestMetadata() // InvalidMetadataException, or a disconnect
	}
}

// canRetry is Sender.canRetry: time and retries left, and a retriable
// error (with idempotence also OUT_OF_ORDER_SEQUENCE_NUMBER, see
// retryOutOfOrder).
func (p *Producer) canRetry(b *batch, code proto.ErrorCode) bool {
	if p.now()-b.createdAt >= p.deliveryTimeout || int64(b.attempts-1) >= p.retries {
		return false
	}
	if p.idempotent && code == proto.OutOfOrderSequenceNumber {
		if retry, ok := p.retryOutOfOrder(b); ok {
			return retry
		}
	}
	return code.Retriable()
}

// reenqueue puts a batch back for a retry (RecordAccumulator.reenqueue):
// at the head of its queue, or with idempotence in sequence order. Without
// idempotence and with more than one request in flight, this is how a
// retried batch lands after one sent later.
func (p *Producer) reenqueue(b *batch, code proto.ErrorCode) {
	q := b.queue
	b.lastAttempt = p.now()
	b.backoff = p.backoffFor(b.attempts - 1)
	if p.idempotent && b.baseSeq >= 0 {
		i := 0
		for i < len(q.batches) && q.batches[i].baseSeq >= 0 && q.batches[i].baseSeq < b.baseSeq {
			i++
		}
		q.batches = append(q.batches, nil)
		copy(q.batches[i+1:], q.batches[i:])
		q.batches[i] = b
	} else {
		q.batches = append([]*batch{b}, q.batches...)
	}
	p.Stats.Retries++
	p.m.recordRetries += int64(len(b.records))
	p.emit("produce_retry", fmt.Sprintf("batch of %d records to %s failed with %s; retry %d in %v", len(b.records), b.tp, code, b.attempts, b.backoff),
		map[string]any{"topic": b.tp.Topic, "partition": b.tp.Partition, "error": code.String(), "attempt": b.attempts, "base_sequence": b.baseSeq, "backoff_ms": b.backoff.Milliseconds()})
}

// backoffFor is Kafka's ExponentialBackoff(retry.backoff.ms, 2,
// retry.backoff.max.ms, jitter 0.2) after n earlier retries, with the
// jitter drawn from the producer's seeded stream.
func (p *Producer) backoffFor(n int) time.Duration {
	return expBackoff(p.retryBackoff, p.retryBackoffMax, n, p.rnd)
}

// split is splitAndReenqueue: a batch the broker found too large
// (MESSAGE_TOO_LARGE) goes back as batches of at most batch.size, counted
// as never tried. They live outside buffer.memory, as in Kafka.
func (p *Producer) split(big *batch) {
	q := big.queue
	p.ratio[big.tp.Topic] = max(1, big.compressionRatio())
	var parts []*batch
	for i, r := range big.records {
		rec := big.recs[i] // a copy: the big batch's records may still be on the network
		ts := big.baseTs + rec.TimestampDelta
		m := Message{Key: rec.Key, KeyNull: rec.Key == nil, Value: rec.Value, ValueNull: rec.Value == nil, Headers: rec.Headers}
		cur := (*batch)(nil)
		if n := len(parts); n > 0 {
			cur = parts[n-1]
		}
		size := 0
		if cur != nil {
			size = recordBytes(&m, int32(len(cur.records)), ts-cur.baseTs)
		}
		if cur == nil || int64(cur.rawBytes+size) > p.batchSize {
			cur = &batch{tp: big.tp, queue: big.queue, ratio: 1, closed: true, createdAt: big.createdAt, lastAttempt: p.now(),
				baseSeq: -1, rawBytes: record.HeaderSize, sentTo: -1, flushWait: big.flushWait, baseTs: ts, maxTs: ts}
			parts = append(parts, cur)
			size = recordBytes(&m, 0, 0)
		}
		rec.OffsetDelta, rec.TimestampDelta = int32(len(cur.recs)), ts-cur.baseTs
		cur.records = append(cur.records, r)
		cur.recs = append(cur.recs, rec)
		cur.maxTs = max(cur.maxTs, ts)
		cur.rawBytes += size
	}
	if big.flushWait {
		p.flushWait += len(parts)
	}
	q.unacked = without(q.unacked, big)
	seq := big.baseSeq
	for i := len(parts) - 1; i >= 0; i-- {
		q.batches = append([]*batch{parts[i]}, q.batches...)
	}
	if seq >= 0 {
		for _, b := range parts {
			b.baseSeq, b.pid, b.epoch = seq, big.pid, big.epoch
			seq = addSeq(seq, len(b.records))
			q.track(b)
		}
	}
	p.m.splits++
	p.emit("batch_split", fmt.Sprintf("a batch of %d records (%d bytes) was too large for the broker (MESSAGE_TOO_LARGE); the producer split it into %d batches", len(big.records), big.wireBytes, len(parts)),
		map[string]any{"topic": big.tp.Topic, "partition": big.tp.Partition, "records": len(big.records), "batches": len(parts)})
	p.released(big)
}

func (p *Producer) finishAcked(b *batch, base int64) {
	q := b.queue
	q.forget(b)
	if p.idempotent && b.baseSeq >= 0 {
		q.acked = max(q.acked, addSeq(b.baseSeq, len(b.records)-1))
	}
	p.released(b)
	now := p.now()
	for i, r := range b.records {
		off := int64(-1)
		if base >= 0 {
			off = base + int64(i)
		}
		if p.keepRecords {
			p.acked.add(ackedEntry{q: q, key: b.recs[i].Key, value: b.recs[i].Value, offset: off, seq: r.seq})
			p.Stats.latencies.add(now - r.callAt)
		}
		p.m.recordLatency.add(now - r.callAt)
	}
	p.Stats.Acked += int64(len(b.records))
	p.noteOrder(q, b, base)
	p.emitFields("produce_acked", "", trace.Int("attempts", b.attempts), trace.Int("base_offset", base), trace.Int("partition", b.tp.Partition), trace.Int("records", len(b.records)), trace.String("topic", b.tp.Topic))
	if p.txn != nil {
		p.txn.onBatchDone(b.tp.Topic, b.tp.Partition, "")
	}
	p.pool.donePending(b.records)
	b.records = nil // done: nothing reads them any more
}

// noteOrder reports a batch acknowledged at an offset after records sent
// later: the reordering that idempotence prevents.
func (p *Producer) noteOrder(q *partitionQueue, b *batch, base int64) {
	if base < 0 {
		return
	}
	first, last := b.records[0].seq, b.records[len(b.records)-1].seq
	if first < q.hiSeq && base > q.hiOffset {
		p.Stats.Reordered++
		p.emit("produce_reordered", fmt.Sprintf("record #%d was sent before #%d but was acknowledged at offset %d, after it (offset %d): a retried batch landed behind a later one",
			first, q.hiSeq, base, q.hiOffset), map[string]any{"topic": b.tp.Topic, "partition": b.tp.Partition, "seq": first, "offset": base, "later_seq": q.hiSeq, "later_offset": q.hiOffset})
	}
	if last > q.hiSeq {
		q.hiSeq, q.hiOffset = last, base+int64(len(b.records)-1)
	}
}

func (p *Producer) finishFailed(b *batch, code, msg string) {
	b.queue.forget(b)
	p.released(b)
	p.fail(len(b.records), code)
	p.emit("produce_failed", fmt.Sprintf("%d records to %s failed: %s", len(b.records), b.tp, msg),
		map[string]any{"topic": b.tp.Topic, "partition": b.tp.Partition, "error": code, "records": len(b.records)})
	if p.txn != nil {
		p.txn.onBatchDone(b.tp.Topic, b.tp.Partition, code)
	}
}

// abortUndrained fails every batch that was never sent (Kafka's
// abortUndrainedBatches, used when a transaction aborts).
func (p *Producer) abortUndrained(code, msg string) {
	for _, q := range p.queues {
		kept := make([]*batch, 0, len(q.batches))
		for _, b := range q.batches {
			if b.attempts == 0 && b.baseSeq < 0 {
				p.finishFailed(b, code, msg)
				continue
			}
			kept = append(kept, b)
		}
		q.batches = kept
	}
}

// maybeClosed finishes close() once nothing is queued or in flight.
func (p *Producer) maybeClosed() {
	if !p.closing || p.stopped || p.blocked != blockClose || p.hasIncomplete() {
		return
	}
	p.stopped = true
	p.wake.timer.Cancel()
	p.metaTimer.Cancel()
	p.blocked = notBlocked
	p.popCall()
	p.emit("producer_closed", fmt.Sprintf("producer %s closed after sending everything it had", p.name), nil)
	p.processCalls() // later sends fail
}
