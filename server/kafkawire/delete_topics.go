package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DeleteTopics (key 20), v1–6: forwarded by the broker to the active
// controller, which removes each topic with a RemoveTopicRecord; every
// broker then deletes its replicas' logs. v6 may name a topic by id
// (mapped back to the name the broker knows; an unknown id gets
// UNKNOWN_TOPIC_ID). Simplified: ids are derived from names, so a topic
// created again under a deleted one's name has the same id.
func serveDeleteTopics(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.DeleteTopicsRequest)
	body := proto.DeleteTopicsRequest{TimeoutMs: req.TimeoutMillis, Topics: append([]string(nil), req.TopicNames...)}
	var refused []kmsg.DeleteTopicsResponseTopic
	var ids map[[16]byte]string
	for _, t := range req.Topics {
		switch {
		case t.Topic != nil && t.TopicID != [16]byte{}:
			refused = append(refused, deletedTopic(t.Topic, t.TopicID, proto.InvalidRequest, "You may not specify both topic name and topic id."))
		case t.Topic != nil:
			body.Topics = append(body.Topics, *t.Topic)
		case t.TopicID == [16]byte{}:
			refused = append(refused, deletedTopic(nil, t.TopicID, proto.InvalidRequest, "Neither topic name nor id were specified."))
		default:
			if ids == nil {
				ids = s.topicNames()
			}
			if name, ok := ids[t.TopicID]; ok {
				body.Topics = append(body.Topics, name)
			} else {
				refused = append(refused, deletedTopic(nil, t.TopicID, unknownTopicID, "This server does not host this topic ID."))
			}
		}
	}
	answer := func(r proto.DeleteTopicsResponse) {
		resp := req.ResponseKind().(*kmsg.DeleteTopicsResponse)
		for _, t := range r.Topics {
			name := t.Name
			resp.Topics = append(resp.Topics, deletedTopic(&name, topicID(name), t.ErrorCode, t.ErrorMessage))
		}
		resp.Topics = append(resp.Topics, refused...)
		s.reply(seq, h, resp)
	}
	if len(body.Topics) == 0 {
		answer(proto.DeleteTopicsResponse{})
		return
	}
	send(s, body, answer)
}

// unknownTopicID is Kafka's UNKNOWN_TOPIC_ID (the engine names topics and
// never answers it).
const unknownTopicID proto.ErrorCode = 100

func deletedTopic(name *string, id [16]byte, code proto.ErrorCode, msg string) kmsg.DeleteTopicsResponseTopic {
	t := kmsg.NewDeleteTopicsResponseTopic()
	t.Topic, t.TopicID, t.ErrorCode = name, id, int16(code)
	if msg != "" {
		t.ErrorMessage = kmsg.StringPtr(msg)
	}
	return t
}
