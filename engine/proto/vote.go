package proto

// VoteRequest (API key 52, KIP-595): a candidate asks a voter for its vote
// in CandidateEpoch; its log must be at least as up to date as the voter's.
type VoteRequest struct {
	CandidateEpoch  int32
	CandidateID     int32
	LastOffsetEpoch int32
	LastOffset      int64 // the candidate's log end offset
}

// VoteResponse grants or refuses the vote and tells the voter's epoch and leader.
type VoteResponse struct {
	ErrorCode   ErrorCode
	LeaderEpoch int32
	LeaderID    int32
	VoteGranted bool
}
