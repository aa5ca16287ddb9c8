package controller

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// CreatePartitions handles CreatePartitions (API key 37) on the active
// controller: each topic grows to the requested count with the same
// replication factor, new replicas placed like a new topic's. Partitions
// can only be added. Keyed records then hash to other partitions, and
// consumer groups subscribed to the topic rebalance once their leader sees
// the new metadata.
func (c *Controller) CreatePartitions(req proto.CreatePartitionsRequest) proto.CreatePartitionsResponse {
	var resp proto.CreatePartitionsResponse
	for _, t := range req.Topics {
		code, msg := c.createPartitions(t)
		resp.Results = append(resp.Results, proto.CreatePartitionsTopicResult{Name: t.Name, ErrorCode: code, ErrorMessage: msg})
	}
	return resp
}

func (c *Controller) createPartitions(t proto.CreatePartitionsTopic) (proto.ErrorCode, string) {
	if c.down || c.role != Leader {
		return proto.NotController, "this voter is not the active controller"
	}
	topic := c.image.Topics[t.Name]
	if topic == nil {
		return proto.UnknownTopicOrPartition, fmt.Sprintf("topic %q does not exist", t.Name)
	}
	old := int32(len(topic.Partitions))
	if t.Count <= old {
		return proto.InvalidPartitions, fmt.Sprintf("topic %s has %d partitions; the new count %d must be larger (partitions can only be added)", t.Name, old, t.Count)
	}
	rf := 1
	if old > 0 && topic.Partitions[0] != nil {
		rf = len(topic.Partitions[0].Replicas)
	}
	live := c.unfencedBrokers()
	if rf > len(live) {
		return proto.InvalidReplicationFactor, fmt.Sprintf("replication factor %d needs %d live brokers, %d are available", rf, rf, len(live))
	}
	placed := c.place(live, int(t.Count), rf)
	for p := old; p < t.Count; p++ {
		replicas := placed[p]
		c.append(metadata.Record{Partition: &metadata.PartitionRecord{Topic: t.Name, Partition: p,
			Replicas: replicas, ISR: append([]int32(nil), replicas...), Leader: replicas[0]}})
	}
	c.emit("partitions_added", fmt.Sprintf("topic %s grows from %d to %d partitions", t.Name, old, t.Count),
		map[string]any{"topic": t.Name, "from": old, "to": t.Count, "assignment": placed[old:]})
	return proto.None, ""
}
