package proto

// OffsetFetchTopic names partitions whose committed offsets are wanted.
type OffsetFetchTopic struct {
	Name             string
	PartitionIndexes []int32
}

// OffsetFetchRequest (API key 9) reads a group's committed offsets. With
// RequireStable (KIP-447) a partition with a pending transactional commit
// answers UNSTABLE_OFFSET_COMMIT until the transaction ends.
type OffsetFetchRequest struct {
	GroupID       string
	Topics        []OffsetFetchTopic // nil: every partition the group committed
	RequireStable bool
}

// OffsetFetchPartition is one committed offset (-1: none).
type OffsetFetchPartition struct {
	Index                int32
	CommittedOffset      int64
	CommittedLeaderEpoch int32
	Metadata             string
	ErrorCode            ErrorCode
}

// OffsetFetchTopicResponse groups partitions.
type OffsetFetchTopicResponse struct {
	Name       string
	Partitions []OffsetFetchPartition
}

// OffsetFetchResponse answers per partition, or with a group-level error.
type OffsetFetchResponse struct {
	ErrorCode ErrorCode
	Topics    []OffsetFetchTopicResponse
}
