package view

// TransactionSnapshot is one transactional id as its transaction
// coordinator holds it: Kafka's TransactionState (Empty, Ongoing,
// PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort), the producer
// id and epoch, and the partitions of the open transaction.
type TransactionSnapshot struct {
	TransactionalID string   `json:"transactional_id"`
	Coordinator     int32    `json:"coordinator"` // the broker leading its __transaction_state partition
	State           string   `json:"state"`
	ProducerID      int64    `json:"producer_id"`
	ProducerEpoch   int16    `json:"producer_epoch"`
	TimeoutMs       int64    `json:"transaction_timeout_ms"`
	Partitions      []string `json:"partitions"`
	// Version is the cluster's transaction.version: 2 bumps the epoch at
	// every transaction end (KIP-890).
	Version int `json:"transaction_version"`
}
