package events

// The data of the KIP-848 consumer group protocol's event kinds
// (engine/group/coordinator/consumer_*.go, engine/client/consumer_membership*.go).
// Fields are in key order.

// GroupEpochBumped is the data of group_epoch_bumped: a consumer group's epoch bumped
// (membership, a subscription or a subscribed topic changed).
type GroupEpochBumped struct {
	Group      string `json:"group"`
	GroupEpoch int32  `json:"group_epoch"`
	Reason     string `json:"reason"`
}

// MemberFenced is the data of member_fenced: a consumer group coordinator refused a
// heartbeat with FENCED_MEMBER_EPOCH.
type MemberFenced struct {
	Error        string `json:"error"`
	Group        string `json:"group"`
	MemberEpoch  int32  `json:"member_epoch"`
	MemberID     string `json:"member_id"`
	RequestEpoch int32  `json:"request_epoch"`
}

// MemberLeft is the data of member_left: a static member of a consumer group left for now
// (member epoch -2) and keeps its partitions until its session times out.
type MemberLeft struct {
	Group           string `json:"group"`
	GroupInstanceID string `json:"group_instance_id"`
	MemberEpoch     int32  `json:"member_epoch"`
	MemberID        string `json:"member_id"`
}

// MemberReconciled is the data of member_reconciled: a consumer group member moved toward its
// target assignment (its epoch, state or partitions changed).
type MemberReconciled struct {
	Assigned    []string `json:"assigned"`
	Group       string   `json:"group"`
	MemberEpoch int32    `json:"member_epoch"`
	MemberID    string   `json:"member_id"`
	Revoking    []string `json:"revoking"`
	State       string   `json:"state"`
}

// MemberEpochChanged is the data of member_epoch_changed: a consumer-protocol consumer heard a
// new member epoch or assignment from its coordinator.
type MemberEpochChanged struct {
	Assignment  []string `json:"assignment"`
	Group       string   `json:"group"`
	MemberEpoch int32    `json:"member_epoch"`
	MemberID    string   `json:"member_id"`
}

// TargetAssignmentComputed is the data of target_assignment_computed: a consumer group's
// coordinator ran the server-side assignor for a new group epoch.
type TargetAssignmentComputed struct {
	Assignment      map[string][]string `json:"assignment"`
	AssignmentEpoch int32               `json:"assignment_epoch"`
	Assignor        string              `json:"assignor"`
	Group           string              `json:"group"`
}
