// Package proto holds the messages nodes exchange on the simulated network,
// shaped like Kafka's APIs (one file per request kind) and carrying Kafka's
// error codes as values. A Go error never travels inside a message.
package proto

// Request is what a client or broker sends: a correlation id and a body.
type Request struct {
	CorrelationID int64
	ClientID      string
	Body          any
}

// Response answers the request with the same correlation id.
type Response struct {
	CorrelationID int64
	Body          any
}

// ErrorCode is a Kafka protocol error code (0 = none).
type ErrorCode int16

// Codes used by the engine, with Kafka's numbers.
const (
	None                         ErrorCode = 0
	OffsetOutOfRange             ErrorCode = 1
	CorruptMessage               ErrorCode = 2
	UnknownTopicOrPartition      ErrorCode = 3
	LeaderNotAvailable           ErrorCode = 5
	NotLeaderOrFollower          ErrorCode = 6
	RequestTimedOut              ErrorCode = 7
	MessageTooLarge              ErrorCode = 10
	NetworkException             ErrorCode = 13
	RecordListTooLarge           ErrorCode = 18
	NotEnoughReplicas            ErrorCode = 19
	NotEnoughReplicasAfterAppend ErrorCode = 20
	InvalidRequiredAcks          ErrorCode = 21
	TopicAlreadyExists           ErrorCode = 36
	InvalidPartitions            ErrorCode = 37
	InvalidReplicationFactor     ErrorCode = 38
	InvalidConfig                ErrorCode = 40
	NotController                ErrorCode = 41
	InvalidRequest               ErrorCode = 42
	KafkaStorageError            ErrorCode = 56
	FetchSessionIDNotFound       ErrorCode = 70
	InvalidFetchSessionEpoch     ErrorCode = 71
	FencedLeaderEpoch            ErrorCode = 74
	UnknownLeaderEpoch           ErrorCode = 75
	InvalidTopicException        ErrorCode = 17
	StaleBrokerEpoch             ErrorCode = 77
	TopicDeletionDisabled        ErrorCode = 73
	CoordinatorNotAvailable      ErrorCode = 15
	InvalidUpdateVersion         ErrorCode = 95
	IneligibleReplica            ErrorCode = 107
	NewLeaderElected             ErrorCode = 108
	TransactionAbortable         ErrorCode = 120 // KIP-890: the client must abort (TransactionAbortableException)
	OutOfOrderSequenceNumber     ErrorCode = 45
	DuplicateSequenceNumber      ErrorCode = 46
	InvalidProducerEpoch         ErrorCode = 47
	UnknownProducerID            ErrorCode = 59
	InvalidRecord                ErrorCode = 87
	// ClientTimeout is not a wire code: Kafka's client raises TimeoutException
	// locally when a request or delivery times out. We give it a negative code.
	ClientTimeout ErrorCode = -100
)

// codes gives each code Kafka's name (Kafka 4.x's, where it differs from
// franz-go kerr's older one) and whether Kafka's clients retry on it.
// codes_test.go checks it against kerr.
var codes = map[ErrorCode]struct {
	name      string
	retriable bool
}{
	UnknownServerError:           {"UNKNOWN_SERVER_ERROR", false},
	None:                         {"NONE", false},
	OffsetOutOfRange:             {"OFFSET_OUT_OF_RANGE", false},
	CorruptMessage:               {"CORRUPT_MESSAGE", true},
	UnknownTopicOrPartition:      {"UNKNOWN_TOPIC_OR_PARTITION", true},
	LeaderNotAvailable:           {"LEADER_NOT_AVAILABLE", true},
	NotLeaderOrFollower:          {"NOT_LEADER_OR_FOLLOWER", true},
	RequestTimedOut:              {"REQUEST_TIMED_OUT", true},
	MessageTooLarge:              {"MESSAGE_TOO_LARGE", false},
	NetworkException:             {"NETWORK_EXCEPTION", true},
	CoordinatorLoadInProgress:    {"COORDINATOR_LOAD_IN_PROGRESS", true},
	CoordinatorNotAvailable:      {"COORDINATOR_NOT_AVAILABLE", true},
	NotCoordinator:               {"NOT_COORDINATOR", true},
	InvalidTopicException:        {"INVALID_TOPIC_EXCEPTION", false},
	RecordListTooLarge:           {"RECORD_LIST_TOO_LARGE", false},
	NotEnoughReplicas:            {"NOT_ENOUGH_REPLICAS", true},
	NotEnoughReplicasAfterAppend: {"NOT_ENOUGH_REPLICAS_AFTER_APPEND", true},
	InvalidRequiredAcks:          {"INVALID_REQUIRED_ACKS", false},
	IllegalGeneration:            {"ILLEGAL_GENERATION", false},
	InconsistentGroupProtocol:    {"INCONSISTENT_GROUP_PROTOCOL", false},
	InvalidGroupID:               {"INVALID_GROUP_ID", false},
	UnknownMemberID:              {"UNKNOWN_MEMBER_ID", false},
	InvalidSessionTimeout:        {"INVALID_SESSION_TIMEOUT", false},
	RebalanceInProgress:          {"REBALANCE_IN_PROGRESS", false},
	TopicAlreadyExists:           {"TOPIC_ALREADY_EXISTS", false},
	InvalidPartitions:            {"INVALID_PARTITIONS", false},
	InvalidReplicationFactor:     {"INVALID_REPLICATION_FACTOR", false},
	InvalidConfig:                {"INVALID_CONFIG", false},
	NotController:                {"NOT_CONTROLLER", true},
	InvalidRequest:               {"INVALID_REQUEST", false},
	OutOfOrderSequenceNumber:     {"OUT_OF_ORDER_SEQUENCE_NUMBER", false},
	DuplicateSequenceNumber:      {"DUPLICATE_SEQUENCE_NUMBER", false},
	InvalidProducerEpoch:         {"INVALID_PRODUCER_EPOCH", false},
	InvalidTxnState:              {"INVALID_TXN_STATE", false},
	InvalidProducerIDMapping:     {"INVALID_PRODUCER_ID_MAPPING", false},
	InvalidTransactionTimeout:    {"INVALID_TRANSACTION_TIMEOUT", false},
	ConcurrentTransactions:       {"CONCURRENT_TRANSACTIONS", false},
	KafkaStorageError:            {"KAFKA_STORAGE_ERROR", true},
	UnknownProducerID:            {"UNKNOWN_PRODUCER_ID", false},
	InvalidRecord:                {"INVALID_RECORD", false},
	FetchSessionIDNotFound:       {"FETCH_SESSION_ID_NOT_FOUND", true},
	InvalidFetchSessionEpoch:     {"INVALID_FETCH_SESSION_EPOCH", true},
	FencedLeaderEpoch:            {"FENCED_LEADER_EPOCH", true},
	UnknownLeaderEpoch:           {"UNKNOWN_LEADER_EPOCH", true},
	StaleBrokerEpoch:             {"STALE_BROKER_EPOCH", false},
	TopicDeletionDisabled:        {"TOPIC_DELETION_DISABLED", false},
	MemberIDRequired:             {"MEMBER_ID_REQUIRED", false},
	FencedInstanceID:             {"FENCED_INSTANCE_ID", false},
	UnstableOffsetCommit:         {"UNSTABLE_OFFSET_COMMIT", true},
	ProducerFenced:               {"PRODUCER_FENCED", false},
	GroupIDNotFound:              {"GROUP_ID_NOT_FOUND", false},
	FencedMemberEpoch:            {"FENCED_MEMBER_EPOCH", false},
	UnreleasedInstanceID:         {"UNRELEASED_INSTANCE_ID", false},
	UnsupportedAssignor:          {"UNSUPPORTED_ASSIGNOR", false},
	StaleMemberEpoch:             {"STALE_MEMBER_EPOCH", false},
	InvalidRegularExpression:     {"INVALID_REGULAR_EXPRESSION", false},
	InvalidRecordState:           {"INVALID_RECORD_STATE", false},
	FencedStateEpoch:             {"FENCED_STATE_EPOCH", false},
	InvalidUpdateVersion:         {"INVALID_UPDATE_VERSION", false},
	IneligibleReplica:            {"INELIGIBLE_REPLICA", false},
	NewLeaderElected:             {"NEW_LEADER_ELECTED", false},
	TransactionAbortable:         {"TRANSACTION_ABORTABLE", false},
	ClientTimeout:                {"TIMEOUT_EXCEPTION", false},
}

// String is Kafka's name for the code, e.g. "NOT_ENOUGH_REPLICAS".
func (c ErrorCode) String() string {
	if e, ok := codes[c]; ok {
		return e.name
	}
	return "UNKNOWN_SERVER_ERROR"
}

// Retriable reports whether Kafka's clients retry on this code.
func (c ErrorCode) Retriable() bool {
	return codes[c].retriable
}
