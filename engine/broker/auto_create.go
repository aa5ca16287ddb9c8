package broker

import (
	"fmt"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/controller"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// autoCreateTopic is Kafka's AutoTopicCreationManager: a Metadata request
// that names an unknown topic and allows auto-creation (the client's
// allow.auto.create.topics, Metadata v4+) makes the broker ask the active
// controller for it with num.partitions and default.replication.factor,
// when auto.create.topics.enable is on. The answer for now is
// LEADER_NOT_AVAILABLE; the client retries its metadata until the topic's
// leaders are known. Internal topics and invalid names are never
// auto-created.
func (b *Broker) autoCreateTopic(name string, allow bool) proto.ErrorCode {
	if !allow || !b.opts.Config.Bool("auto.create.topics.enable") || strings.HasPrefix(name, "__") {
		return proto.UnknownTopicOrPartition
	}
	if err := controller.ValidTopicName(name); err != nil {
		return proto.InvalidTopicException
	}
	req := proto.CreateTopicsRequest{Topics: []proto.CreatableTopic{{Name: name, NumPartitions: -1, ReplicationFactor: -1}}, TimeoutMs: 30000}
	b.emit("topic_auto_create", nil, fmt.Sprintf("broker %d asks the controller to create topic %s (auto.create.topics.enable=true)", b.opts.ID, name), map[string]any{"topic": name})
	b.callController(req, 30*time.Second, func(any, proto.ErrorCode) {})
	return proto.LeaderNotAvailable
}
