package proto

import "github.com/brokerlab/brokerlab/engine/metadata"

// QuorumFetchRequest is a controller voter's Fetch on the __cluster_metadata
// partition (KRaft replicates the metadata log by fetching, like partition
// followers do): the leader learns the voter's log end offset from
// FetchOffset and checks LastFetchedEpoch for divergence (KIP-595).
type QuorumFetchRequest struct {
	ReplicaID        int32
	LeaderEpoch      int32
	FetchOffset      int64
	LastFetchedEpoch int32
	MaxWaitMs        int32
}

// QuorumFetchResponse carries records, the high watermark (commit point),
// or where the voter's log diverged.
type QuorumFetchResponse struct {
	ErrorCode      ErrorCode
	LeaderEpoch    int32
	LeaderID       int32
	HighWatermark  int64
	DivergingEpoch *EpochEndOffset
	Records        []metadata.Record
}

// NotControllerResponse answers a broker's request sent to a controller
// that is not the active one, naming the leader if it knows it.
type NotControllerResponse struct {
	ErrorCode   ErrorCode // NOT_CONTROLLER
	LeaderID    int32     // -1 when unknown (an election is running)
	LeaderEpoch int32
}
