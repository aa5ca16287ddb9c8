package view

// ShareGroupView is a KIP-932 share group's delivery state, per partition
// as its leader holds it (GroupSnapshot.Share).
type ShareGroupView struct {
	DeliveryLimit   int                  `json:"delivery_count_limit"`       // group.share.delivery.count.limit
	LockDurationMs  int64                `json:"record_lock_duration_ms"`    // group.share.record.lock.duration.ms
	MaxRecordLocks  int                  `json:"partition_max_record_locks"` // group.share.partition.max.record.locks
	AutoOffsetReset string               `json:"share_auto_offset_reset"`    // the group's share.auto.offset.reset
	Partitions      []SharePartitionView `json:"partitions"`
}

// SharePartitionView is one share-partition: the share-partition start and
// end offsets and the records in flight between them.
type SharePartitionView struct {
	Topic       string `json:"topic"`
	Partition   int32  `json:"partition"`
	Leader      int32  `json:"leader"`
	Initialized bool   `json:"initialized"` // false until the leader read the persisted state
	SPSO        int64  `json:"spso"`        // records below are all acknowledged or archived
	SPEO        int64  `json:"speo"`        // records from here on were never acquired
	HWM         int64  `json:"hwm"`
	// Counts of the in-flight records by state.
	Available    int `json:"available"`
	Acquired     int `json:"acquired"`
	Acknowledged int `json:"acknowledged"`
	Archived     int `json:"archived"`
	// InFlight lists the first ShareInFlightShown in-flight records.
	InFlight []ShareRecordView `json:"in_flight"`
}

// ShareInFlightShown bounds SharePartitionView.InFlight.
const ShareInFlightShown = 200

// ShareRecordView is one in-flight record.
type ShareRecordView struct {
	Offset        int64  `json:"offset"`
	State         string `json:"state"` // AVAILABLE, ACQUIRED, ACKNOWLEDGED, ARCHIVED
	DeliveryCount int    `json:"delivery_count"`
	Member        string `json:"member_id,omitempty"`    // the lock holder (ACQUIRED)
	LockLeftMs    int64  `json:"lock_left_ms,omitempty"` // until the lock expires (ACQUIRED)
}

// ShareConsumerSnapshot is one share consumer (KIP-932) as its client sees it.
type ShareConsumerSnapshot struct {
	Name        string   `json:"name"`
	Group       string   `json:"group"`
	MemberID    string   `json:"member_id"`
	MemberEpoch int32    `json:"member_epoch"`
	State       string   `json:"state"`    // running, crashed, closed
	AckMode     string   `json:"ack_mode"` // share.acknowledgement.mode: implicit or explicit
	Assigned    []string `json:"assigned"`
	Processing  bool     `json:"processing"` // working on a poll's records now
	Holding     int      `json:"holding"`    // records processed but not yet acknowledged to the leader
	ProcessMs   int64    `json:"process_ms"` // per record
	Poison      string   `json:"poison,omitempty"`
	OnPoison    string   `json:"on_poison,omitempty"`
	Renew       bool     `json:"renew,omitempty"` // renews its locks while it works (RENEW, KIP-1222)
	// Counts over the consumer's life.
	Delivered    int64 `json:"delivered"`
	Accepted     int64 `json:"accepted"`
	Released     int64 `json:"released"`
	Rejected     int64 `json:"rejected"`
	AckRefused   int64 `json:"ack_refused"`  // INVALID_RECORD_STATE: the lock had expired
	Redeliveries int64 `json:"redeliveries"` // deliveries with a delivery count above 1
}
