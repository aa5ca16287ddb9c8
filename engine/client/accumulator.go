package client

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/record"
)

// accumulator is Kafka's RecordAccumulator with its BufferPool: one deque
// of batches per partition, the memory they hold, the compression ratio
// estimates and the per-broker drain state. Methods that touch only this
// state are its own; those that also reach the metadata, the sender or the
// application thread (send, released) are the Producer's. Simplified: the
// BufferPool only counts the bytes batches hold against buffer.memory
// (bufferUsed); pool recycles the engine's own batch structures.
type accumulator struct {
	linger, deliveryTimeout time.Duration
	batchSize, bufferMemory int64
	adaptive                bool          // partitioner.adaptive.partitioning.enable
	availabilityTimeout     time.Duration // partitioner.availability.timeout.ms
	compression             record.Compression

	queues     []*partitionQueue       // every partition with a queue, by topic and partition
	topics     map[string]*topicQueues // the same by topic
	lastTopic  *topicQueues            // the topic looked up last
	pool       batchPool
	bufferUsed int64
	ratio      map[string]float64     // CompressionRatioEstimator, per topic
	flushWait  int                    // batches a flush() still waits for
	partCount  map[string]int         // partitions per topic as last seen (onMetadata)
	drainIndex map[int32]int          // the partition a broker's next drain starts at
	nodeStats  map[int32]*nodeLatency // NodeLatencyStats
}

// partitionQueue is the RecordAccumulator's deque of one partition plus the
// sender's and the idempotence state for it.
type partitionQueue struct {
	tp       names.TopicPartition
	topic    *topicQueues
	batches  []*batch // not sent yet, or back for a retry (Kafka's Deque<ProducerBatch>)
	inflight []*batch // in a produce request now
	unacked  []*batch // sent at least once, not done; by sequence (TransactionManager's inflight batches)
	muted    bool     // max.in.flight.requests.per.connection=1: one batch at a time
	nextSeq  int32
	acked    int32 // last acknowledged sequence, -1 before any
	pid      int64 // producer id and epoch the sequences belong to
	epoch    int16
	// unresolved is the sequence after a batch that expired after being
	// sent (it may or may not be in the log), -1 if none; rewrite asks for
	// the partition's sequences to start over at the next epoch bump.
	unresolved int32
	rewrite    bool
	hiSeq      int64 // highest send() order acknowledged, and its offset (reorder detection)
	hiOffset   int64
	drained    int // records in the batch drained last: room reserved in a new batch
}

// topicQueues are one topic's partition queues by partition, and the
// topic's metadata as send() needs it, copied when the metadata changes
// rather than looked up for every record.
type topicQueues struct {
	name    string
	parts   []*partitionQueue // by partition; nil where there is no queue yet
	counted bool              // in partCount
	gen     uint64            // the metadata generation of n, leaders and avail
	n       int               // partitions
	leaders []int32           // by partition, -1 without a leader
	epochs  []int32           // leader epochs by partition
	avail   []int             // partitions with a leader
}

// leader is the partition's leader as of the last metadata call, or -1.
func (t *topicQueues) leader(part int32) int32 {
	if int(part) < len(t.leaders) {
		return t.leaders[part]
	}
	return -1
}

// leaderEpoch is the partition's leader epoch as of the last metadata
// call, or -1.
func (t *topicQueues) leaderEpoch(part int32) int32 {
	if int(part) < len(t.epochs) {
		return t.epochs[part]
	}
	return -1
}

// topic returns a topic's queues, created empty on first use.
func (a *accumulator) topic(name string) *topicQueues {
	if t := a.lastTopic; t != nil && t.name == name {
		return t
	}
	t := a.topics[name]
	if t == nil {
		t = &topicQueues{name: name}
		a.topics[name] = t
	}
	a.lastTopic = t
	return t
}

// batch is a ProducerBatch: records bound for one partition.
type batch struct {
	tp          names.TopicPartition
	queue       *partitionQueue
	records     []pending       // send() calls, one per record
	recs        []record.Record // the records, as sent (shared with every request: never changed)
	baseTs      int64           // CreateTime of the first record, and the latest
	maxTs       int64
	rawBytes    int           // uncompressed size: batch header + records
	alloc       int64         // bytes taken from buffer.memory: the batch's write limit
	ratio       float64       // estimated compressed/uncompressed when created
	closed      bool          // no more appends (closeForRecordAppends, or drained)
	wireBytes   int           // size on the wire once drained (compressed if a codec is set)
	built       *record.Batch // wire form from closeBatch, until sendRequest takes it
	createdAt   time.Duration
	lastAttempt time.Duration // creation, then every requeue (Kafka's lastAttemptMs)
	sentTo      int32         // broker of its last request
	attempts    int           // times sent
	backoff     time.Duration // retry backoff drawn when requeued
	epochSent   int32         // leader epoch known when last sent (KIP-951)
	baseSeq     int32         // -1 until first drained (idempotence)
	pid         int64         // producer id and epoch that go with baseSeq
	epoch       int16
	seqReset    bool // its sequence was rewritten by an epoch bump
	flushWait   bool
	done        bool
}

// pending is what the producer remembers of a send() call besides its
// record (batch.recs, same index).
type pending struct {
	callAt time.Duration // when send() was called (after any earlier blocked call)
	seq    int64         // order of send() calls
}

// Kafka's CompressionRatioEstimator and MemoryRecordsBuilder constants.
const (
	ratioDeteriorateStep = 0.05
	ratioImproveStep     = 0.005
	ratioEstimateFactor  = 1.05
)

// estimated is the batch's size as Kafka's MemoryRecordsBuilder estimates
// it while open: exact without compression, else the uncompressed records
// times the topic's estimated ratio and a 5 % safety factor.
func (b *batch) estimated(c record.Compression) int {
	if b.closed && b.wireBytes > 0 {
		return b.wireBytes
	}
	if c == record.CompressionNone {
		return b.rawBytes
	}
	return record.HeaderSize + int(float64(b.rawBytes-record.HeaderSize)*b.ratio*ratioEstimateFactor)
}

// isFull is ProducerBatch.isFull: closed, or at its write limit.
func (b *batch) isFull(c record.Compression) bool {
	return b.closed || len(b.records) > 0 && b.alloc <= int64(b.estimated(c))
}

// hasRoomFor is MemoryRecordsBuilder.hasRoomFor: the first record always
// fits; later ones while the estimate plus the record stays in the limit.
func (b *batch) hasRoomFor(c record.Compression, size int) bool {
	if b.isFull(c) {
		return false
	}
	return len(b.records) == 0 || b.alloc >= int64(b.estimated(c)+size)
}

// recordBytes is the exact size of m as a v2 record with these deltas,
// from engine/record's encoder (send() sizes a record before it copies it).
func recordBytes(m *Message, offsetDelta int32, tsDelta int64) int {
	r := record.Record{OffsetDelta: offsetDelta, TimestampDelta: tsDelta, Key: m.Key, Value: m.Value, Headers: m.Headers}
	if m.KeyNull {
		r.Key = nil
	}
	if m.ValueNull {
		r.Value = nil
	}
	return r.SizeInBytes()
}

// upperBound is Kafka's estimateSizeInBytesUpperBound: a batch header and
// the record with the largest possible deltas.
func upperBound(m *Message) int {
	return record.HeaderSize + recordBytes(m, math.MaxInt32, math.MaxInt64)
}

// toRecord is m as a record with these deltas, its key and value copied
// into a (send() serializes: the caller may reuse its buffers), its
// headers shared.
func toRecord(m *Message, offsetDelta int32, tsDelta int64, a *byteArena) record.Record {
	r := record.Record{OffsetDelta: offsetDelta, TimestampDelta: tsDelta}
	if !m.KeyNull {
		r.Key = a.copy(m.Key)
	}
	if !m.ValueNull {
		r.Value = a.copy(m.Value)
	}
	if len(m.Headers) > 0 {
		r.Headers = m.Headers[:len(m.Headers):len(m.Headers)]
	}
	return r
}

// send runs one send() call; false means it blocked.
func (p *Producer) send(m *Message) bool {
	if p.txn != nil {
		if class, msg := p.txn.sendError(); class != "" {
			p.unblock()
			p.fail(1, class)
			p.emit("send_failed", msg, map[string]any{"error": class, "topic": m.Topic})
			return true
		}
	}
	t := p.metadata(p.topic(m.Topic))
	n := t.n
	if n == 0 || m.Partition >= int32(n) {
		// waitOnMetadata: counted against max.block.ms
		why := fmt.Sprintf("Topic %s not present in metadata after %d ms.", m.Topic, p.maxBlock.Milliseconds())
		if n > 0 {
			why = fmt.Sprintf("Partition %d of topic %s with partition count %d is not present in metadata after %d ms.", m.Partition, m.Topic, n, p.maxBlock.Milliseconds())
		}
		p.blockOn(blockMetadata, why)
		p.awaitMetadata()
		return false
	}
	if !t.counted {
		t.counted = true
		if _, ok := p.partCount[m.Topic]; !ok {
			p.partCount[m.Topic] = n
		}
	}
	bound := upperBound(m)
	if int64(bound) > p.maxRequestSize || int64(bound) > p.bufferMemory {
		p.unblock()
		p.fail(1, "RECORD_TOO_LARGE")
		p.emit("send_failed", fmt.Sprintf("The message is %d bytes when serialized which is larger than max.request.size (%d) or buffer.memory (%d).", bound, p.maxRequestSize, p.bufferMemory),
			map[string]any{"error": "RECORD_TOO_LARGE", "topic": m.Topic, "bytes": bound})
		return true
	}
	part, sticky := int(m.Partition), false
	if part < 0 {
		// t.avail is shared: the partitioner copies what it keeps
		part, sticky = p.part.Partition(m.Topic, m.Key, m.KeyNull, n, t.avail)
	}
	q := p.queue(t, int32(part))
	tp := q.tp
	now := p.now()
	ts := p.epochMs + int64(now/time.Millisecond)
	last := q.last()
	size := 0
	if last != nil {
		size = recordBytes(m, int32(len(last.recs)), ts-last.baseTs)
	}
	newBatch := last == nil || !last.hasRoomFor(p.compression, size)
	if newBatch {
		if last != nil {
			last.closed = true // closeForRecordAppends
		}
		alloc := max(p.batchSize, int64(bound))
		if p.bufferUsed+alloc > p.bufferMemory {
			p.blockOn(blockMemory, fmt.Sprintf("Failed to allocate memory within the configured max blocking time %d ms.", p.maxBlock.Milliseconds()))
			p.wakeSoon() // an exhausted buffer makes every batch sendable
			return false
		}
		p.bufferUsed += alloc
		last = p.pool.newBatch()
		last.tp, last.queue, last.alloc, last.ratio, last.createdAt, last.lastAttempt = tp, q, alloc, p.ratioFor(m.Topic), now, now
		last.baseSeq, last.rawBytes, last.sentTo, last.baseTs, last.maxTs = -1, record.HeaderSize, -1, ts, ts
		if want := max(q.drained, 1); cap(last.records) < want {
			last.records = make([]pending, 0, want)
		}
		if want := max(q.drained, 1); cap(last.recs) < want {
			last.recs = make([]record.Record, 0, want)
		}
		q.batches = append(q.batches, last)
		size = recordBytes(m, 0, 0)
	}
	before, wasFull := last.estimated(p.compression), last.isFull(p.compression)
	if newBatch {
		before = 0
	}
	callAt := now
	if p.blocked != notBlocked {
		callAt = p.blockedSince
	}
	p.unblock()
	p.sendSeq++
	last.records = append(last.records, pending{callAt: callAt, seq: p.sendSeq})
	last.recs = append(last.recs, toRecord(m, int32(len(last.recs)), ts-last.baseTs, &p.arena))
	last.maxTs = max(last.maxTs, ts)
	last.rawBytes += size
	if sticky {
		p.part.OnAppend(m.Topic, part, last.estimated(p.compression)-before)
	}
	if p.txn != nil {
		p.txn.onAppend(tp.Topic, tp.Partition)
	}
	p.Stats.Sent++
	p.m.sendWindow.add(now, 1)
	if newBatch || !wasFull && last.isFull(p.compression) || p.flushWait > 0 {
		// Kafka wakes the sender for a new or full batch (and, redundantly,
		// for every append behind one); the engine runs it on a change only.
		p.wakeSoon()
	}
	return true
}

// queue returns a partition's queue, created on first use.
func (p *Producer) queue(t *topicQueues, part int32) *partitionQueue {
	if int(part) < len(t.parts) && t.parts[part] != nil {
		return t.parts[part]
	}
	for len(t.parts) <= int(part) {
		t.parts = append(t.parts, nil)
	}
	tp := names.TopicPartition{Topic: t.name, Partition: part}
	q := &partitionQueue{tp: tp, topic: t, acked: -1, hiSeq: -1, unresolved: -1, pid: p.pid, epoch: p.pidEpoch}
	t.parts[part] = q
	i := sort.Search(len(p.queues), func(i int) bool { return names.Compare(p.queues[i].tp, tp) >= 0 })
	p.queues = append(p.queues, nil)
	copy(p.queues[i+1:], p.queues[i:])
	p.queues[i] = q
	return q
}

// lookupQueue returns a partition's queue, nil if it has none.
func (a *accumulator) lookupQueue(topic string, part int32) *partitionQueue {
	t := a.lastTopic
	if t == nil || t.name != topic {
		if t = a.topics[topic]; t == nil {
			return nil
		}
	}
	if int(part) < len(t.parts) {
		return t.parts[part]
	}
	return nil
}

func (q *partitionQueue) last() *batch {
	if len(q.batches) == 0 {
		return nil
	}
	return q.batches[len(q.batches)-1]
}

// lastBatchFull is the accumulator's allBatchesFull: only the last batch
// of a deque can be incomplete, so the sticky partition may switch once it
// is full.
func (a *accumulator) lastBatchFull(topic string, part int) bool {
	q := a.lookupQueue(topic, int32(part))
	return q == nil || q.last() == nil || q.last().isFull(a.compression)
}

// ratioFor is CompressionRatioEstimator.estimation: 1.0 until batches of
// the topic were compressed.
func (a *accumulator) ratioFor(topic string) float64 {
	if r, ok := a.ratio[topic]; ok {
		return r
	}
	return 1
}

// observeRatio is CompressionRatioEstimator.updateEstimation: the estimate
// jumps up to a worse ratio at once and creeps down to a better one.
func (a *accumulator) observeRatio(topic string, observed float64) {
	cur := a.ratioFor(topic)
	switch {
	case observed > cur:
		a.ratio[topic] = max(cur+ratioDeteriorateStep, observed)
	case observed < cur:
		a.ratio[topic] = max(cur-ratioImproveStep, observed)
	}
}

// beginFlush is RecordAccumulator.beginFlush: every batch incomplete now
// makes flush() wait, and all batches are sendable until they are done.
func (a *accumulator) beginFlush() {
	for _, q := range a.queues {
		for _, list := range [][]*batch{q.batches, q.inflight} {
			for _, b := range list {
				if !b.flushWait && !b.done {
					b.flushWait = true
					a.flushWait++
				}
			}
		}
	}
}

// released returns a finished batch's memory and lets waiting calls on.
func (p *Producer) released(b *batch) {
	b.done = true
	p.bufferUsed -= b.alloc
	b.alloc = 0
	if b.flushWait {
		b.flushWait = false
		p.flushWait--
		if p.flushWait == 0 && p.blocked == blockFlush {
			p.emit("producer_flushed", fmt.Sprintf("flush() of producer %s returned after %d ms", p.name, (p.now()-p.blockedSince).Milliseconds()), nil)
			p.blocked = notBlocked
			p.popCall()
			p.ep.Sim.After(0, p.processCalls)
		}
	}
	if p.blocked == blockMemory {
		p.ep.Sim.After(0, p.retrySend)
	}
}

// noteNodeLatency is RecordAccumulator.updateNodeLatencyStats: a broker
// with ready batches, and whether the sender could drain to it, for the
// adaptive partitioner's partitioner.availability.timeout.ms.
func (a *accumulator) noteNodeLatency(node int32, now time.Duration, canDrain bool) {
	if a.availabilityTimeout <= 0 {
		return
	}
	s := a.nodeStats[node]
	if s == nil {
		s = &nodeLatency{now, now}
		a.nodeStats[node] = s
	}
	if canDrain {
		s.drain = now
	}
	s.ready = now
}

// stalled is how long a broker has had ready batches it could not take.
func (a *accumulator) stalled(node int32) time.Duration {
	if s := a.nodeStats[node]; s != nil {
		return s.ready - s.drain
	}
	return 0
}

// hasIncomplete is RecordAccumulator.hasIncomplete: batches queued or in
// flight.
func (a *accumulator) hasIncomplete() bool {
	for _, q := range a.queues {
		if len(q.batches) > 0 || len(q.inflight) > 0 {
			return true
		}
	}
	return false
}

// nodeLatency is the accumulator's NodeLatencyStats: when a broker last had
// ready batches and when the sender last could drain them to it.
type nodeLatency struct{ ready, drain time.Duration }
