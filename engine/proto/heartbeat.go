package proto

// HeartbeatRequest (API key 12) keeps a member's session alive; the answer
// tells it when the group is rebalancing.
type HeartbeatRequest struct {
	GroupID         string
	GenerationID    int32
	MemberID        string
	GroupInstanceID string
}

// HeartbeatResponse is NONE, REBALANCE_IN_PROGRESS (rejoin), or an error
// that means the member is no longer in this generation.
type HeartbeatResponse struct {
	ErrorCode ErrorCode
}
