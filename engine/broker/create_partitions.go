package broker

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// handleCreatePartitions (API key 37) forwards the request to the active
// controller, as KRaft brokers do, and relays its answer (an outside
// client's path; the scenario's add_partitions asks the controller directly).
func (b *Broker) handleCreatePartitions(from sim.NodeID, req proto.Request, body proto.CreatePartitionsRequest) {
	inc := b.incarnation
	b.callController(body, time.Duration(body.TimeoutMs)*time.Millisecond, func(resp any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		out, ok := resp.(proto.CreatePartitionsResponse)
		if code != proto.None || !ok {
			out = proto.CreatePartitionsResponse{}
			for _, t := range body.Topics {
				out.Results = append(out.Results, proto.CreatePartitionsTopicResult{Name: t.Name, ErrorCode: proto.RequestTimedOut,
					ErrorMessage: "the controller did not answer: is the controller quorum available?"})
			}
		}
		b.ep.Reply(from, req, out)
	})
}
