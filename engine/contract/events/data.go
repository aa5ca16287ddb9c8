package events

// The data of every event kind, in order of kind. Fields are in key order
// (TestCatalogueShape); a type's comment says what the kind means.

// AdminError is the data of admin_error: the admin client's create-topic or add-partitions
// request failed with a Kafka error.
type AdminError struct {
	Error string `json:"error"`
}

// Appended is the data of appended: a leader appended a batch to its log.
type Appended struct {
	Acks        int16 `json:"acks"`
	BaseOffset  int64 `json:"base_offset"`
	Bytes       int   `json:"bytes"`
	LeaderEpoch int32 `json:"leader_epoch"`
	Records     int   `json:"records"`
}

// AssignmentComputed is the data of assignment_computed: a group's leader member ran the
// assignor and computed the assignment.
type AssignmentComputed struct {
	Assignment map[string][]string `json:"assignment"`
	Assignor   string              `json:"assignor"`
	Generation int32               `json:"generation"`
	Group      string              `json:"group"`
}

// BatchSplit is the data of batch_split: the producer split a batch the broker refused as
// MESSAGE_TOO_LARGE.
type BatchSplit struct {
	Batches   int    `json:"batches"`
	Partition int32  `json:"partition"`
	Records   int    `json:"records"`
	Topic     string `json:"topic"`
}

// BecameFollower is the data of became_follower: a broker became a follower of a partition.
type BecameFollower struct {
	Leader      int32 `json:"leader"`
	LeaderEpoch int32 `json:"leader_epoch"`
}

// BecameLeader is the data of became_leader: a broker became the leader of a partition.
type BecameLeader struct {
	HWM         int64   `json:"hwm"`
	ISR         []int32 `json:"isr"`
	LeaderEpoch int32   `json:"leader_epoch"`
	LEO         int64   `json:"leo"`
}

// BrokerCrashed is the data of broker_crashed: a broker crashed (its page cache may lose
// unflushed bytes).
type BrokerCrashed struct {
	Broker      int32  `json:"broker"`
	LostRecords int64  `json:"lost_records"`
	Mode        string `json:"mode"`
}

// BrokerFenced is the data of broker_fenced: the controller fenced a broker that missed its
// heartbeats.
type BrokerFenced struct {
	Broker int32 `json:"broker"`
}

// BrokerPaused is the data of broker_paused: a broker was paused: it answers and fetches nothing
// until resumed.
type BrokerPaused struct {
	Broker int32 `json:"broker"`
}

// BrokerRegistered is the data of broker_registered: a broker registered with the controller.
type BrokerRegistered struct {
	Broker      int32 `json:"broker"`
	BrokerEpoch int64 `json:"broker_epoch"`
}

// BrokerRestarted is the data of broker_restarted: a crashed broker started again.
type BrokerRestarted struct {
	Broker int32 `json:"broker"`
}

// BrokerResumed is the data of broker_resumed: a paused broker resumed and handles what queued up.
type BrokerResumed struct {
	Broker int32 `json:"broker"`
	Queued int   `json:"queued"`
}

// BrokerUnfenced is the data of broker_unfenced: the controller unfenced a broker that caught up
// with the metadata.
type BrokerUnfenced struct {
	Broker int32 `json:"broker"`
}

// ClientConnected is the data of client_connected: an outside Kafka client opened a
// connection to a broker.
type ClientConnected struct {
	Broker int32 `json:"broker"`
}

// ClientDisconnected is the data of client_disconnected: who closed an outside client's
// connection ("client", or "broker" when its process died).
type ClientDisconnected struct {
	By string `json:"by"`
}

// ClientRequestUnsupported is the data of client_request_unsupported: the request's API
// name, key and version, and the versions covered (-1 and -1: the request is not).
type ClientRequestUnsupported struct {
	API     string `json:"api"`
	Key     int16  `json:"key"`
	Max     int16  `json:"max"`
	Min     int16  `json:"min"`
	Version int16  `json:"version"`
}

// ClusterStarted is the data of cluster_started: the cluster of the scenario started.
type ClusterStarted struct {
	Brokers     int    `json:"brokers"`
	Controllers int    `json:"controllers"`
	Seed        uint64 `json:"seed"`
}

// CommandFailed is the data of command_failed: a scenario command could not run.
type CommandFailed struct {
	Op string `json:"op"`
}

// ConfigWarning is the data of config_warning: none for a topic's; for a producer's, the
// setting Kafka raised and its new value (delivery.timeout.ms).
type ConfigWarning struct {
	Config string `json:"config,omitempty"`
	Value  int64  `json:"value,omitempty"`
}

// CommitFailed is the data of commit_failed: a consumer's offset commit failed.
type CommitFailed struct {
	Error   string           `json:"error"`
	Group   string           `json:"group"`
	Offsets map[string]int64 `json:"offsets"`
}

// Consumed is the data of consumed: a consumer's poll returned records of a partition.
type Consumed struct {
	From      int64  `json:"from"`
	Partition int32  `json:"partition"`
	To        int64  `json:"to"`
	Topic     string `json:"topic"`
}

// ConsumerClosed is the data of consumer_closed: a consumer closed and left its group.
// A consumer without a group.id leaves both fields out.
type ConsumerClosed struct {
	Group      string    `json:"group,omitempty"`
	Partitions *[]string `json:"partitions,omitempty"`
}

// ConsumerCrashed is the data of consumer_crashed: a consumer crashed without leaving its group.
// A consumer without a group.id leaves every field out.
type ConsumerCrashed struct {
	Group                string    `json:"group,omitempty"`
	MemberID             *string   `json:"member_id,omitempty"`
	Partitions           *[]string `json:"partitions,omitempty"`
	ProcessedUncommitted *int      `json:"processed_uncommitted,omitempty"`
}

// ConsumerError is the data of consumer_error: a consumer hit an error the application sees.
type ConsumerError struct {
	Error     string `json:"error"`
	Group     string `json:"group,omitempty"`
	Partition *int32 `json:"partition,omitempty"`
	Topic     string `json:"topic,omitempty"`
}

// ConsumerPollTimeout is the data of consumer_poll_timeout: a consumer exceeded
// max.poll.interval.ms and left its group.
type ConsumerPollTimeout struct {
	Group             string `json:"group"`
	MaxPollIntervalMS int64  `json:"max_poll_interval_ms"`
	SincePollMS       int64  `json:"since_poll_ms"`
}

// ConsumerStarted is the data of consumer_started: a consumer started (a group consumer's data:
// its subscription and settings).
type ConsumerStarted struct {
	Assignors       []string          `json:"assignors,omitempty"`
	Commit          string            `json:"commit,omitempty"`
	Configs         map[string]string `json:"configs,omitempty"`
	Group           string            `json:"group,omitempty"`
	GroupInstanceID *string           `json:"group_instance_id,omitempty"`
	Protocol        string            `json:"protocol,omitempty"`
	Topics          []string          `json:"topics,omitempty"`
}

// ControllerCrashed is the data of controller_crashed: a KRaft controller crashed.
type ControllerCrashed struct {
	Controller int32 `json:"controller"`
	WasLeader  bool  `json:"was_leader"`
}

// ControllerElected is the data of controller_elected: a KRaft controller won an election and
// leads the quorum.
type ControllerElected struct {
	Controller int32 `json:"controller"`
	Epoch      int32 `json:"epoch"`
	Votes      int   `json:"votes"`
}

// ControllerElection is the data of controller_election: a KRaft controller started an election.
type ControllerElection struct {
	Controller int32 `json:"controller"`
	Epoch      int32 `json:"epoch"`
}

// ControllerResigned is the data of controller_resigned: the active KRaft controller stepped down.
// Leader is set when a newer epoch's leader took over, VotersHeard when it
// lost touch with a majority.
type ControllerResigned struct {
	Controller  int32  `json:"controller"`
	Epoch       int32  `json:"epoch"`
	Leader      *int32 `json:"leader,omitempty"`
	VotersHeard *int   `json:"voters_heard,omitempty"`
}

// ControllerRestarted is the data of controller_restarted: a crashed KRaft controller started
// again.
type ControllerRestarted struct {
	Controller int32 `json:"controller"`
}

// CoordinatorFound is the data of coordinator_found: a consumer found its group's coordinator.
type CoordinatorFound struct {
	Coordinator int32  `json:"coordinator"`
	Group       string `json:"group"`
}

// CoordinatorLoaded is the data of coordinator_loaded: a broker became a group coordinator by
// loading a partition of __consumer_offsets.
type CoordinatorLoaded struct {
	Groups      int   `json:"groups"`
	LeaderEpoch int32 `json:"leader_epoch"`
	Offsets     int   `json:"offsets"`
	Partition   int32 `json:"partition"`
	Records     int   `json:"records"`
}

// CoordinatorLost is the data of coordinator_lost: a consumer lost its group coordinator.
type CoordinatorLost struct {
	Coordinator int32  `json:"coordinator"`
	Group       string `json:"group"`
	Reason      string `json:"reason"`
}

// CoordinatorUnloaded is the data of coordinator_unloaded: a broker stopped coordinating the
// groups of a __consumer_offsets partition.
type CoordinatorUnloaded struct {
	Groups    int   `json:"groups"`
	Partition int32 `json:"partition"`
}

// CrashArmed is the data of crash_armed: a consumer will crash at the next commit or poll of its
// loop (consumer_crash with at).
type CrashArmed struct {
	At string `json:"at"`
}

// CreateTopicDone is the data of create_topic_done: the admin client's create-topic request
// succeeded.
type CreateTopicDone struct {
	Attempts int    `json:"attempts"`
	Topic    string `json:"topic"`
}

// CreateTopicRequested is the data of create_topic_requested: the admin client asked to create a
// topic.
type CreateTopicRequested struct {
	Topic string `json:"topic"`
}

// DeleteTopicDone is the data of delete_topic_done: the admin client's delete-topic request
// succeeded.
type DeleteTopicDone struct {
	Attempts int    `json:"attempts"`
	Topic    string `json:"topic"`
}

// DeleteTopicRequested is the data of delete_topic_requested: the admin client asked to
// delete a topic.
type DeleteTopicRequested struct {
	Topic string `json:"topic"`
}

// DiskFault is the data of disk_fault: a disk fault cut a segment file (a torn write or a
// truncation), or found nothing to cut.
type DiskFault struct {
	CutAt *int64 `json:"cut_at,omitempty"`
	File  string `json:"file,omitempty"`
	Files *int   `json:"files,omitempty"`
	Size  *int64 `json:"size,omitempty"`
}

// DuplicateDropped is the data of duplicate_dropped: a leader dropped a retried batch it already
// had (idempotence).
type DuplicateDropped struct {
	BaseSequence int32 `json:"base_sequence"`
	Offset       int64 `json:"offset"`
	ProducerID   int64 `json:"producer_id"`
}

// FeatureUpdated is the data of feature_updated: the controller finalized a feature at a new level.
type FeatureUpdated struct {
	Feature       string `json:"feature"`
	Level         int16  `json:"level"`
	PreviousLevel int16  `json:"previous_level"`
}

// GroupJoined is the data of group_joined: a consumer joined a group generation.
type GroupJoined struct {
	Generation int32  `json:"generation"`
	Group      string `json:"group"`
	Leader     bool   `json:"leader"`
	MemberID   string `json:"member_id"`
	Protocol   string `json:"protocol"`
}

// GroupJoining is the data of group_joining: a consumer started to (re)join its group.
type GroupJoining struct {
	Generation int32  `json:"generation"`
	Group      string `json:"group"`
	MemberID   string `json:"member_id"`
	Reason     string `json:"reason"`
}

// GroupStateChanged is the data of group_state_changed: a consumer group moved between Empty,
// PreparingRebalance, CompletingRebalance and Stable.
type GroupStateChanged struct {
	Assignment  map[string][]string `json:"assignment,omitempty"`
	From        string              `json:"from"`
	Generation  int32               `json:"generation"`
	Group       string              `json:"group"`
	JoinMS      *int64              `json:"join_ms,omitempty"`
	Leader      string              `json:"leader,omitempty"`
	Members     int                 `json:"members,omitempty"`
	Protocol    string              `json:"protocol,omitempty"`
	Reason      string              `json:"reason,omitempty"`
	RebalanceMS *int64              `json:"rebalance_ms,omitempty"`
	To          string              `json:"to"`
}

// HWMAdvanced is the data of hwm_advanced: a partition's high watermark advanced.
type HWMAdvanced struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// InternalTopicRequested is the data of internal_topic_requested: a broker asked the controller
// for an internal topic.
type InternalTopicRequested struct {
	Partitions        int64  `json:"partitions"`
	ReplicationFactor int64  `json:"replication_factor"`
	Topic             string `json:"topic"`
}

// JoinRejected is the data of join_rejected: a group coordinator refused a JoinGroup.
type JoinRejected struct {
	Error string `json:"error"`
	Group string `json:"group"`
}

// LinkFault is the data of link_fault: a network link was degraded.
type LinkFault struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// LogCleaned is the data of log_cleaned: the log cleaner compacted a partition.
type LogCleaned struct {
	BytesAfter        int64   `json:"bytes_after"`
	BytesBefore       int64   `json:"bytes_before"`
	Checkpoint        int64   `json:"checkpoint"`
	DirtyRatioAfter   float64 `json:"dirty_ratio_after"`
	DirtyRatioBefore  float64 `json:"dirty_ratio_before"`
	FirstDirtyOffset  int64   `json:"first_dirty_offset"`
	KeylessRemoved    int64   `json:"keyless_removed"`
	Keys              int     `json:"keys"`
	RecordsRead       int64   `json:"records_read"`
	RecordsRemoved    int64   `json:"records_removed"`
	SegmentsAfter     int     `json:"segments_after"`
	SegmentsBefore    int     `json:"segments_before"`
	TombstonesRemoved int64   `json:"tombstones_removed"`
}

// LogRecovered is the data of log_recovered: a broker dropped a torn or corrupt tail of a
// segment on recovery.
type LogRecovered struct {
	Deleted           bool   `json:"deleted"`
	DroppedBytes      int64  `json:"dropped_bytes"`
	Position          int64  `json:"position"`
	Reason            string `json:"reason"`
	SegmentBaseOffset int64  `json:"segment_base_offset"`
}

// LogStartOffsetMoved is the data of log_start_offset_moved: a partition's log start offset
// moved (a checkpoint reread, or below the leader's).
type LogStartOffsetMoved struct {
	LogStartOffset int64  `json:"log_start_offset"`
	Reason         string `json:"reason"`
}

// LogSwapRecovered is the data of log_swap_recovered: a broker finished or undid a cleaner swap
// a crash interrupted.
type LogSwapRecovered struct {
	Completed bool   `json:"completed"`
	Segment   string `json:"segment"`
}

// LogTruncated is the data of log_truncated: a replica truncated its log (divergence or below
// the leader's log start).
type LogTruncated struct {
	FromOffset     int64  `json:"from_offset"`
	LogStartOffset int64  `json:"log_start_offset,omitempty"`
	Reason         string `json:"reason,omitempty"`
	RecordsRemoved *int64 `json:"records_removed,omitempty"`
	ToOffset       int64  `json:"to_offset"`
}

// MemberJoined is the data of member_joined: a group coordinator added a member.
type MemberJoined struct {
	ClientID        string   `json:"client_id"`
	Group           string   `json:"group"`
	GroupInstanceID string   `json:"group_instance_id"`
	MemberID        string   `json:"member_id"`
	Topics          []string `json:"topics"`
}

// MemberRemoved is the data of member_removed: a group coordinator removed a member.
type MemberRemoved struct {
	Group           string `json:"group"`
	GroupInstanceID string `json:"group_instance_id"`
	MemberID        string `json:"member_id"`
	Reason          string `json:"reason"`
}

// NetworkPartitioned is the data of network_partitioned: the network was split into groups of
// nodes.
type NetworkPartitioned struct {
	Groups [][]string `json:"groups"`
}

// OffsetCommitRejected is the data of offset_commit_rejected: a group coordinator refused an
// offset commit.
type OffsetCommitRejected struct {
	Error      string `json:"error"`
	Generation int32  `json:"generation"`
	Group      string `json:"group"`
	MemberID   string `json:"member_id"`
}

// OffsetOutOfRange is the data of offset_out_of_range: a consumer's fetch position is outside
// the partition's log.
type OffsetOutOfRange struct {
	Error     string `json:"error"`
	Offset    int64  `json:"offset"`
	Partition int32  `json:"partition"`
	Topic     string `json:"topic"`
}

// OffsetsCommitted is the data of offsets_committed: a group coordinator stored committed offsets.
type OffsetsCommitted struct {
	Generation    *int32           `json:"generation,omitempty"`
	Group         string           `json:"group"`
	MemberID      *string          `json:"member_id,omitempty"`
	Offsets       map[string]int64 `json:"offsets"`
	ProducerID    *int64           `json:"producer_id,omitempty"`
	Transactional bool             `json:"transactional,omitempty"`
}

// OffsetsDeleted is the data of offsets_deleted: a group coordinator forgot a deleted topic's
// committed offsets (tombstones in __consumer_offsets).
type OffsetsDeleted struct {
	Group      string `json:"group"`
	Partitions int    `json:"partitions"`
	Topic      string `json:"topic"`
}

// OffsetsForTimes is the data of offsets_for_times: an offsets-for-times lookup answered.
type OffsetsForTimes struct {
	Error           string `json:"error"`
	Leader          int32  `json:"leader"`
	Offset          int64  `json:"offset"`
	RecordTimestamp int64  `json:"record_timestamp"`
	Timestamp       int64  `json:"timestamp"`
}

// PartitionChange is the data of the controller's partition changes:
// leader_elected, partition_changed and partition_offline (the kind is
// decided by the change: a new leader, none, or the same one).
type PartitionChange struct {
	// Election is the rule that picked a new leader: isr, elr (an eligible
	// leader replica, KIP-966), last_known_leader, unclean or preferred.
	Election        string  `json:"election,omitempty"`
	ELR             []int32 `json:"elr,omitempty"` // eligible leader replicas after the change
	ISR             []int32 `json:"isr"`
	LastKnownLeader *int32  `json:"last_known_leader,omitempty"` // kept while ISR and ELR are empty
	Leader          int32   `json:"leader"`                      // -1: offline
	LeaderEpoch     int32   `json:"leader_epoch"`
	PreviousLeader  int32   `json:"previous_leader"`
	Unclean         bool    `json:"unclean"` // elected from outside the ISR and ELR: unclean.leader.election.enable or the last known leader
}

// PartitionsAdded is the data of partitions_added: partitions were added to a topic.
type PartitionsAdded struct {
	Assignment [][]int32 `json:"assignment"`
	From       int32     `json:"from"`
	To         int32     `json:"to"`
	Topic      string    `json:"topic"`
}

// PartitionsAssigned is the data of partitions_assigned: a consumer was assigned partitions.
type PartitionsAssigned struct {
	Added      []string `json:"added"`
	Generation int32    `json:"generation"`
	Group      string   `json:"group"`
	Partitions []string `json:"partitions"`
	Revoked    []string `json:"revoked"`
}

// PartitionsLost is the data of partitions_lost: a consumer lost its partitions without revoking
// them.
type PartitionsLost struct {
	Group      string   `json:"group"`
	Partitions []string `json:"partitions"`
	Reason     string   `json:"reason"`
}

// PartitionsRevoked is the data of partitions_revoked: a consumer revoked partitions.
type PartitionsRevoked struct {
	Generation int32    `json:"generation"`
	Group      string   `json:"group"`
	Partitions []string `json:"partitions"`
	Reason     string   `json:"reason"`
}

// PositionReset is the data of position_reset: a consumer reset its position by auto.offset.reset.
type PositionReset struct {
	Group     string `json:"group,omitempty"`
	Offset    int64  `json:"offset"`
	Partition int32  `json:"partition"`
	Topic     string `json:"topic"`
}

// PositionRestored is the data of position_restored: a consumer resumed from its group's
// committed offset.
type PositionRestored struct {
	Group     string `json:"group"`
	Offset    int64  `json:"offset"`
	Partition int32  `json:"partition"`
	Topic     string `json:"topic"`
}

// ProduceAcked is the data of produce_acked: a producer's batch was acknowledged.
type ProduceAcked struct {
	Attempts   int    `json:"attempts"`
	BaseOffset int64  `json:"base_offset"`
	Partition  int32  `json:"partition"`
	Records    int    `json:"records"`
	Topic      string `json:"topic"`
}

// ProduceFailed is the data of produce_failed: a producer's batch failed for good.
type ProduceFailed struct {
	Error     string `json:"error"`
	Partition int32  `json:"partition"`
	Records   int    `json:"records"`
	Topic     string `json:"topic"`
}

// ProduceRejected is the data of produce_rejected: a leader refused a produce request.
type ProduceRejected struct {
	Error string `json:"error"`
}

// ProduceReordered is the data of produce_reordered: records landed out of send order (retries
// without idempotence).
type ProduceReordered struct {
	LaterOffset int64  `json:"later_offset"`
	LaterSeq    int64  `json:"later_seq"`
	Offset      int64  `json:"offset"`
	Partition   int32  `json:"partition"`
	Seq         int64  `json:"seq"`
	Topic       string `json:"topic"`
}

// ProduceRetry is the data of produce_retry: a producer retries a batch after an error.
type ProduceRetry struct {
	Attempt      int    `json:"attempt"`
	BackoffMS    int64  `json:"backoff_ms"`
	BaseSequence int32  `json:"base_sequence"`
	Error        string `json:"error"`
	Partition    int32  `json:"partition"`
	Topic        string `json:"topic"`
}

// ProducerDisconnected is the data of producer_disconnected: a producer's connection to a broker
// closed; it reconnects after reconnect_backoff_ms.
type ProducerDisconnected struct {
	Broker             int32 `json:"broker"`
	Failures           int   `json:"failures"`
	ReconnectBackoffMS int64 `json:"reconnect_backoff_ms"`
}

// ProducerEpochBumped is the data of producer_epoch_bumped: an idempotent producer bumped its
// epoch to reset sequences.
type ProducerEpochBumped struct {
	Partitions    []string `json:"partitions"`
	ProducerEpoch int16    `json:"producer_epoch"`
	ProducerID    int64    `json:"producer_id"`
	// TransactionalID is set when EndTxn bumped the epoch (transaction.version=2, KIP-890).
	TransactionalID string `json:"transactional_id,omitempty"`
}

// ProducerFenced is the data of producer_fenced: a transactional producer was fenced by a newer
// epoch.
type ProducerFenced struct {
	FencedEpoch     int16  `json:"fenced_epoch"`
	ProducerEpoch   *int16 `json:"producer_epoch,omitempty"`
	ProducerID      int64  `json:"producer_id"`
	TransactionalID string `json:"transactional_id"`
}

// ProducerID is the data of producer_id: a producer got its producer id and epoch.
type ProducerID struct {
	ProducerEpoch int16 `json:"producer_epoch"`
	ProducerID    int64 `json:"producer_id"`
}

// ProducerMetadata is the data of producer_metadata: a producer saw a topic's partition count
// change, so some keys hash elsewhere.
type ProducerMetadata struct {
	Partitions int    `json:"partitions"`
	Topic      string `json:"topic"`
	Was        int    `json:"was"`
}

// ProducerStarted is the data of producer_started: a producer started with its explicit settings.
type ProducerStarted struct {
	Configs    map[string]string `json:"configs"`
	Idempotent bool              `json:"idempotent"`
}

// RejoinNeeded is the data of rejoin_needed: a consumer must rejoin its group.
type RejoinNeeded struct {
	Group  string `json:"group"`
	Reason string `json:"reason"`
}

// ReplicaDeleted is the data of replica_deleted: a broker stopped its replica of a deleted
// topic and deleted its log, or deleted a stray log left from a deleted topic.
type ReplicaDeleted struct {
	Records int64 `json:"records"`
	Stray   bool  `json:"stray"`
}

// ReplicaGapSkipped is the data of replica_gap_skipped: a follower copied across offsets the
// leader's cleaner removed.
type ReplicaGapSkipped struct {
	FromOffset int64 `json:"from_offset"`
	ToOffset   int64 `json:"to_offset"`
}

// SegmentDeleted is the data of segment_deleted: retention deleted a log segment.
type SegmentDeleted struct {
	LogStartOffset    int64  `json:"log_start_offset"`
	NextOffset        int64  `json:"next_offset"`
	Reason            string `json:"reason"`
	Rolled            bool   `json:"rolled"`
	Rule              string `json:"rule"`
	SegmentBaseOffset int64  `json:"segment_base_offset"`
	SizeBytes         int64  `json:"size_bytes"`
}

// SendFailed is the data of send_failed: a producer's send() failed at once.
type SendFailed struct {
	Bytes int    `json:"bytes,omitempty"`
	Error string `json:"error"`
	Topic string `json:"topic"`
}

// SendTimeout is the data of send_timeout: a producer's send() timed out waiting for metadata or
// buffer memory.
type SendTimeout struct {
	Error     string `json:"error"`
	Topic     string `json:"topic"`
	WaitedFor string `json:"waited_for"`
}

// ShareStateDeleted is the data of share_state_deleted: a share coordinator deleted the
// persisted state of a deleted topic's share-partition.
type ShareStateDeleted struct {
	Group     string `json:"group"`
	Partition int32  `json:"partition"`
	Topic     string `json:"topic"`
}

// StaticMemberRejoined is the data of static_member_rejoined: a static member came back and
// fenced its old member id.
type StaticMemberRejoined struct {
	Group           string `json:"group"`
	GroupInstanceID string `json:"group_instance_id"`
	MemberID        string `json:"member_id"`
	OldMemberID     string `json:"old_member_id"`
}

// StorageError is the data of storage_error: a broker's storage operation
// failed. Only a failed flush says why in Error; the other failures say it
// in the event's message.
type StorageError struct {
	Error string `json:"error,omitempty"`
}

// SubscriptionChanged is the data of subscription_changed: a consumer changed its subscription.
type SubscriptionChanged struct {
	Group  string   `json:"group"`
	Topics []string `json:"topics"`
}

// TopicAutoCreate is the data of topic_auto_create: the topic a broker asked the
// controller to create.
type TopicAutoCreate struct {
	Topic string `json:"topic"`
}

// TopicCreated is the data of topic_created: the controller created a topic.
type TopicCreated struct {
	Assignment        [][]int32 `json:"assignment"`
	Partitions        int32     `json:"partitions"`
	ReplicationFactor int16     `json:"replication_factor"`
	Topic             string    `json:"topic"`
}

// TopicDeleted is the data of topic_deleted: the controller deleted a topic (a
// RemoveTopicRecord).
type TopicDeleted struct {
	Partitions int    `json:"partitions"`
	Topic      string `json:"topic"`
}

// TransactionAborting is the data of transaction_aborting: a transaction is being aborted.
// The transaction coordinator names the producer; a consumer of an
// exactly-once group (engine/client) names its group instead.
type TransactionAborting struct {
	Group           string `json:"group,omitempty"`
	ProducerEpoch   *int16 `json:"producer_epoch,omitempty"`
	ProducerID      *int64 `json:"producer_id,omitempty"`
	Reason          string `json:"reason"`
	TransactionalID string `json:"transactional_id"`
}

// TransactionCompleted is the data of transaction_completed: a transaction coordinator completed
// a transaction.
type TransactionCompleted struct {
	Committed       bool   `json:"committed"`
	Partitions      int    `json:"partitions"`
	ProducerEpoch   int16  `json:"producer_epoch"`
	ProducerID      int64  `json:"producer_id"`
	TransactionalID string `json:"transactional_id"`
}

// TransactionsInitialized is the data of transactions_initialized: a transactional producer
// finished initTransactions.
type TransactionsInitialized struct {
	ProducerEpoch   int16  `json:"producer_epoch"`
	ProducerID      int64  `json:"producer_id"`
	TransactionalID string `json:"transactional_id"`
}

// TxnCoordinatorLoaded is the data of txn_coordinator_loaded: a broker became a transaction
// coordinator by loading a partition of __transaction_state.
type TxnCoordinatorLoaded struct {
	LeaderEpoch      int32 `json:"leader_epoch"`
	Partition        int32 `json:"partition"`
	TransactionalIds int   `json:"transactional_ids"`
}

// TxnMarkerWritten is the data of txn_marker_written: a commit or abort marker was written to a
// partition.
type TxnMarkerWritten struct {
	Committed       bool   `json:"committed"`
	Offset          int64  `json:"offset"`
	ProducerEpoch   int16  `json:"producer_epoch"`
	ProducerID      int64  `json:"producer_id"`
	TransactionalID string `json:"transactional_id"`
}

// TxnOffsetsDropped is the data of txn_offsets_dropped: offsets staged by an aborted transaction
// were dropped.
type TxnOffsetsDropped struct {
	Group      string `json:"group"`
	ProducerID int64  `json:"producer_id"`
}

// TxnOffsetsStaged is the data of txn_offsets_staged: a group coordinator staged a transaction's
// offsets.
type TxnOffsetsStaged struct {
	Group           string           `json:"group"`
	Offsets         map[string]int64 `json:"offsets"`
	ProducerID      int64            `json:"producer_id"`
	TransactionalID string           `json:"transactional_id"`
}

// UnflushedLost is the data of unflushed_lost: a crashed broker lost the unflushed tail of a log.
type UnflushedLost struct {
	Bytes      int64 `json:"bytes"`
	FromOffset int64 `json:"from_offset"`
	Records    int64 `json:"records"`
	ToOffset   int64 `json:"to_offset"`
}

// OffsetsSentToTxn is the data of offsets_sent_to_txn: a transactional producer staged a
// group's offsets in its transaction.
type OffsetsSentToTxn struct {
	Group           string `json:"group"`
	Partitions      int    `json:"partitions"`
	TransactionalID string `json:"transactional_id"`
}

// PartitionsAddedToTxn is the data of partitions_added_to_txn: a transactional producer added
// partitions to its transaction.
type PartitionsAddedToTxn struct {
	Partitions      []string `json:"partitions"`
	TransactionalID string   `json:"transactional_id"`
}

// TransactionBegun is the data of transaction_begun: a transactional producer called
// beginTransaction().
type TransactionBegun struct {
	ProducerEpoch   int16  `json:"producer_epoch"`
	ProducerID      int64  `json:"producer_id"`
	TransactionalID string `json:"transactional_id"`
}

// TransactionCallFailed is the data of transaction_call_failed: a transactional producer's call
// threw an exception (Kafka's class name and message).
type TransactionCallFailed struct {
	Call    string `json:"call"`
	Error   string `json:"error"`
	Message string `json:"message"`
}

// TransactionState is the data of transaction_state: a transactional producer's
// TransactionManager moved from one state to another (Kafka's names: UNINITIALIZED, READY,
// IN_TRANSACTION, COMMITTING_TRANSACTION, ABORTABLE_ERROR, FATAL_ERROR, …), with the error
// that moved it to an error state.
type TransactionState struct {
	Error           string `json:"error,omitempty"`
	From            string `json:"from"`
	To              string `json:"to"`
	TransactionalID string `json:"transactional_id"`
}
