package proto

// OffsetCommitPartition is one partition's offset: the next record the
// group will read (the position, not the last record processed).
type OffsetCommitPartition struct {
	Index                int32
	CommittedOffset      int64
	CommittedLeaderEpoch int32
	Metadata             string
}

// OffsetCommitTopic groups partitions.
type OffsetCommitTopic struct {
	Name       string
	Partitions []OffsetCommitPartition
}

// OffsetCommitRequest (API key 8) stores a group's offsets in
// __consumer_offsets. A member commits with its generation; a consumer
// without group membership commits with generation -1 and no member id.
type OffsetCommitRequest struct {
	GroupID         string
	GenerationID    int32
	MemberID        string
	GroupInstanceID string
	Topics          []OffsetCommitTopic
}

// OffsetCommitPartitionResponse is one partition's outcome.
type OffsetCommitPartitionResponse struct {
	Index     int32
	ErrorCode ErrorCode
}

// OffsetCommitTopicResponse groups partition outcomes.
type OffsetCommitTopicResponse struct {
	Name       string
	Partitions []OffsetCommitPartitionResponse
}

// OffsetCommitResponse answers per partition.
type OffsetCommitResponse struct {
	Topics []OffsetCommitTopicResponse
}
