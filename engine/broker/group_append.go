package broker

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// topicHost is coordinator.Host for one internal topic of a broker.
type topicHost struct {
	h     *groupHost
	topic string
}

func (t topicHost) Now() time.Duration {
	if b := t.h.live(); b != nil {
		return b.now()
	}
	return 0
}

func (t topicHost) After(d time.Duration, fn func()) {
	if b := t.h.live(); b != nil {
		b.after(d, fn)
	}
}

func (t topicHost) LeaderEpoch(p int32) (int32, bool) {
	b := t.h.live()
	if b == nil {
		return -1, false
	}
	r := b.replicas.get(t.topic, p)
	if r == nil || !r.IsLeader {
		return -1, false
	}
	return r.LeaderEpoch, true
}

func (t topicHost) Read(p int32) []coordinator.Record {
	b := t.h.live()
	if b == nil {
		return nil
	}
	r := b.replicas.get(t.topic, p)
	if r == nil {
		return nil
	}
	var out []coordinator.Record
	for off := r.log.LogStartOffset(); off < r.LEO(); {
		batches, err := r.log.Read(off, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		for _, bt := range batches {
			off = bt.NextOffset()
			if bt.IsControl() {
				continue
			}
			for _, rec := range bt.Records {
				out = append(out, coordinator.Record{Key: rec.Key, Value: rec.Value})
			}
		}
	}
	return out
}

func (t topicHost) Append(p int32, recs []coordinator.Record, done func(code proto.ErrorCode)) {
	b := t.h.live()
	if b == nil {
		return
	}
	rs := make([]record.Record, len(recs))
	for i, r := range recs {
		rs[i] = record.Record{Key: r.Key, Value: r.Value}
	}
	t.h.appendLocal(b, names.TopicPartition{Topic: t.topic, Partition: p}, record.NewBatch(b.nowMs(), rs...), done)
}

func (t topicHost) Emit(kind, msg string, data map[string]any) {
	if b := t.h.live(); b != nil {
		b.emit(kind, nil, msg, data)
	}
}

// appendWait is a request a broker sends itself: answer once the HWM of TP
// reaches Need. It parks in the produce purgatory like an acks=all produce.
type appendWait struct {
	TP      names.TopicPartition
	Need    int64
	Timeout time.Duration
}

// appendLocal appends a batch to tp as its leader from inside the broker
// (the coordinators' writes, like Kafka's internal appendRecords with
// acks=all) and calls done once it is replicated or failed. Simplified:
// the wait for replication goes through a loopback request to the broker
// itself so that it can park in the produce purgatory.
func (h *groupHost) appendLocal(b *Broker, tp names.TopicPartition, bt *record.Batch, done func(code proto.ErrorCode)) {
	pr, need := b.appendAsLeader(tp, bt, -1)
	h.awaitHWM(b, tp, pr.ErrorCode, need, done)
}

// awaitHWM calls done (never synchronously) once tp's HWM reached need.
func (h *groupHost) awaitHWM(b *Broker, tp names.TopicPartition, code proto.ErrorCode, need int64, done func(code proto.ErrorCode)) {
	if code != proto.None || need < 0 {
		b.after(0, func() { done(code) })
		return
	}
	timeout := time.Duration(b.opts.Config.Int64("offsets.commit.timeout.ms")) * time.Millisecond
	b.ep.Call(b.ep.ID, appendWait{TP: tp, Need: need, Timeout: timeout}, timeout+time.Second, func(body any, code proto.ErrorCode) {
		if h.live() == nil {
			return
		}
		if resp, ok := proto.TakeProduceResponse(body); ok && code == proto.None {
			code = proto.None
			for _, t := range resp.Topics {
				for _, p := range t.Partitions {
					code = p.ErrorCode
				}
			}
		}
		done(code)
	})
}

func (h *groupHost) handleAppendWait(b *Broker, from sim.NodeID, req proto.Request, w appendWait) {
	resp := proto.ProduceResponse{Topics: []proto.ProduceTopicResponse{{Name: w.TP.Topic, Partitions: []proto.ProducePartitionResponse{{Index: w.TP.Partition}}}}}
	r := b.replicas.get(w.TP.Topic, w.TP.Partition)
	switch {
	case r == nil || !r.IsLeader:
		resp.Topics[0].Partitions[0].ErrorCode = proto.NotLeaderOrFollower
		b.ep.Reply(from, req, resp)
	case r.HWM >= w.Need:
		b.ep.Reply(from, req, resp)
	default:
		b.purgatory.addProduce(b, from, req, resp, produceWaits{{w.TP, w.Need}}, w.Timeout)
	}
}

// Control records (Kafka's EndTransactionMarker): the key is version 0 and
// the type (0 abort, 1 commit), the value version 0 and the coordinator epoch.
func controlKey(commit bool) []byte {
	if commit {
		return []byte{0, 0, 0, 1}
	}
	return []byte{0, 0, 0, 0}
}

func controlValue(coordinatorEpoch int32) []byte {
	e := uint32(coordinatorEpoch)
	return []byte{0, 0, byte(e >> 24), byte(e >> 16), byte(e >> 8), byte(e)}
}

// IsCommitMarker reports whether a control batch is a COMMIT marker.
func IsCommitMarker(bt *record.Batch) bool {
	return bt.IsControl() && len(bt.Records) == 1 && len(bt.Records[0].Key) == 4 && bt.Records[0].Key[3] == 1
}

// appendMarker appends a transaction marker (a control batch) as leader.
// Simplified: Kafka also refuses a marker whose epoch is older than the
// producer state's.
func (h *groupHost) appendMarker(b *Broker, tp names.TopicPartition, m proto.WritableTxnMarker, done func(code proto.ErrorCode)) {
	r := b.replicas.get(tp.Topic, tp.Partition)
	if r == nil || !r.IsLeader {
		b.after(0, func() { done(proto.NotLeaderOrFollower) })
		return
	}
	now := b.nowMs()
	bt := &record.Batch{BaseOffset: r.LEO(), PartitionLeaderEpoch: r.LeaderEpoch,
		Attributes: record.MakeAttributes(record.CompressionNone, record.CreateTime, true, true), BaseTimestamp: now, MaxTimestamp: now,
		ProducerID: m.ProducerID, ProducerEpoch: m.ProducerEpoch, BaseSequence: -1,
		Records: []record.Record{{Key: controlKey(m.Committed), Value: controlValue(m.CoordinatorEpoch)}}}
	if err := r.log.Append(bt, b.now()); err != nil {
		b.after(0, func() { done(proto.KafkaStorageError) })
		return
	}
	r.producers.record(bt) // the marker's epoch fences older producer epochs, as on followers
	kind := "ABORT"
	if m.Committed {
		kind = "COMMIT"
	}
	b.emit("txn_marker_written", &tp, fmt.Sprintf("broker %d writes a %s marker for producer %d (transactional id %s) at offset %d of %s", b.opts.ID, kind, m.ProducerID, m.TransactionalID, bt.BaseOffset, tp),
		map[string]any{"offset": bt.BaseOffset, "producer_id": m.ProducerID, "producer_epoch": m.ProducerEpoch, "committed": m.Committed, "transactional_id": m.TransactionalID})
	b.maybeAdvanceHWM(r)
	b.purgatory.checkFetch(b)
	h.wakeReadCommitted()
	need := int64(-1)
	if r.HWM < bt.NextOffset() {
		need = bt.NextOffset()
	}
	h.awaitHWM(b, tp, proto.None, need, done)
}
