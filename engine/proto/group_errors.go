package proto

// Codes of the group and transaction coordinators, with Kafka's numbers
// (their names are in proto.go's codes table).
const (
	UnknownServerError        ErrorCode = -1
	CoordinatorLoadInProgress ErrorCode = 14
	NotCoordinator            ErrorCode = 16
	IllegalGeneration         ErrorCode = 22
	InconsistentGroupProtocol ErrorCode = 23
	InvalidGroupID            ErrorCode = 24
	UnknownMemberID           ErrorCode = 25
	InvalidSessionTimeout     ErrorCode = 26
	RebalanceInProgress       ErrorCode = 27
	InvalidTxnState           ErrorCode = 48
	InvalidProducerIDMapping  ErrorCode = 49
	InvalidTransactionTimeout ErrorCode = 50
	ConcurrentTransactions    ErrorCode = 51
	GroupIDNotFound           ErrorCode = 69
	MemberIDRequired          ErrorCode = 79
	FencedInstanceID          ErrorCode = 82
	UnstableOffsetCommit      ErrorCode = 88
	ProducerFenced            ErrorCode = 90
	FencedMemberEpoch         ErrorCode = 110
	UnreleasedInstanceID      ErrorCode = 111
	UnsupportedAssignor       ErrorCode = 112
	StaleMemberEpoch          ErrorCode = 113
	InvalidRegularExpression  ErrorCode = 128
	InvalidRecordState        ErrorCode = 121 // KIP-932: the acknowledged record is not acquired by this member
	FencedStateEpoch          ErrorCode = 124
)
