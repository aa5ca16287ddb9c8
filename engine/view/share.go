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
