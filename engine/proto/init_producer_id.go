package proto

// InitProducerIDRequest (API key 22) gives an idempotent producer its id.
type InitProducerIDRequest struct {
	TransactionalID      string
	TransactionTimeoutMs int32
}

// InitProducerIDResponse carries the producer id and epoch.
type InitProducerIDResponse struct {
	ErrorCode     ErrorCode
	ProducerID    int64
	ProducerEpoch int16
}
