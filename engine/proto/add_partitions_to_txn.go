package proto

// AddPartitionsToTxnRequest (API key 24) tells the transaction coordinator
// which partitions a transaction writes to before the producer sends to
// them, so the coordinator knows where to write the commit or abort markers.
// Modelled on version 3 (one transaction per request).
type AddPartitionsToTxnRequest struct {
	TransactionalID string
	ProducerID      int64
	ProducerEpoch   int16
	Topics          []TopicPartitions
	// VerifyOnly (version 4+, sent by a partition leader, KIP-890): add
	// nothing, answer per partition whether it is in the transaction
	// (TRANSACTION_ABORTABLE when not).
	VerifyOnly bool
}

// AddPartitionsToTxnResponse answers with one code for all partitions
// (simplified: Kafka answers per partition), and per partition for a
// VerifyOnly request.
type AddPartitionsToTxnResponse struct {
	ErrorCode ErrorCode
	Verified  []AddPartitionsToTxnResult
}

// AddPartitionsToTxnResult is one partition's verification.
type AddPartitionsToTxnResult struct {
	Topic     string
	Partition int32
	ErrorCode ErrorCode
}
