package coordinator

import (
	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/names"
)

// The records of __consumer_offsets and __transaction_state. Kafka encodes
// them with versioned binary schemas (OffsetCommitKey v1, GroupMetadataKey
// v2, TransactionLogKey v0); we keep the key versions but encode as JSON so
// a learner can read them in the record view. Keys are canonical (fixed
// field order), so compaction keeps exactly one record per key.

// Key versions, as in Kafka's coordinator record schemas.
const (
	offsetKeyVersion    = 1
	groupKeyVersion     = 2
	txnOffsetKeyVersion = 100 // ours: a staged transactional offset
	txnKeyVersion       = 0
)

type offsetKey struct {
	Version   int    `json:"version"`
	Group     string `json:"group"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
}

type txnOffsetKey struct {
	Version    int    `json:"version"`
	Group      string `json:"group"`
	Topic      string `json:"topic"`
	Partition  int32  `json:"partition"`
	ProducerID int64  `json:"producer_id"`
}

type groupKey struct {
	Version int    `json:"version"`
	Group   string `json:"group"`
}

type txnKey struct {
	Version         int    `json:"version"`
	TransactionalID string `json:"transactional_id"`
}

// OffsetValue is a committed offset (OffsetCommitValue).
type OffsetValue struct {
	Offset          int64  `json:"offset"`
	LeaderEpoch     int32  `json:"leader_epoch"`
	Metadata        string `json:"metadata"`
	CommitTimestamp int64  `json:"commit_timestamp_ms"`
	ProducerID      int64  `json:"producer_id,omitempty"` // staged offsets only
	ProducerEpoch   int16  `json:"producer_epoch,omitempty"`
}

// MemberValue is one member in a group metadata record.
type MemberValue struct {
	MemberID         string                 `json:"member_id"`
	InstanceID       string                 `json:"group_instance_id,omitempty"`
	ClientID         string                 `json:"client_id"`
	SessionTimeout   int32                  `json:"session_timeout_ms"`
	RebalanceTimeout int32                  `json:"rebalance_timeout_ms"`
	Topics           []string               `json:"subscription"`
	Assignment       []names.TopicPartition `json:"assignment"`
}

// GroupValue is a group's membership (GroupMetadataValue).
type GroupValue struct {
	ProtocolType string        `json:"protocol_type"`
	Generation   int32         `json:"generation"`
	Protocol     string        `json:"protocol"`
	Leader       string        `json:"leader"`
	Members      []MemberValue `json:"members"`
}

// TxnValue is a transactional id's state (TransactionLogValue).
type TxnValue struct {
	ProducerID    int64                  `json:"producer_id"`
	ProducerEpoch int16                  `json:"producer_epoch"`
	TimeoutMs     int32                  `json:"transaction_timeout_ms"`
	State         TxnState               `json:"state"`
	Partitions    []names.TopicPartition `json:"partitions"`
	StartUS       int64                  `json:"start_us"`
}

func mustJSON(v any) []byte {
	b, err := jsonwire.Marshal(v)
	if err != nil {
		panic("coordinator: record not encodable: " + err.Error())
	}
	return b
}

func offsetRecord(group string, tp names.TopicPartition, v *OffsetValue) Record {
	r := Record{Key: mustJSON(offsetKey{offsetKeyVersion, group, tp.Topic, tp.Partition})}
	if v != nil {
		r.Value = mustJSON(v)
	}
	return r
}

func txnOffsetRecord(group string, tp names.TopicPartition, pid int64, v *OffsetValue) Record {
	r := Record{Key: mustJSON(txnOffsetKey{txnOffsetKeyVersion, group, tp.Topic, tp.Partition, pid})}
	if v != nil {
		r.Value = mustJSON(v)
	}
	return r
}

func groupRecord(group string, v *GroupValue) Record {
	r := Record{Key: mustJSON(groupKey{groupKeyVersion, group})}
	if v != nil {
		r.Value = mustJSON(v)
	}
	return r
}

func txnRecord(id string, v *TxnValue) Record {
	r := Record{Key: mustJSON(txnKey{txnKeyVersion, id})}
	if v != nil {
		r.Value = mustJSON(v)
	}
	return r
}

// decoded is one parsed coordinator record.
type decoded struct {
	version   int
	group     string
	tp        names.TopicPartition
	pid       int64
	txnID     string
	offset    *OffsetValue
	groupMeta *GroupValue
	txn       *TxnValue
	consumer  *ConsumerGroupValue
	tombstone bool
}

// decode parses a record; ok is false for records this version cannot read
// (Kafka skips unknown key versions too).
func decode(r Record) (d decoded, ok bool) {
	var head struct {
		Version         int    `json:"version"`
		Group           string `json:"group"`
		Topic           string `json:"topic"`
		Partition       int32  `json:"partition"`
		ProducerID      int64  `json:"producer_id"`
		TransactionalID string `json:"transactional_id"`
	}
	if jsonwire.Unmarshal(r.Key, &head) != nil {
		return d, false
	}
	d = decoded{version: head.Version, group: head.Group, tp: names.TopicPartition{Topic: head.Topic, Partition: head.Partition}, pid: head.ProducerID,
		txnID: head.TransactionalID, tombstone: r.Value == nil}
	if d.tombstone {
		return d, true
	}
	switch head.Version {
	case offsetKeyVersion, txnOffsetKeyVersion:
		d.offset = &OffsetValue{}
		return d, jsonwire.Unmarshal(r.Value, d.offset) == nil
	case groupKeyVersion:
		d.groupMeta = &GroupValue{}
		return d, jsonwire.Unmarshal(r.Value, d.groupMeta) == nil
	case consumerGroupKeyVersion:
		d.consumer = &ConsumerGroupValue{}
		return d, jsonwire.Unmarshal(r.Value, d.consumer) == nil
	case txnKeyVersion:
		if head.TransactionalID == "" {
			return d, false
		}
		d.txn = &TxnValue{}
		return d, jsonwire.Unmarshal(r.Value, d.txn) == nil
	}
	return d, false
}
