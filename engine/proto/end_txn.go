package proto

// EndTxnRequest (API key 26) commits or aborts a transaction. The
// coordinator records PrepareCommit/PrepareAbort, answers, and then writes
// the markers to every partition of the transaction.
type EndTxnRequest struct {
	TransactionalID string
	ProducerID      int64
	ProducerEpoch   int16
	Committed       bool
}

// EndTxnResponse is the outcome. With transaction.version=2 (KIP-890,
// EndTxn version 5) it carries the producer id and the epoch the
// coordinator bumped for the next transaction; otherwise both are -1
// (Kafka's defaults for the fields).
type EndTxnResponse struct {
	ErrorCode     ErrorCode
	ProducerID    int64
	ProducerEpoch int16
}
