package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// CreateTopics (key 19), v2–7: forwarded by the broker to the active
// controller. -1 partitions or replication factor take num.partitions and
// default.replication.factor. Simplified: no explicit replica
// assignments and no validate_only (both answered INVALID_REQUEST).
func serveCreateTopics(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.CreateTopicsRequest)
	body := proto.CreateTopicsRequest{TimeoutMs: req.TimeoutMillis}
	var refused []proto.CreatableTopicResult
	for _, t := range req.Topics {
		if req.ValidateOnly || len(t.ReplicaAssignment) > 0 {
			refused = append(refused, proto.CreatableTopicResult{Name: t.Topic, ErrorCode: proto.InvalidRequest,
				ErrorMessage: "the playground does not cover validate_only or explicit replica assignments"})
			continue
		}
		ct := proto.CreatableTopic{Name: t.Topic, NumPartitions: t.NumPartitions, ReplicationFactor: t.ReplicationFactor}
		for _, c := range t.Configs {
			if c.Value != nil {
				if ct.Configs == nil {
					ct.Configs = map[string]string{}
				}
				ct.Configs[c.Name] = *c.Value
			}
		}
		body.Topics = append(body.Topics, ct)
	}
	answer := func(r proto.CreateTopicsResponse) {
		resp := req.ResponseKind().(*kmsg.CreateTopicsResponse)
		for _, t := range append(r.Topics, refused...) {
			rt := kmsg.NewCreateTopicsResponseTopic()
			rt.Topic, rt.ErrorCode, rt.TopicID = t.Name, int16(t.ErrorCode), topicID(t.Name)
			if t.ErrorMessage != "" {
				rt.ErrorMessage = kmsg.StringPtr(t.ErrorMessage)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	}
	if len(body.Topics) == 0 {
		answer(proto.CreateTopicsResponse{})
		return
	}
	send(s, body, func(r proto.CreateTopicsResponse) {
		answer(r)
	})
}

// CreatePartitions (key 37), v0–3: forwarded to the active controller.
// Simplified: no explicit assignments and no validate_only (INVALID_REQUEST).
func serveCreatePartitions(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.CreatePartitionsRequest)
	body := proto.CreatePartitionsRequest{TimeoutMs: req.TimeoutMillis}
	var refused []proto.CreatePartitionsTopicResult
	for _, t := range req.Topics {
		if req.ValidateOnly || len(t.Assignment) > 0 {
			refused = append(refused, proto.CreatePartitionsTopicResult{Name: t.Topic, ErrorCode: proto.InvalidRequest,
				ErrorMessage: "the playground does not cover validate_only or explicit assignments"})
			continue
		}
		body.Topics = append(body.Topics, proto.CreatePartitionsTopic{Name: t.Topic, Count: t.Count})
	}
	answer := func(r proto.CreatePartitionsResponse) {
		resp := req.ResponseKind().(*kmsg.CreatePartitionsResponse)
		for _, t := range append(r.Results, refused...) {
			rt := kmsg.NewCreatePartitionsResponseTopic()
			rt.Topic, rt.ErrorCode = t.Name, int16(t.ErrorCode)
			if t.ErrorMessage != "" {
				rt.ErrorMessage = kmsg.StringPtr(t.ErrorMessage)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	}
	if len(body.Topics) == 0 {
		answer(proto.CreatePartitionsResponse{})
		return
	}
	send(s, body, func(r proto.CreatePartitionsResponse) {
		answer(r)
	})
}
