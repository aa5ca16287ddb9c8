package broker

import (
	"github.com/brokerlab/brokerlab/engine/trace"

	"errors"
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// slabs hand out the arrays of produce responses many at a time instead
// of one allocation each: a response lives until the producer has read it,
// each array is its response's alone, and a slab lives while any part of
// it is referenced. Responses holding batches (fetch) and the leader's
// batches are not carved from slabs: one kept by a reader would keep its
// slab's neighbours' records and page-cache bytes alive
// (TestMemoryDoesNotGrowWithHistory).
type slabs struct {
	topics []proto.ProduceTopicResponse
	parts  []proto.ProducePartitionResponse
}

// slabSize is how many items one slab allocation holds.
const slabSize = 64

// carve returns an empty slice with room for n items from *slab, refilled
// when short; the room is the slice's alone (capacity n).
func carve[T any](slab *[]T, n int) []T {
	if n > slabSize/4 {
		return make([]T, 0, n)
	}
	if cap(*slab)-len(*slab) < n {
		*slab = make([]T, 0, slabSize)
	}
	start := len(*slab)
	*slab = (*slab)[:start+n]
	return (*slab)[start : start : start+n]
}

// handleProduce appends each partition's batch on the leader (version 11
// semantics: acks 0/1/all, min.insync.replicas, idempotent dedup).
func (b *Broker) handleProduce(from sim.NodeID, req proto.Request, body proto.ProduceRequest) {
	if body.Acks != 0 && body.Acks != 1 && body.Acks != -1 {
		b.ep.Reply(from, req, b.invalidAcks(body))
		return
	}
	if b.verifyTransactions(from, req, body) {
		return // it runs again once the transaction coordinator has answered (txn_verify.go)
	}
	var resp proto.ProduceResponse
	if len(body.Topics) > 0 {
		resp.Topics = carve(&b.slabs.topics, len(body.Topics))
	}
	waits := b.purgatory.waitScratch[:0] // addProduce copies it
	b.actions.deferring = true
	defer b.actions.run(b) // after the request's own answer or wait, as KafkaApis runs tryCompleteActions
	for _, t := range body.Topics {
		tr := proto.ProduceTopicResponse{Name: t.Name}
		if len(t.Partitions) > 0 {
			tr.Partitions = carve(&b.slabs.parts, len(t.Partitions))
		}
		for _, p := range t.Partitions {
			tp := names.TopicPartition{Topic: t.Name, Partition: p.Index}
			pr, need := b.appendAsLeader(tp, p.Batch, body.Acks)
			if pr.ErrorCode != proto.None {
				b.Metrics.FailedProduceRequests++
			}
			if need >= 0 {
				waits.put(tp, need)
			}
			tr.Partitions = append(tr.Partitions, pr)
		}
		resp.Topics = append(resp.Topics, tr)
	}
	b.purgatory.waitScratch = waits[:0]
	switch {
	case body.Acks == 0:
		return // acks=0: the producer never hears back
	case len(waits) == 0:
		b.ep.Reply(from, req, b.produceResps.Put(resp))
	default:
		b.purgatory.addProduce(b, from, req, resp, waits, time.Duration(body.TimeoutMs)*time.Millisecond)
	}
}

// invalidAcks answers every partition INVALID_REQUIRED_ACKS and appends
// nothing, as Kafka's ReplicaManager.appendRecords does for acks other
// than 0, 1 and -1 (all).
func (b *Broker) invalidAcks(body proto.ProduceRequest) proto.ProduceResponse {
	var resp proto.ProduceResponse
	for _, t := range body.Topics {
		tr := proto.ProduceTopicResponse{Name: t.Name}
		for _, p := range t.Partitions {
			tp := names.TopicPartition{Topic: t.Name, Partition: p.Index}
			b.Metrics.FailedProduceRequests++
			b.emit("produce_rejected", &tp, fmt.Sprintf("acks=%d is not 0, 1 or -1 (all)", body.Acks), map[string]any{"error": proto.InvalidRequiredAcks.String()})
			tr.Partitions = append(tr.Partitions, proto.ProducePartitionResponse{Index: p.Index, ErrorCode: proto.InvalidRequiredAcks,
				BaseOffset: -1, LogAppendTime: -1, LogStartOffset: -1})
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp
}

// appendAsLeader appends one batch. need ≥ 0 is the HWM an acks=all answer waits for.
func (b *Broker) appendAsLeader(tp names.TopicPartition, in *record.Batch, acks int16) (pr proto.ProducePartitionResponse, need int64) {
	pr = proto.ProducePartitionResponse{Index: tp.Partition, BaseOffset: -1, LogAppendTime: -1, LogStartOffset: -1}
	need = -1
	r := b.replicas.get(tp.Topic, tp.Partition)
	fail := func(code proto.ErrorCode, msg string) (proto.ProducePartitionResponse, int64) {
		pr.ErrorCode, pr.ErrorMessage = code, msg
		b.emit("produce_rejected", &tp, msg, map[string]any{"error": code.String()})
		return pr, -1
	}
	switch {
	case r == nil && b.image.Partition(tp.Topic, tp.Partition) == nil: // a hosted replica's partition is always in the image
		return fail(proto.UnknownTopicOrPartition, fmt.Sprintf("broker %d does not know %s", b.opts.ID, tp))
	case r == nil || !r.IsLeader:
		return fail(proto.NotLeaderOrFollower, fmt.Sprintf("broker %d is not the leader of %s", b.opts.ID, tp))
	case in == nil || in.NumRecords() == 0:
		return fail(proto.CorruptMessage, fmt.Sprintf("empty batch for %s", tp))
	}
	pr.LogStartOffset = r.log.LogStartOffset()
	size := in.SizeInBytes() // the leader's stamps below change no field's width
	if max := r.maxMessageBytes; int64(size) > max {
		return fail(proto.MessageTooLarge, fmt.Sprintf("batch of %d bytes exceeds max.message.bytes=%d", size, max))
	}
	if acks == -1 && len(r.ISR) < r.minISR() {
		return fail(proto.NotEnoughReplicas, fmt.Sprintf("acks=all needs %d in-sync replicas but the ISR of %s is %v", r.minISR(), tp, r.ISR))
	}
	if keyless(in) && b.hasPolicy(r, "compact") { // Partition checks min ISR before LogValidator runs
		return fail(proto.InvalidRecord, fmt.Sprintf("Compacted topic cannot accept message without key in topic partition %s", tp))
	}
	dup, code := r.producers.check(in)
	if code == proto.None && in.IsTransactional() && !in.IsControl() {
		var msg string
		if code, msg = b.txnVerdict(tp, in.ProducerID, in.ProducerEpoch); code != proto.None {
			return fail(code, msg)
		}
	}
	if code != proto.None {
		return fail(code, fmt.Sprintf("producer %d epoch %d sequence %d rejected on %s: %s", in.ProducerID, in.ProducerEpoch, in.BaseSequence, tp, code))
	}
	if dup != nil {
		pr.BaseOffset = dup.FirstOffset
		b.emit("duplicate_dropped", &tp, fmt.Sprintf("a retried batch (producer %d, sequence %d–%d) is already at offset %d; not appended again", in.ProducerID, dup.FirstSeq, dup.LastSeq, dup.FirstOffset),
			map[string]any{"producer_id": in.ProducerID, "base_sequence": dup.FirstSeq, "offset": dup.FirstOffset})
		if acks == -1 && r.HWM <= dup.LastOffset {
			need = dup.LastOffset + 1
		}
		return pr, need
	}
	bt := new(record.Batch)
	*bt = *in // the leader stamps its own copy of the header; records are only read, so they are shared
	bt.BaseOffset = r.LEO()
	bt.PartitionLeaderEpoch = r.LeaderEpoch
	if r.logAppendTime {
		now := b.nowMs()
		bt.Attributes = record.MakeAttributes(bt.Compression(), record.LogAppendTime, bt.IsTransactional(), bt.IsControl())
		bt.MaxTimestamp = now
		pr.LogAppendTime = now
	}
	if err := r.log.Append(bt, b.now()); err != nil {
		var fe *log.FlushError
		if !errors.As(err, &fe) {
			return fail(proto.KafkaStorageError, fmt.Sprintf("broker %d could not append to %s: %v", b.opts.ID, tp, err))
		}
		b.noteFlushError(r, fe.Err) // appended to the page cache; only the flush failed
	} else if r.flushFailing && r.log.UnflushedMessages() == 0 {
		b.noteFlushError(r, nil)
	}
	r.producers.record(bt)
	b.Metrics.BytesInTotal += int64(size)
	b.Metrics.MessagesInTotal += int64(bt.NumRecords())
	pr.BaseOffset = bt.BaseOffset
	b.emitFields("appended", &tp, "", trace.Int("acks", acks), trace.Int("base_offset", bt.BaseOffset), trace.Int("bytes", size), trace.Int("leader_epoch", bt.PartitionLeaderEpoch), trace.Int("records", bt.NumRecords()))
	b.maybeAdvanceHWM(r)
	if b.actions.deferring {
		b.actions.fetch = true // a follower's fetch waits for the request's other partitions
	} else {
		b.purgatory.checkFetch(b)
	}
	if acks == -1 && r.HWM < bt.NextOffset() {
		need = bt.NextOffset()
	}
	return pr, need
}

// keyless reports whether a data batch holds a record with a null key
// (LogValidator.validateKey: a compacted topic rejects the whole batch with
// INVALID_RECORD; control records always carry a key).
func keyless(bt *record.Batch) bool {
	if bt.IsControl() {
		return false
	}
	for i := range bt.Records {
		if bt.Records[i].Key == nil {
			return true
		}
	}
	return false
}
