package proto

// WritableTxnMarker is one transaction's marker for some partitions.
type WritableTxnMarker struct {
	ProducerID        int64
	ProducerEpoch     int16
	Committed         bool
	Topics            []TopicPartitions
	CoordinatorEpoch  int32
	TransactionalID   string // for explanations only (not on Kafka's wire)
	CoordinatorBroker int32  // idem
}

// WriteTxnMarkersRequest (API key 27) goes from the transaction coordinator
// to partition leaders, which append a control batch (a COMMIT or ABORT
// record) that ends the transaction on that partition and moves its last
// stable offset.
type WriteTxnMarkersRequest struct {
	Markers []WritableTxnMarker
}

// WriteTxnMarkersPartitionResult is one partition's outcome.
type WriteTxnMarkersPartitionResult struct {
	Topic     string
	Partition int32
	ErrorCode ErrorCode
}

// WriteTxnMarkersResult is one marker's outcome.
type WriteTxnMarkersResult struct {
	ProducerID int64
	Partitions []WriteTxnMarkersPartitionResult
}

// WriteTxnMarkersResponse answers per marker and partition.
type WriteTxnMarkersResponse struct {
	Markers []WriteTxnMarkersResult
}
