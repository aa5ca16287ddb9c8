package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

// partitionQueue is the RecordAccumulator's deque of batches for one partition.
type partitionQueue struct {
	batches []*batch
	nextSeq int32
}

// batch is a ProducerBatch: records bound for one partition.
type batch struct {
	tp        tpKey
	records   []pending
	bytes     int   // estimated encoded size
	alloc     int64 // bytes taken from buffer.memory
	createdAt time.Duration
	attempts  int
	retryAt   time.Duration
	inflight  bool
	baseSeq   int32 // -1 until first drained (idempotence)
	full      bool
}

type pending struct {
	msg    *Message
	sentAt time.Duration // when send() accepted it
	ts     int64         // CreateTime
	seq    int64
}

const batchOverhead = 61 // v2 batch header bytes

// recordSize is the exact encoded size of one record in a v2 batch.
func recordSize(m *Message, offsetDelta int32, tsDelta int64) int {
	b := record.Batch{Records: []record.Record{toRecord(m, offsetDelta, tsDelta)}}
	return b.SizeInBytes() - batchOverhead
}

func toRecord(m *Message, offsetDelta int32, tsDelta int64) record.Record {
	r := record.Record{OffsetDelta: offsetDelta, TimestampDelta: tsDelta}
	if !m.KeyNull {
		r.Key = append([]byte{}, m.Key...)
	}
	if !m.ValueNull {
		r.Value = append([]byte{}, m.Value...)
	}
	for _, h := range m.Headers {
		r.Headers = append(r.Headers, record.Header{Key: h.Key, Value: h.Value})
	}
	return r
}

// processSends runs the application's send() calls in order until one blocks.
func (p *Producer) processSends() {
	for len(p.sendQueue) > 0 {
		m := p.sendQueue[0]
		n := p.meta.partitions(m.Topic)
		if n == 0 {
			// send() waits for metadata (counted against max.block.ms).
			p.block(fmt.Sprintf("Topic %s not present in metadata after %d ms.", m.Topic, p.maxBlock.Milliseconds()))
			p.meta.refresh(func() { p.retryBlocked() })
			return
		}
		if m.Partition >= int32(n) {
			p.sendQueue = p.sendQueue[1:]
			p.fail(m.Topic, 1, "INVALID_PARTITION")
			p.emit("send_failed", fmt.Sprintf("partition %d of %s does not exist (it has %d)", m.Partition, m.Topic, n), nil)
			continue
		}
		part, sticky := int(m.Partition), false
		if part < 0 {
			part, sticky = p.part.Partition(m.Topic, m.Key, m.KeyNull, n, p.available(m.Topic, n))
		}
		size := recordSize(m, 0, 0)
		if int64(size+batchOverhead) > p.maxRequestSize || int64(size+batchOverhead) > p.bufferMemory {
			p.sendQueue = p.sendQueue[1:]
			p.fail(m.Topic, 1, "RECORD_TOO_LARGE")
			p.emit("send_failed", fmt.Sprintf("a record of %d bytes is larger than max.request.size or buffer.memory", size), nil)
			continue
		}
		tp := tpKey{m.Topic, int32(part)}
		q := p.queue(tp)
		last := q.last()
		if last == nil || last.inflight || last.full || last.attempts > 0 || last.bytes+size > int(p.batchSize) && len(last.records) > 0 {
			if last != nil {
				last.full = true
			}
			alloc := p.batchSize
			if int64(size+batchOverhead) > alloc {
				alloc = int64(size + batchOverhead)
			}
			if p.bufferUsed+alloc > p.bufferMemory {
				p.block(fmt.Sprintf("Failed to allocate memory within the configured max blocking time %d ms.", p.maxBlock.Milliseconds()))
				p.drain() // an exhausted buffer makes every batch sendable
				return
			}
			p.bufferUsed += alloc
			last = &batch{tp: tp, alloc: alloc, createdAt: p.now(), baseSeq: -1, bytes: batchOverhead}
			q.batches = append(q.batches, last)
		}
		before := last.bytes
		p.sendSeq++
		last.records = append(last.records, pending{msg: m, sentAt: p.now(), ts: p.epochMs + int64(p.now()/time.Millisecond), seq: p.sendSeq})
		last.bytes += size
		if last.bytes >= int(p.batchSize) {
			last.full = true
		}
		if sticky {
			p.part.OnAppend(m.Topic, part, last.bytes-before)
		}
		p.sendQueue = p.sendQueue[1:]
		p.unblock()
		p.Stats.Sent++
	}
	p.drain()
}

func (p *Producer) queue(tp tpKey) *partitionQueue {
	q := p.queues[tp]
	if q == nil {
		q = &partitionQueue{}
		p.queues[tp] = q
	}
	return q
}

func (q *partitionQueue) last() *batch {
	if len(q.batches) == 0 {
		return nil
	}
	return q.batches[len(q.batches)-1]
}

// available lists partitions of topic that have a leader.
func (p *Producer) available(topic string, n int) []int {
	var out []int
	for i := 0; i < n; i++ {
		if p.meta.leader(topic, int32(i)) >= 0 {
			out = append(out, i)
		}
	}
	return out
}

func (p *Producer) allBatchesFull(topic string, part int) bool {
	q := p.queues[tpKey{topic, int32(part)}]
	if q == nil {
		return true
	}
	for _, b := range q.batches {
		if !b.full && !b.inflight {
			return false
		}
	}
	return true
}

// block marks send() as blocked and arms the max.block.ms timeout.
func (p *Producer) block(why string) {
	if p.blocked {
		return
	}
	p.blocked = true
	p.blockedSince = p.now()
	p.blockTimer = p.ep.Sim.After(p.maxBlock, func() {
		if !p.blocked || len(p.sendQueue) == 0 || p.stopped {
			return
		}
		m := p.sendQueue[0]
		p.sendQueue = p.sendQueue[1:]
		p.blocked = false
		p.fail(m.Topic, 1, "TIMEOUT_EXCEPTION")
		p.emit("send_timeout", fmt.Sprintf("send() blocked for max.block.ms=%d and threw TimeoutException: %s", p.maxBlock.Milliseconds(), why),
			map[string]any{"error": "TIMEOUT_EXCEPTION", "topic": m.Topic})
		p.processSends()
	})
}

func (p *Producer) unblock() {
	if p.blocked {
		p.blocked = false
		p.blockTimer.Cancel()
		p.Stats.BlockedSendTime += p.now() - p.blockedSince
	}
}

func (p *Producer) retryBlocked() {
	if p.stopped {
		return
	}
	if p.blocked && len(p.sendQueue) > 0 && p.meta.partitions(p.sendQueue[0].Topic) == 0 {
		p.ep.Sim.After(p.retryBackoff, func() { p.meta.refresh(func() { p.retryBlocked() }) })
		return
	}
	p.processSends()
}
