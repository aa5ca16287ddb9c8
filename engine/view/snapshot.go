// Package view holds the shapes the engine shows the world — the snapshot
// and the trace event — as plain data with stable snake_case JSON names, so
// the UI and lessons can read them without linking the engine.
package view

import "time"

// Snapshot is the whole observable state. Field names are stable snake_case.
type Snapshot struct {
	TimeUS     int64              `json:"time_us"`
	Time       string             `json:"time"`
	Seed       uint64             `json:"seed"`
	EndUS      int64              `json:"end_us"`
	Events     int64              `json:"events"`
	Controller ControllerSnapshot `json:"controller"`
	Quorum     []VoterSnapshot    `json:"quorum"`
	Brokers    []BrokerSnapshot   `json:"brokers"`
	Topics     []TopicSnapshot    `json:"topics"`
	Partitions []PartitionState   `json:"partitions"`
	Producers  []ProducerSnapshot `json:"producers"`
	Consumers  []ConsumerSnapshot `json:"consumers"`
	Groups     []GroupSnapshot    `json:"groups"`
	Network    NetworkSnapshot    `json:"network"`
	// ShareConsumers are the KIP-932 share consumers (share.go), once any started.
	ShareConsumers []ShareConsumerSnapshot `json:"share_consumers,omitempty"`
	// Transactions are the transaction coordinators' transactional ids
	// (transactions.go), once any exists.
	Transactions []TransactionSnapshot `json:"transactions,omitempty"`
	// Outside are the connections of real Kafka clients (outside.go),
	// once any connected.
	Outside []OutsideClientSnapshot `json:"outside,omitempty"`
}

// ControllerSnapshot describes the active KRaft controller (ID -1 when the
// quorum has no leader).
type ControllerSnapshot struct {
	ID             int32  `json:"id"`
	State          string `json:"state"` // active, no leader
	Epoch          int32  `json:"epoch"`
	MetadataOffset int64  `json:"metadata_offset"` // last committed metadata offset
	// Features are the committed finalized feature levels, e.g.
	// eligible.leader.replicas.version (1: ELR on, Kafka 4.1+ new clusters).
	Features map[string]int16 `json:"features"`
}

// VoterSnapshot describes one controller voter of the quorum.
type VoterSnapshot struct {
	ID            int32  `json:"id"`
	State         string `json:"state"` // up, down
	Role          string `json:"role"`  // leader, follower, candidate, unattached
	Epoch         int32  `json:"epoch"`
	Leader        int32  `json:"leader"`
	VotedFor      int32  `json:"voted_for"`
	LogEndOffset  int64  `json:"log_end_offset"`
	HighWatermark int64  `json:"high_watermark"`
}

// BrokerSnapshot describes one broker.
type BrokerSnapshot struct {
	ID    int32  `json:"id"`
	Rack  string `json:"rack,omitempty"`
	State string `json:"state"` // up, down
	// Fenced is the controller's word (the committed metadata): a crashed
	// broker is fenced once it misses broker.session.timeout.ms.
	Fenced         bool  `json:"fenced"`
	BrokerEpoch    int64 `json:"broker_epoch"`
	MetadataOffset int64 `json:"metadata_offset"`
	UnflushedBytes int64 `json:"unflushed_bytes"`
	// DiskError is set while the broker cannot write to its disk (a full
	// disk, the browser's storage quota): the first failing partition's error.
	DiskError string        `json:"disk_error,omitempty"`
	Metrics   BrokerMetrics `json:"metrics"`
}

// TopicSnapshot describes a topic.
type TopicSnapshot struct {
	Name              string            `json:"name"`
	Partitions        int               `json:"partitions"`
	ReplicationFactor int               `json:"replication_factor"`
	Configs           map[string]string `json:"configs"`
}

// PartitionState describes one partition across its replicas.
type PartitionState struct {
	Topic       string  `json:"topic"`
	Partition   int32   `json:"partition"`
	Leader      int32   `json:"leader"`
	LeaderEpoch int32   `json:"leader_epoch"`
	ISR         []int32 `json:"isr"`
	// ELR are the eligible leader replicas (KIP-966): out of the ISR but
	// holding every committed record, so they may lead when the ISR is empty.
	ELR []int32 `json:"elr,omitempty"`
	// LastKnownLeader is kept once ISR and ELR are both empty: the leader
	// the controller elects if it comes back (unclean recovery).
	LastKnownLeader *int32            `json:"last_known_leader,omitempty"`
	HWM             int64             `json:"hwm"`
	LogStartOffset  int64             `json:"log_start_offset"`
	Replicas        []ReplicaSnapshot `json:"replicas"`
	Records         []RecordView      `json:"records,omitempty"`
	// LSO is the last stable offset on the leader, given once the cluster
	// has transactions: below the HWM while a transaction is open.
	LSO *int64 `json:"lso,omitempty"`
}

// ReplicaSnapshot describes one broker's copy of a partition.
type ReplicaSnapshot struct {
	Broker         int32        `json:"broker"`
	State          string       `json:"state"` // leader, follower, offline
	LEO            int64        `json:"leo"`
	HWM            int64        `json:"hwm"`
	LogStartOffset int64        `json:"log_start_offset"`
	FlushedOffset  int64        `json:"flushed_offset"`
	UnflushedBytes int64        `json:"unflushed_bytes"`
	InSync         bool         `json:"in_sync"`
	Epochs         []EpochEntry `json:"leader_epochs"`
	Segments       []Segment    `json:"segments"`
	// Storage is the log cleaner's and the read path's view (see storage.go).
	Storage *ReplicaStorage `json:"storage,omitempty"`
}

// RecordView is one record as a learner opens it.
type RecordView struct {
	Offset        int64             `json:"offset"`
	Key           *string           `json:"key"`
	Value         *string           `json:"value"`
	Timestamp     int64             `json:"timestamp"`
	TimestampType string            `json:"timestamp_type"`
	Headers       map[string]string `json:"headers,omitempty"`
	LeaderEpoch   int32             `json:"leader_epoch"`
	ProducerID    int64             `json:"producer_id"`
	Sequence      int32             `json:"sequence"`
	BatchBase     int64             `json:"batch_base_offset"`
}

// ProducerSnapshot describes a producer.
type ProducerSnapshot struct {
	Name            string             `json:"name"`
	Sent            int64              `json:"sent"`
	Acked           int64              `json:"acked"`
	Failed          map[string]int64   `json:"failed"`
	Queued          int                `json:"queued"`
	Retries         int64              `json:"retries"`
	Idempotent      bool               `json:"idempotent"`
	BufferAvailable int64              `json:"buffer_available_bytes"`
	Metrics         map[string]float64 `json:"metrics"`
	// State is the accumulator, in-flight requests and sequence numbers
	// (see producer.go).
	State *ProducerState `json:"state,omitempty"`
	// Transaction is a transactional producer's side (see producer.go).
	Transaction *ProducerTxn `json:"transaction,omitempty"`
}

// ConsumerSnapshot describes a consumer.
type ConsumerSnapshot struct {
	Name      string           `json:"name"`
	Consumed  int64            `json:"consumed"`
	Positions map[string]int64 `json:"positions"`
	Lag       map[string]int64 `json:"lag"`
	// Stopped: the consumer crashed or was closed (a new start replaces it).
	Stopped bool `json:"stopped,omitempty"`
	// CrashArmed: a crash waits for the consumer's next commit
	// ("before_commit") or poll ("before_process"); starting the consumer
	// again before it struck replaces the process at once.
	CrashArmed string `json:"crash_armed,omitempty"`
}

// NetworkSnapshot lists cut links.
type NetworkSnapshot struct {
	Cuts [][2]string `json:"cuts"`
}

// BrokerMetrics are broker counters named like Kafka's JMX metrics.
type BrokerMetrics struct {
	BytesInTotal          int64 `json:"bytes_in_total"`
	MessagesInTotal       int64 `json:"messages_in_total"`
	FailedProduceRequests int64 `json:"failed_produce_requests_total"`
	IsrShrinks            int64 `json:"isr_shrinks_total"`
	IsrExpands            int64 `json:"isr_expands_total"`
	LostUnflushedRecords  int64 `json:"lost_unflushed_records_total"`
}

// EpochEntry is one leader-epoch-checkpoint entry: the first offset written
// in an epoch (KIP-101).
type EpochEntry struct {
	Epoch       int32 `json:"epoch"`
	StartOffset int64 `json:"start_offset"`
}

// Segment is one log segment of a replica.
type Segment struct {
	BaseOffset       int64 `json:"base_offset"`
	NextOffset       int64 `json:"next_offset"`
	Batches          int   `json:"batches"`
	SizeBytes        int64 `json:"size_bytes"`
	UnflushedBytes   int64 `json:"unflushed_bytes"`
	LargestTimestamp int64 `json:"largest_timestamp"`
	CreatedUS        int64 `json:"created_us"`
	Active           bool  `json:"active"`
}

// Event is one entry of the trace. Data keys are snake_case; encoding/json
// writes map keys sorted, so the encoding is canonical.
type Event struct {
	Seq       int64          `json:"seq"`
	TimeUS    int64          `json:"t_us"`
	Kind      string         `json:"kind"`
	Node      string         `json:"node,omitempty"`
	Topic     string         `json:"topic,omitempty"`
	Partition *int32         `json:"partition,omitempty"`
	Msg       string         `json:"msg,omitempty"`
	Data      map[string]any `json:"data,omitempty"`
	// Fields is Data in the engine's compact form, used by its most
	// frequent events (no map, no boxed values): the trace encodes it as
	// "data" with the very bytes Data would give, and fills in Data for
	// the events it hands out by copy (trace.Since). At most one of Data
	// and Fields is set.
	Fields []Field `json:"-"`
}

// Field is one entry of an Event's Fields: a string or an integer, with
// the Go type Data would hold it as.
type Field struct {
	Key  string
	Str  string
	Int  int64
	Type FieldType
}

// FieldType is the Go type of a Field's value in Data.
type FieldType uint8

// The Go types a Field stands for.
const (
	FieldInt FieldType = iota
	FieldInt16
	FieldInt32
	FieldInt64
	FieldString
)

// Value is the field's value as Data holds it.
func (f Field) Value() any {
	switch f.Type {
	case FieldInt16:
		return int16(f.Int)
	case FieldInt32:
		return int32(f.Int)
	case FieldInt64:
		return f.Int
	case FieldString:
		return f.Str
	}
	return int(f.Int)
}

// At returns the event time as a duration since scenario start.
func (e Event) At() time.Duration { return time.Duration(e.TimeUS) * time.Microsecond }

// Strings reads a list of strings from event data, as the engine writes it
// ([]string) or as JSON decodes it ([]any); anything else is nil.
func Strings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, s := range x {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return nil
}
