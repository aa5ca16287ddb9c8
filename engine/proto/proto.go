// Package proto holds the messages nodes exchange on the simulated network,
// shaped like Kafka's APIs (one file per request kind) and carrying Kafka's
// error codes as values. A Go error never travels inside a message.
package proto

import "github.com/twmb/franz-go/pkg/kerr"

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
	TopicAlreadyExists           ErrorCode = 36
	InvalidPartitions            ErrorCode = 37
	InvalidReplicationFactor     ErrorCode = 38
	InvalidConfig                ErrorCode = 40
	NotController                ErrorCode = 41
	InvalidRequest               ErrorCode = 42
	KafkaStorageError            ErrorCode = 56
	FencedLeaderEpoch            ErrorCode = 74
	UnknownLeaderEpoch           ErrorCode = 75
	InvalidTopicException        ErrorCode = 17
	StaleBrokerEpoch             ErrorCode = 77
	CoordinatorNotAvailable      ErrorCode = 15
	InvalidUpdateVersion         ErrorCode = 95
	IneligibleReplica            ErrorCode = 107
	NewLeaderElected             ErrorCode = 108
	OutOfOrderSequenceNumber     ErrorCode = 45
	DuplicateSequenceNumber      ErrorCode = 46
	InvalidProducerEpoch         ErrorCode = 47
	UnknownProducerID            ErrorCode = 59
	// ClientTimeout is not a wire code: Kafka's client raises TimeoutException
	// locally when a request or delivery times out. We give it a negative code.
	ClientTimeout ErrorCode = -100
)

// renamed holds codes whose Kafka 4.x name differs from kerr's (older) one.
var renamed = map[ErrorCode]string{
	NotLeaderOrFollower:   "NOT_LEADER_OR_FOLLOWER",
	InvalidTopicException: "INVALID_TOPIC_EXCEPTION",
	ClientTimeout:         "TIMEOUT_EXCEPTION",
}

// String is Kafka's name for the code, e.g. "NOT_ENOUGH_REPLICAS".
func (c ErrorCode) String() string {
	if c == None {
		return "NONE"
	}
	if n, ok := renamed[c]; ok {
		return n
	}
	if e, ok := kerr.ErrorForCode(int16(c)).(*kerr.Error); ok {
		return e.Message
	}
	return "UNKNOWN_SERVER_ERROR"
}

// Retriable reports whether Kafka's clients retry on this code.
func (c ErrorCode) Retriable() bool {
	switch c {
	case ClientTimeout:
		return false
	case NetworkException, RequestTimedOut:
		return true
	}
	if e, ok := kerr.ErrorForCode(int16(c)).(*kerr.Error); ok {
		return e.Retriable
	}
	return false
}
