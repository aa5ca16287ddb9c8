package broker

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// handleDeleteTopics (API key 20) forwards the request to the active
// controller, as KRaft brokers do, and relays its answer; the deletion
// itself reaches every broker through the metadata log (delete_topic.go).
func (b *Broker) handleDeleteTopics(from sim.NodeID, req proto.Request, body proto.DeleteTopicsRequest) {
	inc := b.incarnation
	b.callController(body, time.Duration(body.TimeoutMs)*time.Millisecond, func(resp any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		out, ok := resp.(proto.DeleteTopicsResponse)
		if code != proto.None || !ok {
			out = proto.DeleteTopicsResponse{}
			for _, t := range body.Topics {
				out.Topics = append(out.Topics, proto.DeletableTopicResult{Name: t, ErrorCode: proto.RequestTimedOut,
					ErrorMessage: "the controller did not answer: is the controller quorum available?"})
			}
		}
		b.ep.Reply(from, req, out)
	})
}
