package proto

// AlterPartitionRequest (API key 56): a partition leader asks the controller
// to change the ISR (shrink a lagging follower, expand a caught-up one).
type AlterPartitionRequest struct {
	BrokerID    int32
	BrokerEpoch int64
	Topic       string
	Partition   int32
	LeaderEpoch int32
	NewISR      []int32
	// PartitionEpoch is the epoch the leader's view is based on; a stale one
	// is refused with INVALID_UPDATE_VERSION.
	PartitionEpoch int32
}

// AlterPartitionResponse returns the partition state after the change.
type AlterPartitionResponse struct {
	ErrorCode      ErrorCode
	Topic          string
	Partition      int32
	Leader         int32
	LeaderEpoch    int32
	ISR            []int32
	PartitionEpoch int32
}
