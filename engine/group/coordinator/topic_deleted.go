package coordinator

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// OnTopicDeleted forgets a deleted topic's committed offsets in every group
// this coordinator has loaded, after Kafka's
// OffsetMetadataManager.onPartitionsDeleted: a tombstone per offset goes to
// __consumer_offsets, so a coordinator loading the partition later does not
// bring them back, and transactional offsets still pending for the topic
// are dropped. A topic created again under the name starts with no
// committed offsets (auto.offset.reset decides where consumers begin).
func (c *Coordinator) OnTopicDeleted(topic string) {
	for _, g := range c.Groups() {
		for _, staged := range g.staged {
			for tp := range staged {
				if tp.Topic == topic {
					delete(staged, tp)
				}
			}
		}
		var tps []names.TopicPartition
		for tp := range g.offsets {
			if tp.Topic == topic {
				tps = append(tps, tp)
			}
		}
		if len(tps) == 0 || !c.active(g.Partition) {
			continue
		}
		names.Sort(tps)
		recs := make([]Record, len(tps))
		for i, tp := range tps {
			recs[i] = offsetRecord(g.ID, tp, nil)
			delete(g.offsets, tp)
		}
		c.host.Append(g.Partition, recs, func(proto.ErrorCode) {})
		c.host.Emit("offsets_deleted", fmt.Sprintf("group %s forgets its %d committed offsets of deleted topic %s", g.ID, len(tps), topic),
			map[string]any{"group": g.ID, "topic": topic, "partitions": len(tps)})
	}
}

// OnTopicDeleted deletes the persisted state of a deleted topic's
// share-partitions that this share coordinator holds, as Kafka's
// DeleteShareGroupState does when a topic goes: a tombstone per
// share-partition in __share_group_state.
func (s *ShareCoordinator) OnTopicDeleted(topic string) {
	for _, key := range s.Keys() {
		group, tp, ok := ParseShareKey(key)
		if !ok || tp.Topic != topic {
			continue
		}
		p := s.PartitionFor(key)
		if !s.active(p) {
			continue
		}
		delete(s.states, key)
		s.host.Append(p, []Record{{Key: mustJSON(shareStateKey{group, tp.Topic, tp.Partition})}}, func(proto.ErrorCode) {})
		s.host.Emit("share_state_deleted", fmt.Sprintf("share group %s's state of %s is deleted with its topic", group, tp),
			map[string]any{"group": group, "topic": tp.Topic, "partition": tp.Partition})
	}
}
