package proto

// Special timestamps of ListOffsets.
const (
	LatestTimestamp   int64 = -1
	EarliestTimestamp int64 = -2
	MaxTimestamp      int64 = -3
)

// ListOffsetsRequest (API key 2) maps timestamps to offsets.
type ListOffsetsRequest struct {
	ReplicaID      int32
	IsolationLevel int8
	Topics         []ListOffsetsTopic
}

// ListOffsetsTopic groups partitions.
type ListOffsetsTopic struct {
	Name       string
	Partitions []ListOffsetsPartition
}

// ListOffsetsPartition asks for the offset at Timestamp (or a special one).
type ListOffsetsPartition struct {
	Index              int32
	CurrentLeaderEpoch int32
	Timestamp          int64
}

// ListOffsetsResponse answers per partition.
type ListOffsetsResponse struct {
	Topics []ListOffsetsTopicResponse
}

// ListOffsetsTopicResponse groups partition answers.
type ListOffsetsTopicResponse struct {
	Name       string
	Partitions []ListOffsetsPartitionResponse
}

// ListOffsetsPartitionResponse is one answer.
type ListOffsetsPartitionResponse struct {
	Index       int32
	ErrorCode   ErrorCode
	Timestamp   int64
	Offset      int64
	LeaderEpoch int32
}
