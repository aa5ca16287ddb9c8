package client

import (
	"fmt"
	"slices"
	"time"

	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/rpc"
)

// sender is Kafka's Sender with the parts of NetworkClient it uses: the
// loop's wake-ups, the produce requests in flight per broker and the
// connections that failed. Its methods are mostly the Producer's, as
// they drain the accumulator and complete batches. Simplified: it
// runs on the simulation's thread (wakeup, wakeSoon) rather than its own.
type sender struct {
	acks                          int16
	requestTimeout                time.Duration
	retryBackoff, retryBackoffMax time.Duration
	maxRequestSize, retries       int64
	maxInFlight                   int

	reqCells        rpc.Cells[proto.ProduceRequest] // the requests travel in these (no boxing)
	startedAt       time.Duration                   // for the metrics' rates
	inSender, again bool                            // in the loop; run it once more
	wakePending     bool                            // wakeSoon's event is armed
	nextWake        time.Duration                   // the loop's next deadline, -1 none
	metaAsked       bool                            // requestMetadata's backoff
	metaAskedAt     time.Duration
	inflight        map[int32]int // produce requests in flight per broker
	conns           map[int32][]*produceCall
	connFailed      map[int32]time.Duration // when a connection last failed
	wake            wakeEvent               // armWake's event
	soon            soonEvent               // wakeSoon's event
	readyNodes      []int32                 // ready's result, reused
	loads           []partition.Load        // ready's scratch
	drainParts      []*partitionQueue       // drainNode's scratch
}

// wakeup is Sender.wakeup: run the sender loop now. A call from inside the
// loop (a callback completing a batch) makes it run once more instead.
func (p *Producer) wakeup() {
	if p.stopped {
		return
	}
	if p.inSender {
		p.again = true
		return
	}
	p.inSender = true
	for {
		p.again = false
		if !p.runOnce() && !p.again {
			break
		}
	}
	p.inSender = false
	p.maybeClosed()
}

// wakeSoon wakes the sender once the application's calls of this instant
// are done: send() calls made at the same moment (a loop in the
// application) append before the sender thread gets to drain, as they
// would in Kafka, where the sender runs on its own thread.
func (p *Producer) wakeSoon() {
	if p.wakePending || p.stopped {
		return
	}
	p.wakePending = true
	p.ep.Sim.Arm(&p.soon.timer, p.now(), &p.soon)
}

// runOnce is Sender.sendProducerData: expire, find ready brokers, drain one
// batch per partition for each, send, and arm a timer for the next linger,
// backoff or expiry deadline. It reports whether it sent anything.
func (p *Producer) runOnce() bool {
	now := p.now()
	p.nextWake = -1
	defer p.armWake()
	p.expire(now)
	if p.idempotent {
		p.resolveSequences()
		p.maybeBumpEpoch()
	}
	if p.txn != nil && p.txn.poll() {
		return false
	}
	if p.idempotent && p.pid < 0 {
		p.initProducerID()
		return false
	}
	nodes, unknown := p.ready(now)
	if unknown {
		p.requestMetadata()
	}
	sent := false
	for _, node := range nodes {
		// NetworkClient.ready: a connected broker with room for a request.
		canSend := p.nodeReady(node, now) && p.inflight[node] < p.maxInFlight
		p.noteNodeLatency(node, now, canSend)
		if !canSend {
			continue // an answer from that broker (or its connection) wakes the sender
		}
		if bs := p.drainNode(node, now); len(bs) > 0 {
			p.sendRequest(node, bs)
			sent = true
		}
	}
	return sent
}

func (s *sender) wakeAt(t time.Duration) {
	if s.nextWake < 0 || t < s.nextWake {
		s.nextWake = t
	}
}

func (p *Producer) armWake() {
	t := p.nextWake
	if t < 0 || p.stopped {
		return
	}
	if t <= p.now() {
		t = p.now() + time.Microsecond // never spin at one instant
	}
	if p.wake.timer.Queued() && p.wake.timer.At() == t {
		return
	}
	p.wake.timer.Cancel()
	p.ep.Sim.Arm(&p.wake.timer, t, &p.wake)
}

// requestMetadata asks for a metadata refresh, at most one per
// retry.backoff.ms (Kafka's metadata refresh backoff).
func (p *Producer) requestMetadata() {
	if p.metaAsked && p.now() < p.metaAskedAt+p.retryBackoff {
		p.wakeAt(p.metaAskedAt + p.retryBackoff)
		return
	}
	p.metaAsked, p.metaAskedAt = true, p.now()
	p.meta.refresh(p.onMetadata)
}

// expire fails batches at the head of each queue that are older than
// delivery.timeout.ms (RecordAccumulator.expiredBatches). Simplified: a
// batch in flight is failed when its request answers or times out
// (request.timeout.ms ≤ delivery.timeout.ms), not at the deadline itself.
func (p *Producer) expire(now time.Duration) {
	for _, q := range p.queues {
		for len(q.batches) > 0 {
			b := q.batches[0]
			if now-b.createdAt < p.deliveryTimeout {
				p.wakeAt(b.createdAt + p.deliveryTimeout)
				break
			}
			q.batches = popFront(q.batches)
			q.forget(b)
			if p.idempotent && b.baseSeq >= 0 && b.attempts > 0 {
				p.markUnresolved(q, b) // it may or may not be in the log
			}
			p.finishFailed(b, "TIMEOUT_EXCEPTION", fmt.Sprintf("Expiring %d record(s) for %s: %d ms has passed since batch creation (delivery.timeout.ms)",
				len(b.records), q.tp, (now-b.createdAt).Milliseconds()))
		}
	}
}

// ready is RecordAccumulator.ready: the brokers that lead a partition with a
// sendable first batch, sorted. It feeds each topic's queue lengths to the
// adaptive partitioner and notes the next time a batch becomes sendable.
// The result is reused by the next call.
func (p *Producer) ready(now time.Duration) (nodes []int32, unknownLeader bool) {
	exhausted := p.blocked == blockMemory
	completing := p.txn != nil && p.txn.completing()
	nodes = p.readyNodes[:0]
	qs := p.queues
	for i := 0; i < len(qs); {
		t, j := p.metadata(qs[i].topic), i
		for j < len(qs) && qs[j].topic == t {
			j++
		}
		topic, n := t.name, t.n
		// Kafka uses load stats once the producer has a queue for every partition.
		useLoads := p.adaptive && n > 0 && j-i >= n
		loads := p.loads[:0]
		for _, q := range qs[i:j] {
			leader := t.leader(q.tp.Partition)
			if leader >= 0 && useLoads {
				loads = append(loads, partition.Load{Partition: int(q.tp.Partition), Queued: len(q.batches), Stalled: p.stalled(leader)})
			}
			if len(q.batches) == 0 {
				continue
			}
			if leader < 0 {
				unknownLeader = true
				continue
			}
			if q.muted || slices.Contains(nodes, leader) {
				continue
			}
			b := q.batches[0]
			r := p.readiness(b, len(q.batches), now, exhausted || completing)
			if r.ready {
				nodes = append(nodes, leader)
			} else {
				p.wakeAt(r.at)
			}
		}
		p.loads = loads
		if len(loads) == 0 {
			loads = nil // no load stats
		}
		if n > 0 {
			p.part.UpdateLoad(topic, n, loads)
		}
		i = j
	}
	for i := 1; i < len(nodes); i++ { // sorted by insertion: a few distinct broker ids
		for j := i; j > 0 && nodes[j] < nodes[j-1]; j-- {
			nodes[j], nodes[j-1] = nodes[j-1], nodes[j]
		}
	}
	p.readyNodes = nodes
	return nodes, unknownLeader
}

// readiness is Kafka's batchReady for the first batch of a queue of
// queued batches: sendable when full (or not the only batch), after
// linger.ms (or, for a retry, after its backoff), when the buffer is
// exhausted, or while flushing, closing or completing a transaction; never
// while backing off. at is when it becomes sendable by waiting.
func (p *Producer) readiness(b *batch, queued int, now time.Duration, forced bool) (r struct {
	ready bool
	at    time.Duration
}) {
	backingOff := p.backingOff(b, now)
	wait := p.linger
	if backingOff {
		wait = b.backoff
	}
	full := queued > 1 || b.isFull(p.compression)
	sendable := full || now-b.lastAttempt >= wait || forced || p.closing || p.flushWait > 0
	r.ready = sendable && !backingOff
	r.at = b.lastAttempt + wait
	return r
}

// backingOff: a retried batch waits its backoff, unless the partition has a
// newer leader since it was sent (KIP-951).
func (p *Producer) backingOff(b *batch, now time.Duration) bool {
	if b.attempts == 0 || now-b.lastAttempt >= b.backoff {
		return false
	}
	return p.metadata(b.queue.topic).leaderEpoch(b.tp.Partition) <= b.epochSent
}

// drainNode is drainBatchesForOneNode: the first batch of each partition
// the broker leads, starting where the last drain stopped, up to
// max.request.size. With idempotence a batch gets its sequence here.
func (p *Producer) drainNode(node int32, now time.Duration) []*batch {
	parts := p.drainParts[:0]
	for _, q := range p.queues {
		if p.metadata(q.topic).leader(q.tp.Partition) == node {
			parts = append(parts, q)
		}
	}
	p.drainParts = parts
	if len(parts) == 0 {
		return nil
	}
	start, size := p.drainIndex[node]%len(parts), 0
	out := carveSlab(&p.pool.drained, len(parts), 4*requestSlab)
	for i := range parts {
		idx := (start + i) % len(parts)
		p.drainIndex[node] = idx
		q := parts[idx]
		if q.muted || len(q.batches) == 0 {
			continue
		}
		b := q.batches[0]
		if p.backingOff(b, now) {
			continue
		}
		if size+b.estimated(p.compression) > int(p.maxRequestSize) && len(out) > 0 {
			break
		}
		if p.stopDrain(q, b) {
			break
		}
		q.batches = popFront(q.batches)
		if p.idempotent && b.baseSeq < 0 {
			p.assignSequence(q, b)
		}
		p.closeBatch(b)
		q.drained = len(b.records)
		size += b.wireBytes
		q.inflight = append(q.inflight, b)
		if p.maxInFlight == 1 {
			q.muted = true // guaranteeMessageOrder
		}
		out = append(out, b)
	}
	return out
}

// stopDrain is shouldStopDrainBatchesForPartition: a transaction must have
// the partition, and idempotence has its ordering rules (stopDrainSequence).
func (p *Producer) stopDrain(q *partitionQueue, b *batch) bool {
	if p.txn != nil && !p.txn.sendAllowed(q.tp.Topic, q.tp.Partition) {
		return true
	}
	return p.idempotent && p.stopDrainSequence(q, b)
}

// forget removes a finished batch from the in-flight and unresolved lists.
func (q *partitionQueue) forget(b *batch) {
	q.inflight = without(q.inflight, b)
	q.unacked = without(q.unacked, b)
}

func without(list []*batch, b *batch) []*batch {
	for i, o := range list {
		if o == b {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// closeBatch is ProducerBatch.close: the records are built (and compressed)
// once, and the topic's compression ratio estimate learns from them.
func (p *Producer) closeBatch(b *batch) {
	b.closed = true
	if b.wireBytes > 0 {
		return // a retry: already built
	}
	b.recs = p.pool.settle(b.recs)
	b.built = p.wire(b)
	if p.compression == record.CompressionNone {
		b.wireBytes = b.rawBytes // recordBytes is exact
	} else {
		b.wireBytes = b.built.SizeInBytes()
	}
	if p.compression != record.CompressionNone && b.rawBytes > record.HeaderSize {
		p.observeRatio(b.tp.Topic, b.compressionRatio())
	}
}

// compressionRatio is compressed over uncompressed records (1 without a codec).
func (b *batch) compressionRatio() float64 {
	if b.wireBytes == 0 || b.rawBytes <= record.HeaderSize {
		return 1
	}
	return float64(b.wireBytes-record.HeaderSize) / float64(b.rawBytes-record.HeaderSize)
}

// wire is the batch as sent: a fresh record.Batch every time, since a
// request already on the network must never change; the records are
// shared, as nothing changes them once the batch is closed.
func (p *Producer) wire(b *batch) *record.Batch {
	recs := b.recs[:len(b.recs):len(b.recs)]
	out := p.pool.wire()
	*out = record.Batch{PartitionLeaderEpoch: record.NoPartitionLeaderEpoch, BaseTimestamp: b.baseTs, MaxTimestamp: b.maxTs,
		Attributes:      record.MakeAttributes(p.compression, record.CreateTime, p.txn != nil, false),
		LastOffsetDelta: int32(len(recs) - 1), ProducerID: record.NoProducerID, ProducerEpoch: record.NoProducerEpoch, BaseSequence: record.NoSequence, Records: recs}
	if b.baseSeq >= 0 {
		out.ProducerID, out.ProducerEpoch, out.BaseSequence = b.pid, b.epoch, b.baseSeq
	}
	return out
}

func (p *Producer) sendRequest(node int32, batches []*batch) {
	now := p.now()
	req := proto.ProduceRequest{Acks: p.acks, TimeoutMs: int32(p.requestTimeout / time.Millisecond), TransactionalID: p.transactionalID}
	records := 0
	for n, b := range batches {
		b.attempts++
		b.sentTo = node
		b.epochSent = p.metadata(b.queue.topic).leaderEpoch(b.tp.Partition)
		i := slices.IndexFunc(req.Topics, func(t proto.ProduceTopic) bool { return t.Name == b.tp.Topic })
		if i < 0 {
			i = len(req.Topics)
			if req.Topics == nil {
				req.Topics = carveSlab(&p.pool.topics, 1, requestSlab)
			}
			req.Topics = append(req.Topics, proto.ProduceTopic{Name: b.tp.Topic, Partitions: carveSlab(&p.pool.parts, len(batches)-n, 4*requestSlab)})
		}
		wb := b.built // built by closeBatch just now, or rebuilt for a retry
		if wb == nil {
			wb = p.wire(b)
		}
		b.built = nil
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, proto.ProducePartition{Index: b.tp.Partition, Batch: wb})
		p.m.drained(b, now)
		p.Stats.Batches++
		p.Stats.BatchBytes += int64(b.wireBytes)
		p.Stats.QueueTimeTotal += now - b.createdAt
		records += len(b.records)
	}
	p.Stats.Requests++
	p.m.request(now, records)
	p.opened(node)
	if p.acks == 0 {
		p.ep.Send(nodeOf(node), p.reqCells.Put(req))
		for _, b := range batches {
			p.completeBatch(b, proto.None, -1, "")
		}
		return
	}
	p.inflight[node]++
	r := p.pool.call()
	r.batches, r.sentAt = batches, now
	p.conns[node] = append(p.conns[node], r)
	p.ep.Call(nodeOf(node), p.reqCells.Put(req), p.requestTimeout, func(body any, code proto.ErrorCode) { p.onResponse(node, r, body, code) })
}

// requestsInFlight counts produce requests awaiting an answer.
func (s *sender) requestsInFlight() int {
	n := 0
	for _, c := range s.inflight {
		n += c
	}
	return n
}
