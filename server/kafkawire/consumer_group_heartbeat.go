package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ConsumerGroupHeartbeat (key 68), v0–1: the KIP-848 consumer group
// protocol (group.protocol=consumer; kgo's ServerSideBalancer). Kafka's
// client sends its subscription and owned partitions only when they
// changed (null: unchanged), the engine wants them every time: the
// listener keeps each member's last ones (memberState). Topics travel by
// id on the wire and by name in the engine; ids map back through the
// names the broker's metadata image knows (topicID).
func serveConsumerGroupHeartbeat(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.ConsumerGroupHeartbeatRequest)
	key := req.Group + "\x00" + req.MemberID
	st := s.e.members[key]
	if req.SubscribedTopicNames != nil {
		st.topics = req.SubscribedTopicNames
	}
	if req.SubscribedTopicRegex != nil {
		st.regex = *req.SubscribedTopicRegex
	}
	if req.ServerAssignor != nil {
		st.assignor = *req.ServerAssignor
	}
	if req.RackID != nil {
		st.rack = *req.RackID
	}
	if req.Topics != nil {
		st.owned = st.owned[:0:0]
		names := s.topicNames()
		for _, t := range req.Topics {
			if name, ok := names[t.TopicID]; ok {
				st.owned = append(st.owned, proto.TopicPartitions{Topic: name, Partitions: t.Partitions})
			}
		}
	}
	if req.MemberEpoch < 0 {
		delete(s.e.members, key) // leaving
	} else {
		s.e.members[key] = st
	}
	body := proto.ConsumerGroupHeartbeatRequest{GroupID: req.Group, MemberID: req.MemberID, MemberEpoch: req.MemberEpoch, InstanceID: str(req.InstanceID),
		RackID: st.rack, RebalanceTimeoutMs: req.RebalanceTimeoutMillis, SubscribedTopicNames: st.topics, SubscribedTopicRegex: st.regex,
		ServerAssignor: st.assignor, TopicPartitions: st.owned}
	send(s, body, func(r proto.ConsumerGroupHeartbeatResponse) {
		resp := req.ResponseKind().(*kmsg.ConsumerGroupHeartbeatResponse)
		resp.ErrorCode, resp.MemberEpoch, resp.HeartbeatIntervalMillis = int16(r.ErrorCode), r.MemberEpoch, r.HeartbeatIntervalMs
		if r.ErrorMessage != "" {
			resp.ErrorMessage = kmsg.StringPtr(r.ErrorMessage)
		}
		if r.MemberID != "" {
			resp.MemberID = kmsg.StringPtr(r.MemberID)
		}
		if r.Assignment != nil {
			a := kmsg.NewConsumerGroupHeartbeatResponseAssignment()
			for _, tp := range r.Assignment.TopicPartitions {
				t := kmsg.NewConsumerGroupHeartbeatResponseAssignmentTopic()
				t.TopicID, t.Partitions = topicID(tp.Topic), tp.Partitions
				a.Topics = append(a.Topics, t)
			}
			resp.Assignment = &a
		}
		s.reply(seq, h, resp)
	})
}

// memberState is what a KIP-848 member last told the coordinator.
type memberState struct {
	topics          []string
	regex, assignor string
	rack            string
	owned           []proto.TopicPartitions
}

// topicNames maps the topic ids of the names the connection's broker
// knows back to the names.
func (s *session) topicNames() map[[16]byte]string {
	out := map[[16]byte]string{}
	if b := s.e.c.Broker(int(s.broker)); b != nil {
		for _, name := range b.Image().TopicNames() {
			out[topicID(name)] = name
		}
	}
	return out
}
