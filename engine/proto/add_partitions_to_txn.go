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
}

// AddPartitionsToTxnResponse answers with one code for all partitions
// (simplified: Kafka answers per partition).
type AddPartitionsToTxnResponse struct {
	ErrorCode ErrorCode
}
