package controller

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// DeleteTopics handles DeleteTopics (API key 20) on the active controller,
// after Kafka's ControllerApis.deleteTopics and ReplicationControlManager:
// with delete.topic.enable=false every topic gets TOPIC_DELETION_DISABLED;
// a name given twice gets INVALID_REQUEST, an unknown one
// UNKNOWN_TOPIC_OR_PARTITION; each other topic is removed by one
// RemoveTopicRecord. Brokers then stop and delete their replicas
// (engine/broker delete_topic.go) once they replay it.
func (c *Controller) DeleteTopics(req proto.DeleteTopicsRequest) proto.DeleteTopicsResponse {
	var resp proto.DeleteTopicsResponse
	seen := map[string]int{}
	for _, name := range req.Topics {
		seen[name]++
	}
	for i, name := range req.Topics {
		if seen[name] > 1 {
			if first := indexOf(req.Topics, name); first == i {
				resp.Topics = append(resp.Topics, proto.DeletableTopicResult{Name: name, ErrorCode: proto.InvalidRequest, ErrorMessage: "Duplicate topic name."})
			}
			continue
		}
		code, msg := c.deleteTopic(name)
		resp.Topics = append(resp.Topics, proto.DeletableTopicResult{Name: name, ErrorCode: code, ErrorMessage: msg})
	}
	return resp
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

func (c *Controller) deleteTopic(name string) (proto.ErrorCode, string) {
	switch {
	case c.down || c.role != Leader:
		return proto.NotController, "this voter is not the active controller"
	case !c.cfg.Bool("delete.topic.enable"):
		return proto.TopicDeletionDisabled, "Topic deletion is disabled (delete.topic.enable=false)."
	case coordinator.IsInternalTopic(name):
		// Simplified: Kafka 4.x deletes an internal topic when asked (and
		// every group's offsets or transaction with it); the playground keeps them.
		return proto.InvalidRequest, fmt.Sprintf("the playground does not delete the internal topic %s (Kafka would, losing the state the coordinators keep in it)", name)
	}
	t := c.image.Topics[name]
	if t == nil {
		return proto.UnknownTopicOrPartition, fmt.Sprintf("topic %q does not exist", name)
	}
	partitions := len(t.Partitions)
	c.append(metadata.Record{RemoveTopic: &metadata.RemoveTopic{Name: name}})
	c.trace.Emit(trace.Event{Kind: "topic_deleted", Node: string(c.ep.ID), Topic: name,
		Msg:  fmt.Sprintf("topic %s is deleted with its %d partitions (committed once a majority of controllers has it); each broker then deletes its replicas' logs", name, partitions),
		Data: map[string]any{"topic": name, "partitions": partitions}})
	return proto.None, ""
}
