package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// handleInitProducerID (API key 22) hands an idempotent producer a fresh id.
// Simplified: Kafka brokers take blocks of ids from the controller
// (AllocateProducerIds); here a broker derives unique ids from its broker
// epoch, which no other registration ever shares.
func (b *Broker) handleInitProducerID(from sim.NodeID, req proto.Request, body proto.InitProducerIDRequest) {
	if b.fenced {
		b.ep.Reply(from, req, proto.InitProducerIDResponse{ErrorCode: proto.CoordinatorNotAvailable, ProducerID: -1, ProducerEpoch: -1})
		return
	}
	b.nextPID++
	pid := (b.epoch+1)*1000 + b.nextPID
	b.ep.Reply(from, req, proto.InitProducerIDResponse{ProducerID: pid, ProducerEpoch: 0})
}
