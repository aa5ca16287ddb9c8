package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
)

// producers is a partition's idempotent-producer state: per producer id the
// epoch and the last five batches appended (Kafka's ProducerStateManager).
type producers map[int64]*producerEntry

type producerEntry struct {
	Epoch   int16
	Batches []batchMeta // oldest first, at most maxCachedBatches
}

type batchMeta struct {
	FirstSeq, LastSeq       int32
	FirstOffset, LastOffset int64
}

const maxCachedBatches = 5

func lastSeqOf(b *record.Batch) int32 {
	return int32((int64(b.BaseSequence) + int64(b.LastOffsetDelta)) % (1 << 31))
}

// check validates an idempotent batch before append. It returns the original
// batch when this one is a retried duplicate, or an error code.
func (ps producers) check(b *record.Batch) (*batchMeta, proto.ErrorCode) {
	if b.ProducerID < 0 {
		return nil, proto.None
	}
	e := ps[b.ProducerID]
	if e == nil {
		if b.BaseSequence != 0 {
			return nil, proto.OutOfOrderSequenceNumber
		}
		return nil, proto.None
	}
	switch {
	case b.ProducerEpoch < e.Epoch:
		return nil, proto.InvalidProducerEpoch
	case b.ProducerEpoch > e.Epoch:
		if b.BaseSequence != 0 {
			return nil, proto.OutOfOrderSequenceNumber
		}
		return nil, proto.None
	}
	last := lastSeqOf(b)
	for i := range e.Batches {
		if m := e.Batches[i]; m.FirstSeq == b.BaseSequence && m.LastSeq == last {
			return &e.Batches[i], proto.None
		}
	}
	if n := len(e.Batches); n > 0 {
		want := int32((int64(e.Batches[n-1].LastSeq) + 1) % (1 << 31))
		if b.BaseSequence != want {
			return nil, proto.OutOfOrderSequenceNumber
		}
	} else if b.BaseSequence != 0 { // only a marker leaves an epoch without batches
		return nil, proto.OutOfOrderSequenceNumber
	}
	return nil, proto.None
}

// record notes an appended batch (on leaders and followers alike, so a new
// leader already knows every producer's sequence).
func (ps producers) record(b *record.Batch) {
	if b.ProducerID < 0 {
		return
	}
	if b.IsControl() {
		// A transaction marker carries the coordinator's epoch for the
		// producer, bumped when it fenced an older instance or aborted a
		// timed-out transaction: from here on the partition refuses the
		// older epoch (ProducerAppendInfo.appendEndTxnMarker, which sets the
		// epoch and drops the cached batches when it changes).
		if e := ps[b.ProducerID]; e == nil || b.ProducerEpoch > e.Epoch {
			ps[b.ProducerID] = &producerEntry{Epoch: b.ProducerEpoch}
		}
		return
	}
	e := ps[b.ProducerID]
	if e == nil || b.ProducerEpoch > e.Epoch {
		e = &producerEntry{Epoch: b.ProducerEpoch}
		ps[b.ProducerID] = e
	}
	if len(e.Batches) == maxCachedBatches { // drop the oldest in place, keeping the array
		e.Batches = e.Batches[:copy(e.Batches, e.Batches[1:])]
	}
	e.Batches = append(e.Batches, batchMeta{FirstSeq: b.BaseSequence, LastSeq: lastSeqOf(b), FirstOffset: b.BaseOffset, LastOffset: b.LastOffset()})
}
