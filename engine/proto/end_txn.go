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

// EndTxnResponse is the outcome.
type EndTxnResponse struct {
	ErrorCode ErrorCode
}
