package proto

// BeginQuorumEpochRequest (API key 53): a newly elected controller leader
// tells the voters it leads LeaderEpoch.
type BeginQuorumEpochRequest struct {
	LeaderEpoch int32
	LeaderID    int32
}

// BeginQuorumEpochResponse acknowledges it.
type BeginQuorumEpochResponse struct {
	ErrorCode   ErrorCode
	LeaderEpoch int32
	LeaderID    int32
}
