package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// handleCreatePartitions (API key 37) forwards the request to the active
// controller, as KRaft brokers do, and relays its answer (an outside
// client's path; the scenario's add_partitions asks the controller directly).
func (b *Broker) handleCreatePartitions(from sim.NodeID, req proto.Request, body proto.CreatePartitionsRequest) {
	forward(b, from, req, body, body.TimeoutMs, func() (out proto.CreatePartitionsResponse) {
		for _, t := range body.Topics {
			out.Results = append(out.Results, proto.CreatePartitionsTopicResult{Name: t.Name, ErrorCode: proto.RequestTimedOut, ErrorMessage: noController})
		}
		return out
	})
}
