package kafkawire

import (
	"crypto/sha256"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Metadata (key 3), v0–12: brokers with the loopback address of their own
// listener, and each topic's partitions, leaders and ISR as the broker's
// metadata image has them. An unknown topic is auto-created when the
// request allows it (v4+; always for v0–3, as Kafka does) and the cluster
// has auto.create.topics.enable. Simplified: topic ids are derived from
// the name (the engine names topics), so a re-created topic keeps its id.
func serveMetadata(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.MetadataRequest)
	body := proto.MetadataRequest{AllowAutoTopicCreation: req.AllowAutoTopicCreation || req.Version < 4}
	if !(req.Topics == nil || (req.Version == 0 && len(req.Topics) == 0)) {
		body.Topics = []string{}
		for _, t := range req.Topics {
			if t.Topic != nil {
				body.Topics = append(body.Topics, *t.Topic)
			}
		}
	}
	send(s, body, func(m proto.MetadataResponse) {
		resp := kmsg.NewPtrMetadataResponse()
		resp.SetVersion(req.Version)
		resp.ClusterID = kmsg.StringPtr(ClusterID)
		resp.ControllerID = m.ControllerID
		for _, br := range m.Brokers {
			mb := kmsg.NewMetadataResponseBroker()
			mb.NodeID = br.NodeID
			mb.Host, mb.Port = s.e.address(br.NodeID)
			if br.Rack != "" {
				mb.Rack = kmsg.StringPtr(br.Rack)
			}
			resp.Brokers = append(resp.Brokers, mb)
		}
		for _, t := range m.Topics {
			mt := kmsg.NewMetadataResponseTopic()
			mt.ErrorCode = int16(t.ErrorCode)
			mt.Topic = kmsg.StringPtr(t.Name)
			mt.TopicID = topicID(t.Name)
			mt.IsInternal = t.Name == "__consumer_offsets" || t.Name == "__transaction_state"
			for _, p := range t.Partitions {
				mp := kmsg.NewMetadataResponseTopicPartition()
				mp.ErrorCode = int16(p.ErrorCode)
				mp.Partition, mp.Leader, mp.LeaderEpoch = p.Index, p.Leader, p.LeaderEpoch
				mp.Replicas, mp.ISR, mp.OfflineReplicas = nonNil(p.Replicas), nonNil(p.ISR), nonNil(p.OfflineReplicas)
				mt.Partitions = append(mt.Partitions, mp)
			}
			resp.Topics = append(resp.Topics, mt)
		}
		s.reply(seq, h, resp)
	})
}

// ClusterID is the cluster.id every broker reports.
const ClusterID = "brokerlab-playground"

// topicID is a topic's id, derived from its name.
func topicID(name string) (id [16]byte) {
	sum := sha256.Sum256([]byte("brokerlab topic " + name))
	copy(id[:], sum[:16])
	return id
}

func nonNil(s []int32) []int32 {
	if s == nil {
		return []int32{}
	}
	return s
}
