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
// engine.wasm has them too (about 18 KB of its first load in brotli), so a
// session exported from an attached page replays, rewinds and branches in
// the browser, and lesson 19's recorded solution plays there.

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
