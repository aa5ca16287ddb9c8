package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// serveOutside answers the requests only outside Kafka clients send
// (server/kafkawire live, or a recorded session's client_request steps in
// any engine, engine.wasm included): the engine's own clients never do.
// Each is in the file named after it.
func (b *Broker) serveOutside(from sim.NodeID, req proto.Request) {
	switch body := req.Body.(type) {
	case proto.CreatePartitionsRequest:
		b.handleCreatePartitions(from, req, body) // create_partitions.go
	case proto.DescribeConfigsRequest:
		b.ep.Reply(from, req, b.handleDescribeConfigs(body)) // describe_configs.go
	case proto.ListGroupsRequest:
		b.ep.Reply(from, req, b.handleListGroups(body)) // describe_groups.go
	case proto.DescribeGroupsRequest:
		b.ep.Reply(from, req, b.handleDescribeGroups(body))
	case proto.OffsetForLeaderEpochRequest:
		b.ep.Reply(from, req, b.handleOffsetForLeaderEpoch(body)) // offset_for_leader_epoch.go
	}
}
