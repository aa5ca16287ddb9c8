//go:build !wasip1

package cluster

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// The client_* ops replay a session of outside Kafka clients (external.go,
// SetClientLog): each connection is connected, sends its requests (their
// answers go nowhere) and closes at the virtual times the live session had.
// Native builds only: in engine.wasm they would cost 130 KB (the outside
// connections and a decoder per request kind) of a first load that has a
// few KB to spare; ops_clients_wasip1.go says so when a step asks.

func (c *Cluster) clientConnect(cmd scenario.Command) {
	// A refused connection (its broker down) did nothing live either.
	c.Connect(strings.TrimPrefix(cmd.Node, "client-"), int32(*cmd.Broker), nil)
}

func (c *Cluster) clientRequest(cmd scenario.Command) {
	x := c.externals().conns[sim.NodeID(cmd.Node)]
	if x == nil {
		c.fail(cmd, fmt.Errorf("no connection %s (client_connect first)", cmd.Node))
		return
	}
	body, err := decodeExternal(cmd.API, cmd.Request)
	if err != nil {
		c.fail(cmd, fmt.Errorf("%s request: %v", cmd.API, err))
		return
	}
	switch b := body.(type) {
	case UnsupportedRequest:
		x.Unsupported(b.API, b.Key, b.Version, b.Min, b.Max)
	case proto.ProduceRequest:
		if b.Acks == 0 {
			x.SendOneWay(b)
			return
		}
		x.Send(b, func(any, proto.ErrorCode) {})
	default:
		x.Send(b, func(any, proto.ErrorCode) {})
	}
}

func (c *Cluster) clientClose(cmd scenario.Command) {
	if x := c.externals().conns[sim.NodeID(cmd.Node)]; x != nil {
		x.Close()
	}
}
