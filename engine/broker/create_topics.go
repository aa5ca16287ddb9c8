package broker

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// handleCreateTopics (API key 19) forwards the request to the active
// controller, as KRaft brokers do, and relays its answer.
func (b *Broker) handleCreateTopics(from sim.NodeID, req proto.Request, body proto.CreateTopicsRequest) {
	inc := b.incarnation
	timeout := time.Duration(body.TimeoutMs) * time.Millisecond
	b.callController(body, timeout, func(resp any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		out, ok := resp.(proto.CreateTopicsResponse)
		if code != proto.None || !ok {
			out = proto.CreateTopicsResponse{}
			for _, t := range body.Topics {
				out.Topics = append(out.Topics, proto.CreatableTopicResult{Name: t.Name, ErrorCode: proto.RequestTimedOut,
					ErrorMessage: "the controller did not answer: is the controller quorum available?"})
			}
		}
		b.ep.Reply(from, req, out)
	})
}
