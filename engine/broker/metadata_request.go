package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
)

// handleMetadata (API key 3) answers from the broker's replayed metadata
// image: unfenced brokers, and each partition's leader, replicas and ISR.
func (b *Broker) handleMetadata(body proto.MetadataRequest) proto.MetadataResponse {
	resp := proto.MetadataResponse{ControllerID: -1}
	for _, id := range b.image.BrokerIDs() {
		if br := b.image.Brokers[id]; !br.Fenced {
			resp.Brokers = append(resp.Brokers, proto.BrokerMetadata{NodeID: id, Rack: br.Rack})
		}
	}
	if len(resp.Brokers) > 0 {
		// KRaft clients cannot reach controllers; Kafka reports a live broker here.
		resp.ControllerID = resp.Brokers[0].NodeID
	}
	names := body.Topics
	if names == nil {
		names = b.image.TopicNames()
	}
	for _, name := range names {
		t := b.image.Topics[name]
		if t == nil {
			resp.Topics = append(resp.Topics, proto.TopicMetadata{Name: name, ErrorCode: b.autoCreateTopic(name, body.AllowAutoTopicCreation)}) // auto_create.go
			continue
		}
		tm := proto.TopicMetadata{Name: name}
		for _, p := range t.Partitions {
			pm := proto.PartitionMetadata{Index: p.Index, Leader: p.Leader, LeaderEpoch: p.LeaderEpoch,
				Replicas: append([]int32(nil), p.Replicas...), ISR: append([]int32(nil), p.ISR...)}
			for _, id := range p.Replicas {
				if br := b.image.Brokers[id]; br == nil || br.Fenced {
					pm.OfflineReplicas = append(pm.OfflineReplicas, id)
				}
			}
			if p.Leader < 0 {
				pm.ErrorCode = proto.LeaderNotAvailable
			}
			tm.Partitions = append(tm.Partitions, pm)
		}
		resp.Topics = append(resp.Topics, tm)
	}
	return resp
}
