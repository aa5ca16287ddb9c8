package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
)

// ConsumerGroupHeartbeat (API key 68, KIP-848): the group coordinator
// serves it (engine/group/coordinator/consumer_heartbeat.go); supported as
// Kafka 4.x's version 1 with topic names instead of topic ids.
func (h *groupHost) consumerGroupHeartbeat(body proto.ConsumerGroupHeartbeatRequest, clientID string, answer func(any)) {
	h.groups.ConsumerGroupHeartbeat(body, clientID, func(r proto.ConsumerGroupHeartbeatResponse) { answer(r) })
}

// TopicPartitions implements coordinator.MetadataHost from the broker's
// metadata image.
func (t topicHost) TopicPartitions(topic string) int32 {
	b := t.h.live()
	if b == nil {
		return 0
	}
	if tm := b.image.Topics[topic]; tm != nil {
		return int32(len(tm.Partitions))
	}
	return 0
}

// TopicNames implements coordinator.MetadataHost.
func (t topicHost) TopicNames() []string {
	b := t.h.live()
	if b == nil {
		return nil
	}
	return b.image.TopicNames()
}
