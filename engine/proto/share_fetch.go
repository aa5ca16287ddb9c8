package proto

// ShareFetchRequest (API key 78, KIP-932) fetches records for a share
// group from a partition leader: the leader acquires records for the
// member (locks them for group.share.record.lock.duration.ms) and the
// request may carry acknowledgements of records acquired before.
//
// Simplified: no share sessions (ShareSessionEpoch is not checked), and
// the answer carries the acquired records themselves instead of the raw
// batches plus the list of acquired ranges the client filters with.
type ShareFetchRequest struct {
	GroupID    string
	MemberID   string
	MaxWaitMs  int32
	MaxRecords int32 // max.poll.records
	Topics     []ShareFetchTopic
}

// ShareFetchTopic names the partitions to fetch from (and acknowledge).
type ShareFetchTopic struct {
	Topic      string
	Partitions []ShareFetchPartition
}

// ShareFetchPartition is one partition, with acknowledgements to apply first.
type ShareFetchPartition struct {
	Partition        int32
	Acknowledgements []AcknowledgementBatch
}

// AcknowledgementBatch acknowledges the offsets FirstOffset … LastOffset
// with one type (AcknowledgeType: 1 ACCEPT, 2 RELEASE, 3 REJECT, 4 RENEW).
// Simplified: Kafka may give one type per offset in a batch.
type AcknowledgementBatch struct {
	FirstOffset     int64
	LastOffset      int64
	AcknowledgeType int8
}

// ShareFetchResponse answers per partition.
type ShareFetchResponse struct {
	ErrorCode    ErrorCode
	ErrorMessage string
	// AcquisitionLockTimeoutMs is group.share.record.lock.duration.ms
	// (KIP-1222), so a consumer knows when to RENEW.
	AcquisitionLockTimeoutMs int32
	Topics                   []ShareFetchTopicResponse
}

// ShareFetchTopicResponse groups partition answers.
type ShareFetchTopicResponse struct {
	Topic      string
	Partitions []ShareFetchPartitionResponse
}

// ShareFetchPartitionResponse carries the records acquired for the member.
type ShareFetchPartitionResponse struct {
	Partition            int32
	ErrorCode            ErrorCode
	ErrorMessage         string
	AcknowledgeErrorCode ErrorCode
	Records              []AcquiredRecord
}

// AcquiredRecord is one record the member now holds a lock on.
type AcquiredRecord struct {
	Offset        int64
	Key, Value    []byte
	Timestamp     int64
	DeliveryCount int16
}
