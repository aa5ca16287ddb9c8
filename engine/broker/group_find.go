package broker

import (
	"fmt"
	"strconv"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// findCoordinator handles FindCoordinator (API key 10): the coordinator of
// a group (or transactional id) is the leader of its partition of
// __consumer_offsets (or __transaction_state). Like Kafka, the first
// request creates the internal topic through the controller; until it has
// leaders the answer is COORDINATOR_NOT_AVAILABLE and clients retry.
func (h *groupHost) findCoordinator(b *Broker, req proto.FindCoordinatorRequest, answer func(any)) {
	topic := coordinator.OffsetsTopic
	switch req.KeyType {
	case proto.CoordinatorTransaction:
		topic = coordinator.TransactionStateTopic
	case proto.CoordinatorShare:
		topic = coordinator.ShareStateTopic
	}
	fail := func(code proto.ErrorCode, msg string) {
		answer(proto.FindCoordinatorResponse{ErrorCode: code, ErrorMessage: msg, NodeID: -1})
	}
	if req.Key == "" {
		fail(proto.InvalidGroupID, "the key is empty")
		return
	}
	t := b.image.Topics[topic]
	if t == nil || len(t.Partitions) == 0 {
		h.createInternalTopic(b, topic)
		fail(proto.CoordinatorNotAvailable, fmt.Sprintf("%s does not exist yet; it is being created", topic))
		return
	}
	p := coord.Partition(req.Key, len(t.Partitions))
	part := t.Partitions[p]
	if part == nil || part.Leader < 0 {
		fail(proto.CoordinatorNotAvailable, fmt.Sprintf("%s-%d has no leader", topic, p))
		return
	}
	answer(proto.FindCoordinatorResponse{NodeID: part.Leader})
}

// createInternalTopic asks the controller for __consumer_offsets or
// __transaction_state with the replication factor capped by the live
// brokers (simplified: Kafka refuses to create it with fewer brokers than
// offsets.topic.replication.factor).
func (h *groupHost) createInternalTopic(b *Broker, topic string) {
	if h.creating[topic] {
		return
	}
	cfg := b.opts.Config
	var n, rf int64
	configs := map[string]string{"cleanup.policy": "compact"}
	minISR := int64(0)
	switch topic {
	case coordinator.OffsetsTopic:
		n, rf = cfg.Int64("offsets.topic.num.partitions"), cfg.Int64("offsets.topic.replication.factor")
		configs["segment.bytes"] = cfg.String("offsets.topic.segment.bytes")
	case coordinator.ShareStateTopic:
		n, rf = cfg.Int64("share.coordinator.state.topic.num.partitions"), cfg.Int64("share.coordinator.state.topic.replication.factor")
		minISR = cfg.Int64("share.coordinator.state.topic.min.isr")
	default:
		n, rf = cfg.Int64("transaction.state.log.num.partitions"), cfg.Int64("transaction.state.log.replication.factor")
	}
	live := int64(0)
	for _, id := range b.image.BrokerIDs() {
		if !b.image.Brokers[id].Fenced {
			live++
		}
	}
	rf = min(rf, live)
	if rf < 1 {
		return
	}
	if topic == coordinator.TransactionStateTopic {
		configs["min.insync.replicas"] = strconv.FormatInt(min(cfg.Int64("transaction.state.log.min.isr"), rf), 10)
	}
	if minISR > 0 {
		// __share_group_state: on a cluster of fewer than 3 brokers, RF and
		// min ISR 1, as Kafka's docs tell such clusters to configure
		// (simplified: the engine does it by itself).
		if live < 3 {
			rf, minISR = 1, 1
		}
		configs["min.insync.replicas"] = strconv.FormatInt(min(minISR, rf), 10)
	}
	h.creating[topic] = true
	b.emit("internal_topic_requested", nil, fmt.Sprintf("broker %d asks the controller to create %s (%d partitions, replication factor %d) for the first coordinator lookup", b.opts.ID, topic, n, rf),
		map[string]any{"topic": topic, "partitions": n, "replication_factor": rf})
	req := proto.CreateTopicsRequest{Topics: []proto.CreatableTopic{{Name: topic, NumPartitions: int32(n), ReplicationFactor: int16(rf), Configs: configs}}, TimeoutMs: 30000}
	b.callController(req, 30*time.Second, func(any, proto.ErrorCode) {
		if h.live() != nil {
			h.creating[topic] = false
		}
	})
}
