package proto

// SyncGroupAssignment is the leader's assignment for one member.
type SyncGroupAssignment struct {
	MemberID   string
	Assignment []TopicPartitions
}

// SyncGroupRequest (API key 14) ends a rebalance: the leader sends every
// member's assignment; the others send none and wait for theirs.
type SyncGroupRequest struct {
	GroupID         string
	GenerationID    int32
	MemberID        string
	GroupInstanceID string
	ProtocolType    string
	ProtocolName    string
	Assignments     []SyncGroupAssignment
}

// SyncGroupResponse carries the member's assignment.
type SyncGroupResponse struct {
	ErrorCode    ErrorCode
	ProtocolType string
	ProtocolName string
	Assignment   []TopicPartitions
}
