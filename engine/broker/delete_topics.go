package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// handleDeleteTopics (API key 20) forwards the request to the active
// controller, as KRaft brokers do, and relays its answer; the deletion
// itself reaches every broker through the metadata log (delete_topic.go).
func (b *Broker) handleDeleteTopics(from sim.NodeID, req proto.Request, body proto.DeleteTopicsRequest) {
	forward(b, from, req, body, body.TimeoutMs, func() (out proto.DeleteTopicsResponse) {
		for _, t := range body.Topics {
			out.Topics = append(out.Topics, proto.DeletableTopicResult{Name: t, ErrorCode: proto.RequestTimedOut, ErrorMessage: noController})
		}
		return out
	})
}
