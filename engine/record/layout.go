package record

// Byte positions of the fixed batch header fields (DefaultRecordBatch.java).
const (
	posBaseOffset           = 0
	posLength               = 8
	posPartitionLeaderEpoch = 12
	posMagic                = 16
	posCRC                  = 17
	posAttributes           = 21
	posLastOffsetDelta      = 23
	posBaseTimestamp        = 27
	posMaxTimestamp         = 35
	posProducerID           = 43
	posProducerEpoch        = 51
	posBaseSequence         = 53
	posRecordsCount         = 57
)

const (
	// LogOverhead is the size of the baseOffset and batchLength fields that
	// precede every batch; a batch occupies LogOverhead+batchLength bytes.
	LogOverhead = 12
	// HeaderSizeUpToMagic is how many bytes PeekHeader needs.
	HeaderSizeUpToMagic = 17
	// HeaderSize is the fixed part of a v2 batch before its records
	// (RECORD_BATCH_OVERHEAD, 61 bytes); PeekInfo needs this many bytes.
	HeaderSize = 61
	// Magic is the only batch format version this package speaks.
	Magic = 2

	// minBatchLength is the smallest legal batchLength: a header with no records.
	minBatchLength = HeaderSize - LogOverhead
	// minRecordSize is the smallest encoded record: a one-byte length and six
	// one-byte fields (attributes, timestampDelta, offsetDelta, keyLength,
	// valueLength, headers count).
	minRecordSize = 7
	// minHeaderSize is the smallest encoded record header: two one-byte lengths.
	minHeaderSize = 2
)

// Attribute bits of a batch (DefaultRecordBatch.java).
const (
	compressionMask   = 0x07
	timestampTypeMask = 0x08
	transactionalFlag = 0x10
	controlFlag       = 0x20
)

// Sentinel values Kafka uses when a batch has no producer or leader epoch.
const (
	NoProducerID           int64 = -1
	NoProducerEpoch        int16 = -1
	NoSequence             int32 = -1
	NoPartitionLeaderEpoch int32 = -1
	NoTimestamp            int64 = -1
)
