package record

// Header is one record header. Kafka forbids a null header key; a nil Value
// is a null value.
type Header struct {
	Key   string
	Value []byte
}

// Record is one record inside a batch. A nil Key or Value is null on the
// wire (length -1); a non-nil empty slice is an empty one (length 0).
// Record attributes are unused in v2 and always written as 0.
type Record struct {
	OffsetDelta    int32
	TimestampDelta int64
	Key, Value     []byte
	Headers        []Header
}

// Batch is a v2 record batch. Magic, batchLength, CRC and the records count
// are not stored: they are computed by the encoder and checked by Decode.
type Batch struct {
	BaseOffset           int64
	PartitionLeaderEpoch int32
	Attributes           int16
	LastOffsetDelta      int32
	BaseTimestamp        int64
	MaxTimestamp         int64
	ProducerID           int64
	ProducerEpoch        int16
	BaseSequence         int32
	Records              []Record

	// kept is the batch's encoding from the CRC on, as AppendKept wrote
	// it into bytes that never change, and keptRecs the records it
	// encoded: AppendTo and SizeInBytes copy it instead of encoding the
	// records again (a follower appends the leader's batch as it is).
	kept     []byte
	keptRecs *Record
}

// TimestampType says who set a batch's timestamps (bit 3 of attributes).
type TimestampType int8

const (
	// CreateTime: the producer's timestamps are kept.
	CreateTime TimestampType = 0
	// LogAppendTime: the broker stamped the batch when appending it.
	LogAppendTime TimestampType = 1
)

// String is Kafka's name for the timestamp type.
func (t TimestampType) String() string {
	if t == LogAppendTime {
		return "LogAppendTime"
	}
	return "CreateTime"
}

// MakeAttributes builds a batch's attributes field.
func MakeAttributes(c Compression, t TimestampType, transactional, control bool) int16 {
	a := int16(c) & compressionMask
	if t == LogAppendTime {
		a |= timestampTypeMask
	}
	if transactional {
		a |= transactionalFlag
	}
	if control {
		a |= controlFlag
	}
	return a
}

// NewBatch returns an uncompressed CreateTime batch holding a copy of
// records, shaped like a producer sends it: base offset 0 (the leader assigns
// offsets), offset deltas 0..n-1, no leader epoch and no producer id.
// Timestamps are baseTimestamp+TimestampDelta; MaxTimestamp is their maximum.
func NewBatch(baseTimestamp int64, records ...Record) *Batch {
	b := &Batch{
		PartitionLeaderEpoch: NoPartitionLeaderEpoch,
		LastOffsetDelta:      int32(len(records)) - 1,
		BaseTimestamp:        baseTimestamp,
		MaxTimestamp:         baseTimestamp,
		ProducerID:           NoProducerID,
		ProducerEpoch:        NoProducerEpoch,
		BaseSequence:         NoSequence,
		Records:              make([]Record, len(records)),
	}
	for i, r := range records {
		r.OffsetDelta = int32(i)
		b.Records[i] = r
		if ts := baseTimestamp + r.TimestampDelta; i == 0 || ts > b.MaxTimestamp {
			b.MaxTimestamp = ts
		}
	}
	return b
}

// LastOffset is the offset of the batch's last record.
func (b *Batch) LastOffset() int64 { return b.BaseOffset + int64(b.LastOffsetDelta) }

// NextOffset is the offset right after the batch.
func (b *Batch) NextOffset() int64 { return b.LastOffset() + 1 }

// NumRecords is how many records the batch holds.
func (b *Batch) NumRecords() int { return len(b.Records) }

// TimestampType reports bit 3 of the attributes.
func (b *Batch) TimestampType() TimestampType {
	if b.Attributes&timestampTypeMask != 0 {
		return LogAppendTime
	}
	return CreateTime
}

// IsTransactional reports bit 4 of the attributes.
func (b *Batch) IsTransactional() bool { return b.Attributes&transactionalFlag != 0 }

// IsControl reports bit 5 of the attributes (transaction markers).
func (b *Batch) IsControl() bool { return b.Attributes&controlFlag != 0 }

// Compression reports bits 0-2 of the attributes.
func (b *Batch) Compression() Compression { return Compression(b.Attributes & compressionMask) }

// RecordTimestamp is the timestamp of b.Records[i] as a consumer sees it: the
// batch's MaxTimestamp under LogAppendTime, else BaseTimestamp+TimestampDelta.
func (b *Batch) RecordTimestamp(i int) int64 {
	if b.TimestampType() == LogAppendTime {
		return b.MaxTimestamp
	}
	return b.BaseTimestamp + b.Records[i].TimestampDelta
}
