package proto

// OffsetForLeaderEpochRequest (API key 23) asks a partition's leader where
// a leader epoch ended: a consumer validates its position after a leader
// change with it (KIP-320), and learns of a truncated log. Modelled on
// version 4, from a consumer (followers use the diverging epoch of Fetch).
type OffsetForLeaderEpochRequest struct {
	Topics []OffsetForLeaderTopic
}

// OffsetForLeaderTopic groups partitions.
type OffsetForLeaderTopic struct {
	Name       string
	Partitions []OffsetForLeaderPartition
}

// OffsetForLeaderPartition asks for the end of LeaderEpoch; CurrentLeaderEpoch
// (or -1) fences a client whose view of the leader is stale.
type OffsetForLeaderPartition struct {
	Index              int32
	CurrentLeaderEpoch int32
	LeaderEpoch        int32
}

// OffsetForLeaderEpochResponse answers per partition.
type OffsetForLeaderEpochResponse struct {
	Topics []OffsetForLeaderTopicResult
}

// OffsetForLeaderTopicResult groups partition answers.
type OffsetForLeaderTopicResult struct {
	Name       string
	Partitions []EpochEndOffsetResult
}

// EpochEndOffsetResult is the largest epoch ≤ the one asked for and the
// offset where it ended (-1 and -1 when the log knows no such epoch).
type EpochEndOffsetResult struct {
	Index       int32
	ErrorCode   ErrorCode
	LeaderEpoch int32
	EndOffset   int64
}
