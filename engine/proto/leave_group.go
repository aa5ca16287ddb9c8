package proto

// MemberIdentity names a leaving member (by member id, or by
// group.instance.id for static members).
type MemberIdentity struct {
	MemberID        string
	GroupInstanceID string
	Reason          string
}

// LeaveGroupRequest (API key 13) removes members at once instead of waiting
// for their session timeout. Modelled on version 5 (batched members).
type LeaveGroupRequest struct {
	GroupID string
	Members []MemberIdentity
}

// MemberResponse is one leaving member's outcome.
type MemberResponse struct {
	MemberID        string
	GroupInstanceID string
	ErrorCode       ErrorCode
}

// LeaveGroupResponse answers the group and each member.
type LeaveGroupResponse struct {
	ErrorCode ErrorCode
	Members   []MemberResponse
}
