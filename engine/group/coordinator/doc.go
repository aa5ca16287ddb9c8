// Package coordinator holds Kafka's group coordinator (the classic rebalance
// protocol, the KIP-848 consumer protocol in consumer_*.go, and committed
// offsets) and transaction coordinator as pure state
// machines. A broker hosts them for the __consumer_offsets and
// __transaction_state partitions it leads: requests come in with a reply
// callback, state changes go out as records the host appends to those
// partitions, and a new leader rebuilds the state by replaying them, so
// coordinator failover follows partition leadership. Time, timers,
// appends and trace events come from the Host.
package coordinator

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// Names of the internal topics (Kafka's Topic.GROUP_METADATA_TOPIC_NAME and
// TRANSACTION_STATE_TOPIC_NAME).
const (
	OffsetsTopic          = "__consumer_offsets"
	TransactionStateTopic = "__transaction_state"
)

// IsInternalTopic reports whether a topic is one of Kafka's internal topics
// (Kafka decides by name, as here).
func IsInternalTopic(name string) bool {
	return name == OffsetsTopic || name == TransactionStateTopic || name == ShareStateTopic
}

// Record is one key/value record of a coordinator topic; a nil Value is a
// tombstone (compaction removes the key).
type Record struct {
	Key, Value []byte
}

// Host is what a coordinator needs from the broker that runs it.
type Host interface {
	Now() time.Duration
	// After runs fn after d unless the broker crashed or restarted meanwhile.
	After(d time.Duration, fn func())
	// LeaderEpoch reports whether the broker leads partition p of the
	// coordinator's topic, and in which leader epoch.
	LeaderEpoch(p int32) (int32, bool)
	// Read returns every record of partition p, oldest first (loading).
	Read(p int32) []Record
	// Append writes records to partition p as its leader and calls done
	// once they are replicated (acks=all) or failed.
	Append(p int32, recs []Record, done func(code proto.ErrorCode))
	// Emit adds a trace event.
	Emit(kind, msg string, data map[string]any)
}
