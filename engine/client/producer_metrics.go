package client

import (
	"math/bits"
	"time"

	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/brokerlab/brokerlab/engine/view"
)

// producerMetrics holds what Kafka's SenderMetrics sensors record.
type producerMetrics struct {
	batches, batchBytes, batchBytesMax int64
	batchHisto                         [len(batchBuckets) + 1]int64
	queueTime, queueTimeMax            time.Duration
	ratioSum                           float64
	requests, requestRecords           int64
	reqLatency, reqLatencyMax          time.Duration
	reqLatencyN                        int64
	recordRetries, recordErrors        int64
	splits                             int64
	recordLatency                      histogram
	sendWindow, requestWindow          window
}

// batchBuckets are the batch size histogram's upper bounds (bytes).
var batchBuckets = [...]int64{128, 256, 512, 1 << 10, 2 << 10, 4 << 10, 8 << 10, 16 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20}

// drained records one batch leaving the accumulator (batch-size,
// queue-time, compression-rate).
func (m *producerMetrics) drained(b *batch, now time.Duration) {
	m.batches++
	size := int64(b.wireBytes)
	m.batchBytes += size
	m.batchBytesMax = max(m.batchBytesMax, size)
	i := 0
	for i < len(batchBuckets) && size > batchBuckets[i] {
		i++
	}
	m.batchHisto[i]++
	qt := now - b.createdAt
	m.queueTime += qt
	m.queueTimeMax = max(m.queueTimeMax, qt)
	m.ratioSum += b.compressionRatio()
}

func (m *producerMetrics) request(now time.Duration, records int) {
	m.requests++
	m.requestRecords += int64(records)
	m.requestWindow.add(now, 1)
}

func (m *producerMetrics) latency(d time.Duration) {
	m.reqLatency += d
	m.reqLatencyMax = max(m.reqLatencyMax, d)
	m.reqLatencyN++
}

// window counts events over the last second of virtual time in ten 100 ms
// slots. Simplified: Kafka's rates average two 30 s samples
// (metrics.sample.window.ms); a playground needs a quicker needle.
type window struct {
	slot  [10]int64 // slot number + 1 (0: never used)
	count [10]int64
}

const slotLen = 100 * time.Millisecond

func (w *window) add(now time.Duration, n int64) {
	s := int64(now/slotLen) + 1
	i := s % 10
	if w.slot[i] != s {
		w.slot[i], w.count[i] = s, 0
	}
	w.count[i] += n
}

// rate is events per second over the last second (or since start).
func (w *window) rate(now, start time.Duration) float64 {
	s := int64(now/slotLen) + 1
	var sum int64
	for i := range w.slot {
		if w.slot[i] > s-10 && w.slot[i] <= s {
			sum += w.count[i]
		}
	}
	span := min(now-start, 9*slotLen+now%slotLen)
	span = max(span, slotLen)
	return float64(sum) / span.Seconds()
}

// histogram keeps durations in log-linear buckets (32 per power of two:
// under 3 % error) for percentiles without keeping every value.
type histogram struct {
	counts []int64
	n      int64
}

func bucketOf(us int64) int {
	if us < 32 {
		return int(max(us, 0))
	}
	e := bits.Len64(uint64(us)) - 5
	return 32 + (e-1)*16 + int(us>>e) - 16
}

// bucketMid is the middle of a bucket's range, in microseconds.
func bucketMid(i int) float64 {
	if i < 32 {
		return float64(i)
	}
	e := (i-32)/16 + 1
	m := int64((i-32)%16 + 16)
	return float64(m<<e) + float64(int64(1)<<e)/2
}

func (h *histogram) add(d time.Duration) {
	i := bucketOf(int64(d / time.Microsecond))
	for len(h.counts) <= i {
		h.counts = append(h.counts, 0)
	}
	h.counts[i]++
	h.n++
}

// quantile returns the q-th quantile in milliseconds (nearest rank).
func (h *histogram) quantile(q float64) float64 {
	rank := int64(q*float64(h.n)) + 1
	rank = min(rank, h.n)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return bucketMid(i) / 1000
		}
	}
	return 0
}

func msOf(d time.Duration) float64 { return float64(d/time.Microsecond) / 1000 }

// Metrics are the producer's metrics under Kafka's names (producer-metrics
// group), plus produce-latency p50/p99: send() to acknowledgement.
func (p *Producer) Metrics() map[string]float64 {
	m := &p.m
	now := p.now()
	out := map[string]float64{
		"buffer-total-bytes":            float64(p.bufferMemory),
		"buffer-available-bytes":        float64(p.BufferAvailable()),
		"waiting-threads":               0,
		"bufferpool-wait-time-ns-total": float64(p.Stats.BlockedSendTime.Nanoseconds()),
		"record-send-total":             float64(p.Stats.Sent),
		"record-send-rate":              m.sendWindow.rate(now, p.startedAt),
		"request-rate":                  m.requestWindow.rate(now, p.startedAt),
		"request-total":                 float64(m.requests),
		"record-retry-total":            float64(m.recordRetries),
		"record-error-total":            float64(m.recordErrors),
		"batch-split-total":             float64(m.splits),
		"requests-in-flight":            float64(p.requestsInFlight()),
		"compression-rate-avg":          1,
	}
	if p.blocked == blockMemory {
		out["waiting-threads"] = 1
	}
	if m.batches > 0 {
		out["batch-size-avg"] = float64(m.batchBytes) / float64(m.batches)
		out["batch-size-max"] = float64(m.batchBytesMax)
		out["record-queue-time-avg"] = msOf(m.queueTime) / float64(m.batches)
		out["record-queue-time-max"] = msOf(m.queueTimeMax)
		out["compression-rate-avg"] = m.ratioSum / float64(m.batches)
	}
	if m.requests > 0 {
		out["records-per-request-avg"] = float64(m.requestRecords) / float64(m.requests)
	}
	if m.reqLatencyN > 0 {
		out["request-latency-avg"] = msOf(m.reqLatency) / float64(m.reqLatencyN)
		out["request-latency-max"] = msOf(m.reqLatencyMax)
	}
	if m.recordLatency.n > 0 {
		out["produce-latency-p50-ms"] = m.recordLatency.quantile(0.50)
		out["produce-latency-p99-ms"] = m.recordLatency.quantile(0.99)
	}
	if p.metaSeen {
		out["metadata-age"] = (now - p.meta.lastAt).Seconds()
	}
	return out
}

// State describes the accumulator, the in-flight requests and the
// idempotence state for the UI.
func (p *Producer) State() view.ProducerState {
	now := p.now()
	s := view.ProducerState{ProducerID: p.pid, ProducerEpoch: p.pidEpoch, Compression: p.compression.String(),
		BatchSize: p.batchSize, LingerMs: p.linger.Milliseconds(), BufferMemory: p.bufferMemory, BufferUsed: p.bufferUsed,
		Closing: p.closing && !p.stopped, Closed: p.stopped, ResetPending: p.bump, Reordered: p.Stats.Reordered,
		MaxInFlight: p.maxInFlight, InFlight: []view.BrokerInFlight{}, Partitions: []view.ProducerPartition{}}
	if p.blocked != notBlocked {
		s.Blocked, s.BlockedForUS = p.blocked.String(), int64((now-p.blockedSince)/time.Microsecond)
	}
	for _, id := range sortedBrokers(p.inflight) {
		if p.inflight[id] > 0 {
			s.InFlight = append(s.InFlight, view.BrokerInFlight{Broker: id, Requests: p.inflight[id]})
		}
	}
	exhausted := p.blocked == blockMemory || p.txn != nil && p.txn.completing()
	for _, q := range p.queues {
		if len(q.batches) == 0 && len(q.inflight) == 0 && q.nextSeq == 0 {
			continue
		}
		ps := view.ProducerPartition{Topic: q.tp.Topic, Partition: q.tp.Partition, Leader: p.meta.leader(q.tp.Topic, q.tp.Partition), Muted: q.muted,
			Queued: []view.ProducerBatch{}, InFlight: []view.ProducerBatch{}, NextSequence: q.nextSeq, LastAckedSequence: q.acked}
		for i, b := range q.batches {
			bv := p.batchView(b, now)
			if i == 0 && ps.Leader < 0 {
				bv.State = "no_leader"
			} else if i == 0 {
				r := p.readiness(b, len(q.batches), now, exhausted)
				switch {
				case r.ready && !q.muted:
					bv.State = "ready"
				case p.backingOff(b, now):
					bv.State, bv.SendableInUS = "backoff", int64((r.at-now)/time.Microsecond)
				}
				if !r.ready && bv.State != "backoff" {
					bv.SendableInUS = int64(max(r.at-now, 0) / time.Microsecond)
				}
			}
			ps.Queued = append(ps.Queued, bv)
		}
		for _, b := range q.inflight {
			bv := p.batchView(b, now)
			bv.State, bv.Broker = "in_flight", b.sentTo
			ps.InFlight = append(ps.InFlight, bv)
		}
		s.Partitions = append(s.Partitions, ps)
	}
	if bi, ok := p.part.(*partition.BuiltIn); ok {
		for _, t := range sortedTopics(p.partCount) {
			if part, bytes, ok := bi.Sticky(t); ok {
				s.Sticky = append(s.Sticky, view.StickyPartition{Topic: t, Partition: part, Bytes: bytes})
			}
		}
	}
	for i, le := range batchBuckets {
		s.BatchSizeHisto = append(s.BatchSizeHisto, view.HistogramBucket{LE: le, Count: p.m.batchHisto[i]})
	}
	s.BatchSizeHisto = append(s.BatchSizeHisto, view.HistogramBucket{LE: -1, Count: p.m.batchHisto[len(batchBuckets)]})
	return s
}

func (p *Producer) batchView(b *batch, now time.Duration) view.ProducerBatch {
	v := view.ProducerBatch{Records: len(b.records), Bytes: b.estimated(p.compression), Capacity: max(b.alloc, p.batchSize),
		AgeUS: int64((now - b.createdAt) / time.Microsecond), State: "open", Attempts: b.attempts, BaseSequence: b.baseSeq}
	if b.isFull(p.compression) {
		v.State = "full"
	}
	return v
}

func sortedBrokers(m map[int32]int) []int32 {
	out := make([]int32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
