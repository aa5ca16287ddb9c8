package controller

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// handleAlterPartition applies a leader's ISR change if it is based on the
// current leader epoch and partition epoch and only adds unfenced brokers.
func (c *Controller) handleAlterPartition(b proto.AlterPartitionRequest) proto.AlterPartitionResponse {
	p := c.image.Partition(b.Topic, b.Partition)
	resp := proto.AlterPartitionResponse{Topic: b.Topic, Partition: b.Partition}
	if p == nil {
		resp.ErrorCode = proto.UnknownTopicOrPartition
		return resp
	}
	fill := func() {
		resp.Leader, resp.LeaderEpoch, resp.ISR, resp.PartitionEpoch = p.Leader, p.LeaderEpoch, append([]int32(nil), p.ISR...), p.PartitionEpoch
	}
	s := c.brokers[b.BrokerID]
	switch {
	case s == nil || s.epoch != b.BrokerEpoch:
		resp.ErrorCode = proto.StaleBrokerEpoch
	case p.Leader != b.BrokerID:
		resp.ErrorCode = proto.NotLeaderOrFollower
	case b.LeaderEpoch != p.LeaderEpoch:
		resp.ErrorCode = proto.FencedLeaderEpoch
	case b.PartitionEpoch != p.PartitionEpoch:
		resp.ErrorCode = proto.InvalidUpdateVersion
	}
	if resp.ErrorCode != proto.None {
		fill()
		return resp
	}
	for _, id := range b.NewISR {
		if !metadata.Contains(p.ISR, id) && !c.usable(id) {
			resp.ErrorCode = proto.IneligibleReplica
			fill()
			return resp
		}
	}
	var added, removed []int32
	for _, id := range b.NewISR {
		if !metadata.Contains(p.ISR, id) {
			added = append(added, id)
		}
	}
	for _, id := range p.ISR {
		if !metadata.Contains(b.NewISR, id) {
			removed = append(removed, id)
		}
	}
	why := fmt.Sprintf("leader %d changed the ISR", b.BrokerID)
	if len(removed) > 0 {
		why = fmt.Sprintf("ISR shrinks: broker %v fell behind for replica.lag.time.max.ms", removed)
	} else if len(added) > 0 {
		why = fmt.Sprintf("ISR expands: broker %v caught up with the leader", added)
	}
	t := c.image.Topics[b.Topic]
	ch := c.newChange(t, p, c.usable)
	ch.targetISR = append([]int32(nil), b.NewISR...)
	c.applyChange(p, ch.build(), why)
	fill()
	return resp
}
