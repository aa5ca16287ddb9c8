package view

// ProducerState is a producer's inside as the UI draws it: the
// accumulator's queues with each batch's fill and linger timer, the
// requests in flight per broker, the idempotence sequence numbers, and a
// histogram of the batch sizes sent so far.
type ProducerState struct {
	ProducerID    int64  `json:"producer_id"` // -1 without idempotence or before InitProducerId
	ProducerEpoch int16  `json:"producer_epoch"`
	Compression   string `json:"compression"`
	BatchSize     int64  `json:"batch_size"`
	LingerMs      int64  `json:"linger_ms"`
	BufferMemory  int64  `json:"buffer_memory"`
	BufferUsed    int64  `json:"buffer_used_bytes"`
	// Blocked names what the application thread waits in: "", "metadata",
	// "buffer.memory" (send() until max.block.ms), "flush" or "close".
	Blocked        string              `json:"blocked,omitempty"`
	BlockedForUS   int64               `json:"blocked_for_us,omitempty"`
	Closing        bool                `json:"closing,omitempty"`
	Closed         bool                `json:"closed,omitempty"`
	ResetPending   bool                `json:"sequence_reset_pending,omitempty"`
	Reordered      int64               `json:"reordered_batches"`
	MaxInFlight    int                 `json:"max_in_flight"`
	InFlight       []BrokerInFlight    `json:"in_flight"`
	Partitions     []ProducerPartition `json:"partitions"`
	Sticky         []StickyPartition   `json:"sticky,omitempty"`
	BatchSizeHisto []HistogramBucket   `json:"batch_size_histogram"`
}

// BrokerInFlight is the number of produce requests awaiting an answer
// from one broker (at most max.in.flight.requests.per.connection).
type BrokerInFlight struct {
	Broker   int32 `json:"broker"`
	Requests int   `json:"requests"`
}

// ProducerPartition is one partition's queue in the accumulator.
type ProducerPartition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Leader    int32  `json:"leader"` // -1 if unknown
	// Queued are the batches waiting to be sent, oldest first.
	Queued []ProducerBatch `json:"queued"`
	// InFlight are the batches in a produce request now.
	InFlight []ProducerBatch `json:"in_flight"`
	Muted    bool            `json:"muted,omitempty"` // one batch at a time (max.in.flight=1)
	// NextSequence is the sequence the next new batch gets and
	// LastAckedSequence the last one acknowledged (-1: none); both only
	// with idempotence.
	NextSequence      int32 `json:"next_sequence"`
	LastAckedSequence int32 `json:"last_acked_sequence"`
}

// ProducerBatch is one batch. Bytes is its (estimated, compressed) size now;
// Capacity its write limit (batch.size, or more for one large record).
type ProducerBatch struct {
	Records  int   `json:"records"`
	Bytes    int   `json:"bytes"`
	Capacity int64 `json:"capacity"`
	AgeUS    int64 `json:"age_us"`
	// State is "open" (filling), "full", "ready" (sendable now), "backoff"
	// (waiting to retry), "no_leader" (waiting for metadata) or "in_flight".
	State string `json:"state"`
	// SendableInUS is the time left until linger.ms (or the retry backoff)
	// makes the batch sendable; 0 once it is.
	SendableInUS int64 `json:"sendable_in_us"`
	Attempts     int   `json:"attempts"`
	BaseSequence int32 `json:"base_sequence"` // -1: none yet
	Broker       int32 `json:"broker,omitempty"`
}

// StickyPartition is the built-in partitioner's current partition for
// keyless records of a topic and the bytes it took so far.
type StickyPartition struct {
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	Bytes     int    `json:"bytes"`
}

// HistogramBucket counts values ≤ LE (and above the previous bucket's
// LE); LE -1 is the overflow bucket.
type HistogramBucket struct {
	LE    int64 `json:"le"`
	Count int64 `json:"count"`
}

// ProducerTxn is a transactional producer's side of its transactions
// (Kafka's TransactionManager): its state (UNINITIALIZED, READY,
// IN_TRANSACTION, COMMITTING_TRANSACTION, ABORTABLE_ERROR, …), producer id
// and epoch, and the partitions added to the open transaction.
type ProducerTxn struct {
	TransactionalID string   `json:"transactional_id"`
	State           string   `json:"state"`
	ProducerID      int64    `json:"producer_id"`
	ProducerEpoch   int16    `json:"producer_epoch"`
	TimeoutMs       int32    `json:"transaction_timeout_ms"`
	Partitions      []string `json:"partitions"`
	Committed       int      `json:"committed"`
	Aborted         int      `json:"aborted"`
	LastError       string   `json:"last_error,omitempty"`
}
