package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// handleCreateTopics (API key 19) forwards the request to the active
// controller, as KRaft brokers do, and relays its answer.
func (b *Broker) handleCreateTopics(from sim.NodeID, req proto.Request, body proto.CreateTopicsRequest) {
	forward(b, from, req, body, body.TimeoutMs, func() (out proto.CreateTopicsResponse) {
		for _, t := range body.Topics {
			out.Topics = append(out.Topics, proto.CreatableTopicResult{Name: t.Name, ErrorCode: proto.RequestTimedOut, ErrorMessage: noController})
		}
		return out
	})
}
