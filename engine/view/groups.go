package view

// GroupSnapshot describes a consumer group as its coordinator sees it,
// with each member's own view and, per partition, the committed offset,
// the owner's position, the high watermark and the lag.
type GroupSnapshot struct {
	GroupID     string `json:"group_id"`
	Coordinator int32  `json:"coordinator"` // broker id, -1 if unknown
	State       string `json:"state"`       // Empty, PreparingRebalance, CompletingRebalance, Stable, Dead
	Generation  int32  `json:"generation"`
	// CoordinatorPartition is the group's __consumer_offsets partition:
	// abs(hashCode(group.id)) % offsets.topic.num.partitions.
	CoordinatorPartition int32 `json:"coordinator_partition"`
	// Loaded is false when the coordinator has not loaded the group yet
	// (e.g. right after a failover): the rest is then read from its log.
	Loaded       bool   `json:"loaded"`
	ProtocolType string `json:"protocol_type"`
	Protocol     string `json:"protocol"` // the assignor chosen: range, roundrobin, sticky, cooperative-sticky
	// RebalanceProtocol is EAGER or COOPERATIVE (from the members' configs).
	RebalanceProtocol string           `json:"rebalance_protocol"`
	Leader            string           `json:"leader"`
	Members           []GroupMember    `json:"members"`
	Partitions        []GroupPartition `json:"partitions"`
	TotalLag          int64            `json:"total_lag"`

	// KIP-848 consumer groups (the ConsumerGroupDescribe view); empty for
	// a classic group. State is then Empty, Assigning, Reconciling or
	// Stable and Generation the group epoch.
	GroupProtocol   string `json:"group_protocol,omitempty"` // "consumer"; "" is classic
	GroupEpoch      int32  `json:"group_epoch,omitempty"`
	AssignmentEpoch int32  `json:"assignment_epoch,omitempty"` // of the target assignment
	Assignor        string `json:"assignor,omitempty"`         // the server-side assignor: uniform or range

	// KIP-932 share groups (GroupProtocol "share"): the records in flight
	// per partition (share.go).
	Share *ShareGroupView `json:"share,omitempty"`
}

// GroupMember is one member: the coordinator's record of it and, when its
// consumer is running, the consumer's own view.
type GroupMember struct {
	MemberID   string   `json:"member_id"`
	InstanceID string   `json:"group_instance_id,omitempty"`
	ClientID   string   `json:"client_id"`
	Consumer   string   `json:"consumer"` // scenario name, "" if unknown
	Assignment []string `json:"assignment"`
	Topics     []string `json:"topics"`
	// The consumer's view (zero values when the consumer is not running).
	ClientState string             `json:"client_state"` // UNJOINED, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE
	Generation  int32              `json:"client_generation"`
	Owned       []string           `json:"owned"`
	Polled      int64              `json:"polled"`
	Processed   int                `json:"processed"`
	Rebalances  int                `json:"rebalances"`
	Commit      string             `json:"commit"`
	Transaction *MemberTransaction `json:"transaction,omitempty"`

	// KIP-848 consumer groups: the member's epoch and reconciliation state
	// (STABLE, UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS), what it must
	// still revoke, and its target assignment (Assignment is its current
	// one).
	MemberEpoch *int32   `json:"member_epoch,omitempty"`
	MemberState string   `json:"member_state,omitempty"`
	Revoking    []string `json:"revoking,omitempty"`
	Target      []string `json:"target_assignment,omitempty"`
}

// MemberTransaction is an exactly-once member's transactional producer.
type MemberTransaction struct {
	TransactionalID string `json:"transactional_id"`
	ProducerID      int64  `json:"producer_id"`
	ProducerEpoch   int16  `json:"producer_epoch"`
	State           string `json:"state"` // the coordinator's: Empty, Ongoing, PrepareCommit, CompleteCommit…
	Committed       int    `json:"committed"`
	Aborted         int    `json:"aborted"`
}

// GroupPartition is one partition of the group's topics. Lag is HWM −
// committed offset (LSO − committed for read_committed groups); without a
// committed offset it counts from the owner's position, and is -1 when
// neither is known.
type GroupPartition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Owner     string `json:"owner"` // consumer name (or member id), "" if unassigned
	Committed int64  `json:"committed"`
	Position  int64  `json:"position"`
	HWM       int64  `json:"hwm"`
	LSO       int64  `json:"lso"`
	Lag       int64  `json:"lag"`
	// Pending is true while a transaction holds uncommitted offsets for it.
	Pending bool `json:"pending_txn_offsets,omitempty"`
}
