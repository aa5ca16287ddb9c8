package proto

// ReadShareGroupStateRequest (API key 84) and WriteShareGroupStateRequest
// (API key 85) are sent by a partition leader to the share coordinator
// (the leader of the share-partition's __share_group_state partition):
// the leader reads the persisted state when it initializes a
// share-partition and writes it after acknowledgements and lock expiries.
//
// Simplified: one share-partition per request; topics by name.
type ReadShareGroupStateRequest struct {
	GroupID   string
	Topic     string
	Partition int32
}

// ReadShareGroupStateResponse is the persisted state (StartOffset -1: none).
type ReadShareGroupStateResponse struct {
	ErrorCode    ErrorCode
	ErrorMessage string
	StateEpoch   int32
	StartOffset  int64
	Batches      []ShareStateBatch
}

// WriteShareGroupStateRequest stores a share-partition's state.
type WriteShareGroupStateRequest struct {
	GroupID     string
	Topic       string
	Partition   int32
	StateEpoch  int32
	LeaderEpoch int32
	StartOffset int64
	Batches     []ShareStateBatch
}

// WriteShareGroupStateResponse answers a write.
type WriteShareGroupStateResponse struct {
	ErrorCode    ErrorCode
	ErrorMessage string
}

// ShareStateBatch is a run of records with one state (0 AVAILABLE,
// 2 ACKNOWLEDGED, 4 ARCHIVED) and delivery count.
type ShareStateBatch struct {
	FirstOffset   int64 `json:"first_offset"`
	LastOffset    int64 `json:"last_offset"`
	DeliveryState int8  `json:"delivery_state"`
	DeliveryCount int16 `json:"delivery_count"`
}

// CoordinatorShare is FindCoordinator's key type of a share coordinator;
// the key is "group:topic:partition" (Kafka: the topic id).
const CoordinatorShare int8 = 2
