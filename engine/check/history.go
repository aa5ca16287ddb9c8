package check

import "github.com/brokerlab/brokerlab/engine/view"

// History is everything the checker looks at: the partitions' final state
// replica by replica, what producers saw acknowledged, what consumers read
// and the trace events that matter (see EventKinds). It is plain data with
// snake_case JSON names, so a UI can build one without linking the engine.
type History struct {
	Partitions []Partition  `json:"partitions"`
	Acks       []Ack        `json:"acks"`
	Reads      []Read       `json:"reads"`
	Events     []view.Event `json:"events"`
	// Share groups (share.go): what share consumers read, and
	// group.share.delivery.count.limit (0: not checked).
	ShareReads         []ShareRead `json:"share_reads,omitempty"`
	ShareSPSOs         []ShareSPSO `json:"share_spsos,omitempty"`
	ShareDeliveryLimit int         `json:"share_delivery_count_limit,omitempty"`
}

// Partition is one partition's final state on every online replica.
type Partition struct {
	Topic     string    `json:"topic"`
	Partition int32     `json:"partition"`
	Replicas  []Replica `json:"replicas"`
}

// Replica is one broker's copy of a partition.
type Replica struct {
	Broker         int32 `json:"broker"`
	Leader         bool  `json:"leader"`
	LeaderEpoch    int32 `json:"leader_epoch"`
	HWM            int64 `json:"hwm"`
	LEO            int64 `json:"leo"`
	LogStartOffset int64 `json:"log_start_offset"`
	// Records holds the log from LogStartOffset to LEO in offset order
	// (control records left out).
	Records []Record `json:"records"`
}

// Record is one record of a replica's log. A null key is "" with KeyNull
// set (printed as null); a null value is "".
type Record struct {
	Offset      int64  `json:"offset"`
	Key         string `json:"key"`
	KeyNull     bool   `json:"key_null,omitempty"`
	Value       string `json:"value"`
	LeaderEpoch int32  `json:"leader_epoch"`
}

// Ack is a record a producer saw acknowledged. Producer and Seq (the order
// of its send() calls) name it; Offset is -1 for acks=0, which learns none.
type Ack struct {
	Producer  string `json:"producer"`
	Seq       int64  `json:"seq"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Key       string `json:"key"`
	KeyNull   bool   `json:"key_null,omitempty"`
	Value     string `json:"value"`
}

// Read is a record a consumer received, in the consumer's order.
type Read struct {
	Consumer  string `json:"consumer"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Key       string `json:"key"`
	KeyNull   bool   `json:"key_null,omitempty"`
	Value     string `json:"value"`
}

// EventKinds are the trace events the checker uses or quotes:
// became_leader (two-leaders-one-epoch), position_reset (where a consumer
// started), the ones that explain a loss, the consumers' ownership events
// (two-owners-one-epoch) and the share-partitions' (share.go).
var EventKinds = append([]string{"became_leader", "leader_elected", "position_reset", "offset_out_of_range", "log_truncated", "unflushed_lost",
	"partitions_assigned", "partitions_revoked", "partitions_lost", "consumer_crashed", "consumer_closed", "member_epoch_changed"}, shareEventKinds...)

// partition returns the history's state of topic-partition, or nil.
func (h *History) partition(topic string, p int32) *Partition {
	for i := range h.Partitions {
		if h.Partitions[i].Topic == topic && h.Partitions[i].Partition == p {
			return &h.Partitions[i]
		}
	}
	return nil
}

// authority is the replica whose log is the partition's committed truth:
// the leader with the highest leader epoch, else the replica with the
// highest high watermark (lowest broker id on ties); nil if none is online.
func (p *Partition) authority() *Replica {
	var best *Replica
	for i := range p.Replicas {
		r := &p.Replicas[i]
		switch {
		case best == nil:
			best = r
		case r.Leader != best.Leader:
			if r.Leader {
				best = r
			}
		case r.Leader && r.LeaderEpoch != best.LeaderEpoch:
			if r.LeaderEpoch > best.LeaderEpoch {
				best = r
			}
		case r.HWM != best.HWM:
			if r.HWM > best.HWM {
				best = r
			}
		case r.Broker < best.Broker:
			best = r
		}
	}
	return best
}

// at returns the record at offset, or nil.
func (r *Replica) at(offset int64) *Record {
	if offset < r.LogStartOffset || offset >= r.LEO {
		return nil
	}
	// Offsets are dense unless control records or compaction left gaps.
	if i := int(offset - r.LogStartOffset); i < len(r.Records) && r.Records[i].Offset == offset {
		return &r.Records[i]
	}
	lo, hi := 0, len(r.Records)
	for lo < hi {
		m := (lo + hi) / 2
		if r.Records[m].Offset < offset {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(r.Records) && r.Records[lo].Offset == offset {
		return &r.Records[lo]
	}
	return nil
}
