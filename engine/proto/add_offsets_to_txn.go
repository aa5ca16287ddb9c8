package proto

// AddOffsetsToTxnRequest (API key 25) adds a group's __consumer_offsets
// partition to a transaction (sendOffsetsToTransaction, first step); the
// producer then sends TxnOffsetCommit to the group coordinator.
type AddOffsetsToTxnRequest struct {
	TransactionalID string
	ProducerID      int64
	ProducerEpoch   int16
	GroupID         string
}

// AddOffsetsToTxnResponse is the outcome.
type AddOffsetsToTxnResponse struct {
	ErrorCode ErrorCode
}
