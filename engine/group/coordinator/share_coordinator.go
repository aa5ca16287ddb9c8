package coordinator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// ShareStateTopic is Kafka's share-group state topic.
const ShareStateTopic = "__share_group_state"

// ShareCoordinator keeps the persisted state of share-partitions, after
// Kafka's ShareCoordinatorShard: a broker serves ReadShareGroupState and
// WriteShareGroupState for the share-partitions whose key
// ("group:topic:partition") hashes to a __share_group_state partition it
// leads, and a new leader of such a partition rebuilds the state by
// replaying it, so the state survives the coordinator's failover.
//
// Simplified: every write stores the share-partition's whole state as one
// record (Kafka writes ShareSnapshot records and ShareUpdate deltas between
// them), so compaction keeps the latest.
type ShareCoordinator struct {
	host       Host
	partitions int
	states     map[string]*ShareStateValue // by key
	loaded     map[int32]int32             // state partition → leader epoch it was loaded in
}

// ShareStateValue is one share-partition's persisted state.
type ShareStateValue struct {
	StateEpoch  int32                   `json:"state_epoch"`
	LeaderEpoch int32                   `json:"leader_epoch"`
	StartOffset int64                   `json:"start_offset"`
	Batches     []proto.ShareStateBatch `json:"state_batches"`
}

type shareStateKey struct {
	Group     string `json:"group_id"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
}

// NewShareCoordinator returns the share coordinator of a broker; partitions
// is share.coordinator.state.topic.num.partitions.
func NewShareCoordinator(h Host, partitions int) *ShareCoordinator {
	return &ShareCoordinator{host: h, partitions: partitions, states: map[string]*ShareStateValue{}, loaded: map[int32]int32{}}
}

// ShareKey is the share coordinator's key of a share-partition (Kafka: group:topicId:partition).
func ShareKey(group, topic string, partition int32) string {
	return fmt.Sprintf("%s:%s:%d", group, topic, partition)
}

// ParseShareKey splits a ShareKey (the group may hold colons; the topic may not).
func ParseShareKey(key string) (string, names.TopicPartition, bool) {
	j := strings.LastIndexByte(key, ':')
	if j < 0 {
		return "", names.TopicPartition{}, false
	}
	i := strings.LastIndexByte(key[:j], ':')
	p, err := strconv.ParseInt(key[j+1:], 10, 32)
	if i < 0 || err != nil {
		return "", names.TopicPartition{}, false
	}
	return key[:i], names.TopicPartition{Topic: key[i+1 : j], Partition: int32(p)}, true
}

// PartitionFor is the __share_group_state partition of a key.
func (s *ShareCoordinator) PartitionFor(key string) int32 {
	return int32(coord.Partition(key, s.partitions))
}

func (s *ShareCoordinator) active(p int32) bool {
	epoch, leads := s.host.LeaderEpoch(p)
	return follow(s.loaded, p, epoch, leads, s.load, func(p int32, _ string) { s.unload(p) })
}

func (s *ShareCoordinator) unload(p int32) {
	delete(s.loaded, p)
	for k := range s.states {
		if s.PartitionFor(k) == p {
			delete(s.states, k)
		}
	}
}

// load replays partition p of __share_group_state.
func (s *ShareCoordinator) load(p int32, epoch int32) {
	s.loaded[p] = epoch
	recs := s.host.Read(p)
	n := 0
	for _, r := range recs {
		var k shareStateKey
		if jsonwire.Unmarshal(r.Key, &k) != nil || k.Group == "" {
			continue
		}
		key := ShareKey(k.Group, k.Topic, k.Partition)
		if r.Value == nil {
			delete(s.states, key)
			continue
		}
		v := &ShareStateValue{}
		if jsonwire.Unmarshal(r.Value, v) == nil {
			s.states[key] = v
		}
	}
	for k := range s.states {
		if s.PartitionFor(k) == p {
			n++
		}
	}
	s.host.Emit("share_coordinator_loaded", fmt.Sprintf("this broker now leads %s-%d (leader epoch %d): it replayed %d records and holds the state of %d share-partitions",
		ShareStateTopic, p, epoch, len(recs), n), map[string]any{"partition": p, "leader_epoch": epoch, "records": len(recs), "share_partitions": n})
}

// Read answers ReadShareGroupState.
func (s *ShareCoordinator) Read(req proto.ReadShareGroupStateRequest) proto.ReadShareGroupStateResponse {
	key := ShareKey(req.GroupID, req.Topic, req.Partition)
	if !s.active(s.PartitionFor(key)) {
		return proto.ReadShareGroupStateResponse{ErrorCode: proto.NotCoordinator, StartOffset: -1}
	}
	v := s.states[key]
	if v == nil {
		return proto.ReadShareGroupStateResponse{StartOffset: -1}
	}
	return proto.ReadShareGroupStateResponse{StateEpoch: v.StateEpoch, StartOffset: v.StartOffset, Batches: v.Batches}
}

// Write answers WriteShareGroupState once the record is replicated.
// A write from an older leader epoch than the stored one is refused
// (FENCED_LEADER_EPOCH), as ShareCoordinatorShard does.
func (s *ShareCoordinator) Write(req proto.WriteShareGroupStateRequest, reply func(proto.WriteShareGroupStateResponse)) {
	key := ShareKey(req.GroupID, req.Topic, req.Partition)
	p := s.PartitionFor(key)
	if !s.active(p) {
		reply(proto.WriteShareGroupStateResponse{ErrorCode: proto.NotCoordinator})
		return
	}
	if old := s.states[key]; old != nil && req.LeaderEpoch < old.LeaderEpoch {
		reply(proto.WriteShareGroupStateResponse{ErrorCode: proto.FencedLeaderEpoch, ErrorMessage: fmt.Sprintf("leader epoch %d is older than the stored %d", req.LeaderEpoch, old.LeaderEpoch)})
		return
	}
	v := &ShareStateValue{StateEpoch: req.StateEpoch, LeaderEpoch: req.LeaderEpoch, StartOffset: req.StartOffset, Batches: req.Batches}
	if v.Batches == nil {
		v.Batches = []proto.ShareStateBatch{}
	}
	rec := Record{Key: mustJSON(shareStateKey{req.GroupID, req.Topic, req.Partition}), Value: mustJSON(v)}
	s.host.Append(p, []Record{rec}, func(code proto.ErrorCode) {
		if code != proto.None {
			reply(proto.WriteShareGroupStateResponse{ErrorCode: appendError(code)})
			return
		}
		if _, ok := s.loaded[p]; ok {
			s.states[key] = v
		}
		reply(proto.WriteShareGroupStateResponse{})
	})
}

// Keys lists the share-partitions whose state this coordinator holds, sorted.
func (s *ShareCoordinator) Keys() []string {
	out := make([]string, 0, len(s.states))
	for k := range s.states {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// State returns the stored state of a key, or nil.
func (s *ShareCoordinator) State(key string) *ShareStateValue { return s.states[key] }
