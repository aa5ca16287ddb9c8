package events

// The data of the KIP-932 share group event kinds (engine/group/coordinator/share_*.go,
// engine/broker/share_*.go, engine/client/share_consumer*.go). Fields are in key order.

// ShareAckRefused is the data of share_ack_refused: a leader refused a share consumer's
// acknowledgement (INVALID_RECORD_STATE: the lock had expired).
type ShareAckRefused struct {
	Error     string `json:"error"`
	Group     string `json:"group"`
	MemberID  string `json:"member_id"`
	Partition string `json:"partition"`
	Records   int64  `json:"records"`
}

// ShareAcknowledged is the data of share_acknowledged: a share-partition's leader applied a
// member's acknowledgements.
type ShareAcknowledged struct {
	Accepted int    `json:"accepted"`
	Error    string `json:"error"`
	Group    string `json:"group"`
	Invalid  int    `json:"invalid"`
	MemberID string `json:"member_id"`
	Rejected int    `json:"rejected"`
	Released int    `json:"released"`
	Renewed  int    `json:"renewed"`
	SPEO     int64  `json:"speo"`
	SPSO     int64  `json:"spso"`
}

// ShareAssignmentComputed is the data of share_assignment_computed: a share group's
// coordinator ran the SimpleAssignor for a new group epoch.
type ShareAssignmentComputed struct {
	Assignment map[string][]string `json:"assignment"`
	Group      string              `json:"group"`
	GroupEpoch int32               `json:"group_epoch"`
}

// ShareAssignmentReceived is the data of share_assignment_received: a share consumer heard a
// new member epoch or assignment.
type ShareAssignmentReceived struct {
	Assignment  []string `json:"assignment"`
	Group       string   `json:"group"`
	MemberEpoch int32    `json:"member_epoch"`
	MemberID    string   `json:"member_id"`
}

// ShareConsumerStarted is the data of share_consumer_started.
type ShareConsumerStarted struct {
	AcknowledgementMode string   `json:"acknowledgement_mode"`
	Group               string   `json:"group"`
	MemberID            string   `json:"member_id"`
	OnPoison            string   `json:"on_poison"`
	Poison              string   `json:"poison"`
	ProcessMS           int64    `json:"process_ms"`
	Renew               bool     `json:"renew"`
	Topics              []string `json:"topics"`
}

// ShareCoordinatorLoaded is the data of share_coordinator_loaded: a broker became the share
// coordinator of a __share_group_state partition by replaying it.
type ShareCoordinatorLoaded struct {
	LeaderEpoch     int32 `json:"leader_epoch"`
	Partition       int32 `json:"partition"`
	Records         int   `json:"records"`
	SharePartitions int   `json:"share_partitions"`
}

// ShareLockReleased is the data of share_lock_released: records a member held went back to
// Available (or Archived at the delivery limit) without an acceptance.
type ShareLockReleased struct {
	Archived  []int64 `json:"archived"`
	Available []int64 `json:"available"`
	Group     string  `json:"group"`
	MemberID  string  `json:"member_id"`
	Reason    string  `json:"reason"`
	SPEO      int64   `json:"speo"`
	SPSO      int64   `json:"spso"`
}

// ShareMemberRejoining is the data of share_member_rejoining.
type ShareMemberRejoining struct {
	Error    string `json:"error"`
	Group    string `json:"group"`
	MemberID string `json:"member_id"`
}

// SharePartitionInitialized is the data of share_partition_initialized: a leader started a
// share-partition from the persisted state or share.auto.offset.reset.
type SharePartitionInitialized struct {
	From     string `json:"from"`
	Group    string `json:"group"`
	InFlight int    `json:"in_flight"`
	SPEO     int64  `json:"speo"`
	SPSO     int64  `json:"spso"`
}

// SharePoisonRecord is the data of share_poison_record: a share consumer's application could
// not process a record and rejects or releases it.
type SharePoisonRecord struct {
	Acknowledge   string `json:"acknowledge"`
	DeliveryCount int16  `json:"delivery_count"`
	Group         string `json:"group"`
	MemberID      string `json:"member_id"`
	Offset        int64  `json:"offset"`
	Partition     string `json:"partition"`
}

// SharePolled is the data of share_polled: a share consumer's poll returned records.
type SharePolled struct {
	Group       string `json:"group"`
	MemberID    string `json:"member_id"`
	Records     int    `json:"records"`
	Redelivered int    `json:"redelivered"`
}

// ShareRecordsAcquired is the data of share_records_acquired: a leader acquired records of a
// share-partition for a member.
type ShareRecordsAcquired struct {
	FirstOffset      int64  `json:"first_offset"`
	Group            string `json:"group"`
	LastOffset       int64  `json:"last_offset"`
	MaxDeliveryCount int    `json:"max_delivery_count"`
	MemberID         string `json:"member_id"`
	Records          int    `json:"records"`
	Redelivered      int    `json:"redelivered"`
	SPEO             int64  `json:"speo"`
	SPSO             int64  `json:"spso"`
}

// ShareRecordsArchived is the data of share_records_archived: records no member will get again.
type ShareRecordsArchived struct {
	Group   string  `json:"group"`
	Offsets []int64 `json:"offsets"`
	Reason  string  `json:"reason"`
}
