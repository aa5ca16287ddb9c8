package client

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// txnManager is Kafka's TransactionManager: the producer id and epoch,
// the epoch bump, and per partition (partitionQueue) the sequences. This
// file is its idempotent half; txn is the transactional half (txnHooks),
// nil without a transactional.id. Methods that touch only this state are
// its own; the others are the Producer's.
type txnManager struct {
	idempotent      bool
	transactionalID string
	txn             txnHooks
	pid             int64 // the producer id and epoch, -1 until known
	pidEpoch        int16
	pidPending      bool // InitProducerId in flight
	pidTries        int
	bump            bool // an epoch bump is pending
	bumps           int64
}

// txnHooks is where the transactional half of the TransactionManager plugs
// into the producer; it is nil unless transactional.id is set
// (txnManualState in producer_txn.go; the exactly-once consumer application
// has its own transactional producer, txnProducer in txn_producer.go). Every method
// runs on the simulation's thread. The manager may call p.wakeup (run the
// sender now), p.abortUndrained (fail batches never sent), p.Flush and
// p.hasIncomplete.
type txnHooks interface {
	// initProducerID obtains the producer id and epoch for the
	// transactional.id (FindCoordinator, InitProducerId) and calls done once
	// they are known; it replaces the idempotent producer's own request.
	initProducerID(done func(pid int64, epoch int16))
	// poll runs before each sender pass and may send a transactional request
	// (AddPartitionsToTxn, EndTxn…); true holds produce requests back.
	poll() bool
	// sendAllowed reports whether batches of a partition may be drained (it
	// was added to the transaction).
	sendAllowed(topic string, partition int32) bool
	// completing reports a commit or abort in progress: every batch is sendable.
	completing() bool
	// onAppend reports that send() put a record into a partition.
	onAppend(topic string, partition int32)
	// onBatchDone reports a batch's final outcome: "" when acknowledged,
	// else the error name.
	onBatchDone(topic string, partition int32, errName string)
	// sendError is failIfNotReadyForSend: the exception send() throws
	// (class and message), or "" when it may append.
	sendError() (class, msg string)
}

// This file is the idempotent half of Kafka's TransactionManager: per
// partition the next sequence, the last acknowledged one, the batches sent
// but not resolved (in sequence order), unresolved sequences after an
// expiry, and the epoch bump that starts a partition's sequences over.

// addSeq advances a sequence number, wrapping at 2^31 like Kafka's.
func addSeq(s int32, n int) int32 { return int32((int64(s) + int64(n)) % (1 << 31)) }

// track adds a sequenced batch to the partition's unresolved batches.
func (q *partitionQueue) track(b *batch) {
	i := sort.Search(len(q.unacked), func(i int) bool { return q.unacked[i].baseSeq > b.baseSeq })
	q.unacked = append(q.unacked, nil)
	copy(q.unacked[i+1:], q.unacked[i:])
	q.unacked[i] = b
}

// assignSequence gives a batch drained for the first time its producer
// id, epoch and sequence. A partition whose sequences belong to an older
// epoch starts again at 0 (maybeUpdateProducerIdAndEpoch); stopDrainSequence
// made sure nothing of it is unresolved.
func (t *txnManager) assignSequence(q *partitionQueue, b *batch) {
	if q.pid != t.pid || q.epoch != t.pidEpoch {
		q.nextSeq, q.acked, q.pid, q.epoch = 0, -1, t.pid, t.pidEpoch
	}
	b.baseSeq, b.pid, b.epoch = q.nextSeq, t.pid, t.pidEpoch
	q.nextSeq = addSeq(q.nextSeq, len(b.records))
	q.track(b)
}

// stopDrainSequence: a new batch waits while the partition has batches of
// an older epoch in flight or an unresolved sequence; a retried batch waits
// until it is the lowest unresolved sequence, which leaves one request in
// flight for the partition while retrying.
//
// Simplified: a new batch also waits while max.in.flight batches of the
// partition are unresolved. Kafka limits requests per connection, so after
// a leader change a partition can briefly have more unresolved batches
// (old connection plus new) than the broker's five-batch duplicate cache
// holds, and a retry can then be written twice (compare librdkafka #4953).
// Idempotence's guarantee assumes at most five; the engine keeps it.
func (p *Producer) stopDrainSequence(q *partitionQueue, b *batch) bool {
	if b.baseSeq < 0 {
		return len(q.unacked) >= p.maxInFlight || q.unresolved >= 0 ||
			len(q.unacked) > 0 && (q.pid != p.pid || q.epoch != p.pidEpoch)
	}
	return len(q.unacked) > 0 && q.unacked[0].baseSeq != b.baseSeq
}

// markUnresolved notes a batch that expired after being sent: it may or may
// not be in the log, so new batches wait until everything sent before is
// resolved.
func (t *txnManager) markUnresolved(q *partitionQueue, b *batch) {
	if next := addSeq(b.baseSeq, len(b.records)); q.unresolved < 0 || next > q.unresolved {
		q.unresolved = next
	}
}

// resolveSequences is maybeResolveSequences: once nothing sent to an
// unresolved partition is pending, either later batches covered the gap
// (the last acknowledged sequence is right before the next one) or the
// partition's sequences start over.
func (p *Producer) resolveSequences() {
	for _, q := range p.queues {
		if q.unresolved < 0 || len(q.unacked) > 0 {
			continue
		}
		if q.nextSeq != addSeq(q.acked, 1) {
			p.requestBump(q)
		}
		q.unresolved = -1
	}
}

// retryOutOfOrder is TransactionManager.canRetry for
// OUT_OF_ORDER_SEQUENCE_NUMBER. A batch that is not the next expected one
// is retried: an earlier batch is still unresolved. For the next expected
// one the broker has a real gap: the idempotent producer bumps its epoch and
// retries. ok=false leaves the decision to the error's retriability.
func (p *Producer) retryOutOfOrder(b *batch) (retry, ok bool) {
	q := b.queue
	if q.unresolved < 0 && (b.seqReset || b.baseSeq != addSeq(q.acked, 1)) {
		return true, true
	}
	if p.txn != nil {
		return false, false
	}
	if q.unresolved < 0 || b.baseSeq == q.unresolved {
		p.requestBump(q)
	}
	return true, true
}

// failedForGood is TransactionManager.handleFailedBatch for a sequenced
// batch: OUT_OF_ORDER_SEQUENCE_NUMBER, or a failure the broker surely did
// not append while retries were left, leaves a gap the idempotent producer
// closes by bumping the epoch. With transactions (txnHooks) it does not.
func (p *Producer) failedForGood(b *batch, code proto.ErrorCode) {
	if !p.idempotent || b.baseSeq < 0 || p.txn != nil {
		return
	}
	if code == proto.OutOfOrderSequenceNumber || int64(b.attempts-1) < p.retries {
		p.requestBump(b.queue)
	}
}

// requestBump asks for an epoch bump that starts q's sequences over.
func (t *txnManager) requestBump(q *partitionQueue) {
	t.bump = true
	q.rewrite = true
}

// maybeBumpEpoch is bumpIdempotentProducerEpoch: the idempotent producer
// raises its epoch itself (the broker accepts a higher epoch starting at
// sequence 0) and the partitions that asked for it number their pending
// batches from 0 again. The other partitions switch to the new epoch once
// nothing of theirs is in flight.
func (p *Producer) maybeBumpEpoch() {
	if !p.bump || p.pid < 0 {
		return
	}
	p.bump = false
	p.bumps++
	if p.pidEpoch == math.MaxInt16 {
		p.pid, p.pidEpoch = -1, -1 // out of epochs: a new producer id (resetIdempotentProducerId)
		return
	}
	p.pidEpoch++
	var names []string
	for _, q := range p.queues {
		if !q.rewrite {
			continue
		}
		seq := int32(0)
		for _, b := range q.unacked {
			b.baseSeq, b.pid, b.epoch, b.seqReset = seq, p.pid, p.pidEpoch, true
			seq = addSeq(seq, len(b.records))
		}
		q.nextSeq, q.acked, q.pid, q.epoch, q.unresolved, q.rewrite = seq, -1, p.pid, p.pidEpoch, -1, false
		names = append(names, q.tp.String())
	}
	p.emit("producer_epoch_bumped", fmt.Sprintf("producer %s bumped its epoch to %d: the broker has a gap in the sequence numbers of %s, so they start again at 0",
		p.name, p.pidEpoch, strings.Join(names, ", ")), map[string]any{"producer_id": p.pid, "producer_epoch": p.pidEpoch, "partitions": names})
}

// initProducerID asks a broker (or, with transactions, the coordinator)
// for a producer id before the first send.
func (p *Producer) initProducerID() {
	if p.pidPending {
		return
	}
	p.pidPending = true
	done := func(pid int64, epoch int16) {
		p.pidPending = false
		p.pid, p.pidEpoch = pid, epoch
		p.emit("producer_id", fmt.Sprintf("producer %s got producer id %d, epoch %d: the broker can now drop duplicate retries", p.name, pid, epoch),
			map[string]any{"producer_id": pid, "producer_epoch": epoch})
		p.wakeup()
	}
	if p.txn != nil {
		p.txn.initProducerID(done)
		return
	}
	c := p.meta.candidates()
	if len(c) == 0 {
		p.pidPending = false
		return
	}
	id := c[p.pidTries%len(c)]
	p.pidTries++
	p.ep.Call(nodeOf(id), proto.InitProducerIDRequest{TransactionTimeoutMs: 60000}, p.requestTimeout, func(body any, code proto.ErrorCode) {
		if p.stopped {
			return
		}
		resp, ok := body.(proto.InitProducerIDResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			p.pidPending = false
			p.ep.Sim.After(p.retryBackoff, p.wakeup)
			return
		}
		done(resp.ProducerID, resp.ProducerEpoch)
	})
}
