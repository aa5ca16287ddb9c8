package log

import (
	"github.com/brokerlab/brokerlab/engine/record"
)

// deleteHorizonFlag is bit 6 of a v2 batch's attributes (Kafka's
// DefaultRecordBatch.DELETE_HORIZON_FLAG_MASK, KIP-534): when set, the
// batch's base timestamp holds the delete horizon — the wall-clock time
// after which the cleaner may drop the batch's tombstones — and the record
// timestamp deltas are relative to it, so every record keeps its timestamp.
const deleteHorizonFlag int16 = 0x40

// DeleteHorizon returns the batch's delete horizon, if the cleaner set one.
func DeleteHorizon(b *record.Batch) (int64, bool) {
	if b.Attributes&deleteHorizonFlag == 0 {
		return 0, false
	}
	return b.BaseTimestamp, true
}

// cleanFilter decides which records of the cleaned segments survive
// (Kafka's Cleaner.shouldRetainRecord and checkBatchRetention).
type cleanFilter struct {
	latest            map[string]int64 // key → its latest offset in the dirty section
	upper             int64            // first uncleanable offset
	nowMs             int64
	deleteRetentionMs int64
	retainEmpty       func(producerID, lastOffset int64) bool
	res               *CleanResult
}

// filter returns b itself when every record stays and nothing changes, a
// rebuilt batch with the kept records (same base offset and last offset:
// offsets never move), or nil when the whole batch goes.
func (f *cleanFilter) filter(b *record.Batch) *record.Batch {
	if b.IsControl() {
		return b // transaction markers stay (simplification)
	}
	horizon, hasHorizon := DeleteHorizon(b)
	kept := make([]int, 0, len(b.Records))
	tombstones := false
	for i, r := range b.Records {
		f.res.RecordsRead++
		if f.retain(b, r, horizon, hasHorizon) {
			kept = append(kept, i)
			tombstones = tombstones || r.Value == nil
		} else {
			f.res.RecordsRemoved++
		}
	}
	needHorizon := tombstones && !hasHorizon
	switch {
	case len(kept) == len(b.Records) && !needHorizon:
		return b
	case len(kept) == 0 && !f.keepEmpty(b):
		return nil
	}
	nb := *b
	nb.Records = make([]record.Record, len(kept))
	newBase := b.BaseTimestamp
	if needHorizon {
		newBase = f.nowMs + f.deleteRetentionMs
		nb.Attributes |= deleteHorizonFlag
		nb.BaseTimestamp = newBase
	}
	if nb.TimestampType() == record.CreateTime {
		nb.MaxTimestamp = record.NoTimestamp // recomputed from the kept records, as Kafka's builder does
	}
	for j, i := range kept {
		r := b.Records[i]
		ts := b.BaseTimestamp + r.TimestampDelta
		r.TimestampDelta = ts - newBase
		nb.Records[j] = r
		if nb.TimestampType() == record.CreateTime && ts > nb.MaxTimestamp {
			nb.MaxTimestamp = ts
		}
	}
	return &nb
}

// retain is Kafka's shouldRetainRecord: a record stays if it is the latest
// for its key (or its key is not in the dirty section's map) — and, for a
// tombstone, while its batch's delete horizon has not passed. Records past
// the cleaned range stay; keyless records go.
func (f *cleanFilter) retain(b *record.Batch, r record.Record, horizon int64, hasHorizon bool) bool {
	off := b.BaseOffset + int64(r.OffsetDelta)
	if off >= f.upper {
		return true
	}
	if r.Key == nil {
		f.res.KeylessRemoved++
		return false
	}
	if latest, ok := f.latest[string(r.Key)]; ok && off < latest {
		return false
	}
	if r.Value == nil && hasHorizon && f.nowMs >= horizon {
		f.res.TombstonesRemoved++
		return false
	}
	return true
}

// keepEmpty is Kafka's RETAIN_EMPTY: the last batch of an active producer
// (its sequence numbers), and the batch ending right at the cleaned range's
// end (so the last offset before the uncleanable part survives).
func (f *cleanFilter) keepEmpty(b *record.Batch) bool {
	if b.NextOffset() == f.upper {
		return true
	}
	return b.ProducerID >= 0 && f.retainEmpty != nil && f.retainEmpty(b.ProducerID, b.LastOffset())
}
