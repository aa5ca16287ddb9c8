package proto

import "github.com/brokerlab/brokerlab/engine/record"

// FetchRequest (API key 1) reads batches from partition leaders; followers
// use it too (ReplicaID ≥ 0) with LastFetchedEpoch for divergence checks.
type FetchRequest struct {
	ReplicaID      int32 // -1 for consumers
	ReplicaEpoch   int64 // broker epoch of the fetching follower
	MaxWaitMs      int32
	MinBytes       int32
	MaxBytes       int32
	IsolationLevel int8          // 0 read_uncommitted, 1 read_committed
	Session        *FetchSession // nil: a full fetch outside any session
	Topics         []FetchTopic
}

// FetchSession places a fetch in a KIP-227 incremental fetch session
// (Kafka's SessionId and SessionEpoch): Epoch 0 is a full fetch that opens
// a session (closing ID if set), an Epoch above 0 the next incremental
// fetch of session ID — it lists only the partitions whose position
// changed, and Forgotten the ones it dropped — and FinalEpoch closes ID
// and fetches in full outside any session.
type FetchSession struct {
	ID        int32
	Epoch     int32
	Forgotten []FetchTopicForgotten
}

// FinalEpoch is Kafka's FetchMetadata.FINAL_EPOCH.
const FinalEpoch int32 = -1

// FetchTopicForgotten lists the partitions an incremental fetch removes
// from its session.
type FetchTopicForgotten struct {
	Name       string
	Partitions []int32
}

// FetchTopic groups partitions.
type FetchTopic struct {
	Name       string
	Partitions []FetchPartition
}

// FetchPartition asks for data from FetchOffset.
type FetchPartition struct {
	Index              int32
	CurrentLeaderEpoch int32
	FetchOffset        int64
	LastFetchedEpoch   int32
	LogStartOffset     int64
	PartitionMaxBytes  int32
}

// FetchResponse carries batches per partition.
type FetchResponse struct {
	Session *FetchSessionAnswer // the answer to a fetch that asked for a session
	Topics  []FetchTopicResponse
}

// FetchSessionAnswer is the session part of an answer (KIP-227). An
// incremental answer lists only the partitions with something new;
// ErrorCode is FETCH_SESSION_ID_NOT_FOUND or INVALID_FETCH_SESSION_EPOCH
// when the session cannot go on, and ID is 0 when the broker opened none.
type FetchSessionAnswer struct {
	ErrorCode ErrorCode
	ID        int32
}

// FetchTopicResponse groups partition answers.
type FetchTopicResponse struct {
	Name       string
	Partitions []FetchPartitionResponse
}

// EpochEndOffset tells a follower where its log diverged (KIP-320).
type EpochEndOffset struct {
	Epoch     int32
	EndOffset int64
}

// FetchPartitionResponse is one partition's data.
type FetchPartitionResponse struct {
	Index            int32
	ErrorCode        ErrorCode
	HighWatermark    int64
	LastStableOffset int64
	LogStartOffset   int64
	DivergingEpoch   *EpochEndOffset
	Batches          []*record.Batch
}

// TakeFetchRequest returns the FetchRequest body carries, by value or as a
// pointer into a sender's cells (rpc.Cells); a pointer's cell is cleared,
// so it pins nothing once delivered.
func TakeFetchRequest(body any) (FetchRequest, bool) {
	return take[FetchRequest](body)
}

// TakeFetchResponse is TakeFetchRequest for a FetchResponse.
func TakeFetchResponse(body any) (FetchResponse, bool) {
	return take[FetchResponse](body)
}

// take returns the T that body carries, by value or as a pointer into a
// sender's cells; a pointer's cell is cleared, so it pins nothing once
// delivered (the Take functions for each body type).
func take[T any](body any) (T, bool) {
	var zero T
	switch b := body.(type) {
	case T:
		return b, true
	case *T:
		r := *b
		*b = zero
		return r, true
	}
	return zero, false
}
