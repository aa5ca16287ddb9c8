package cluster

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// External connections are how a real Kafka client outside the simulation
// reaches a simulated broker (server/kafkawire decodes its bytes): each
// TCP connection is a node of its own on the simulated network, named
// "client-<name>", that sends the engine's requests (engine/proto) to one
// broker at the current virtual time. Faults apply as to any node: a
// crashed broker resets the connection, a partitioned one never answers.
// The host journals what it injects and when, so that a replay injecting
// the same requests at the same virtual times gives the same trace.

// externals are a cluster's outside connections by node, for the
// client_* steps of a scenario, and the host's log of what they did.
type externals struct {
	conns map[sim.NodeID]*ExternalConn
	log   func(scenario.Command, any)
}

func (c *Cluster) externals() *externals {
	if c.external == nil {
		c.external = &externals{conns: map[sim.NodeID]*ExternalConn{}}
	}
	return c.external
}

// SetClientLog makes every outside connection's connect, request (and
// request the host could not hand over) and close call log with it as a
// scenario command (client_connect, client_request, client_close) at the
// current virtual time, a request's body beside it: a session with real
// clients, as a scenario that replays it anywhere the engine runs,
// engine.wasm included. The host encodes the body as the command's
// Request (the engine's request as JSON, field names as written): the
// engine only decodes them (external_codec.go), which keeps encoders out
// of engine.wasm.
func (c *Cluster) SetClientLog(log func(cmd scenario.Command, body any)) { c.externals().log = log }

// note passes one op of this connection to the host's log.
func (x *ExternalConn) note(cmd scenario.Command, body any) {
	if log := x.c.externals().log; log != nil {
		at := x.c.Now()
		cmd.At, cmd.Node = &at, string(x.ep.ID)
		if body != nil {
			cmd.API = externalAPI(body)
		}
		log(cmd, body)
	}
}

// ExternalConn is one outside connection to one broker.
type ExternalConn struct {
	c        *Cluster
	ep       *rpc.Endpoint
	broker   sim.NodeID
	brokerID int32
	closed   bool
	reset    func()
	stats    externalStats // external_stats.go
}

// Connect opens an outside connection named name (unique for the run) to
// broker id. reset runs when the broker's process dies while the
// connection is open (its kernel resets the socket); the connection is
// closed then.
func (c *Cluster) Connect(name string, broker int32, reset func()) (*ExternalConn, error) {
	if c.Broker(int(broker)) == nil {
		return nil, fmt.Errorf("cluster: no broker %d (the cluster has %d)", broker, len(c.Brokers))
	}
	node := names.NodeID("client-" + name)
	if c.Net.Known(node) {
		return nil, fmt.Errorf("cluster: a node named %s already exists", node)
	}
	if c.Net.Down(names.Broker(broker)) {
		// Nothing listens on a crashed broker's port: the connection is refused.
		return nil, fmt.Errorf("cluster: broker %d is down: connection refused", broker)
	}
	x := &ExternalConn{c: c, ep: rpc.NewEndpoint(c.Sim, c.Net, node), broker: names.Broker(broker), brokerID: broker, reset: reset}
	c.Net.Register(node, x.deliver)
	c.externals().conns[node] = x
	// A connection made while the network is partitioned is cut off
	// where the admin client is: both are clients outside the cluster
	// (an isolated broker stays out of reach of new connections too).
	for _, cut := range c.Net.Cuts() {
		switch {
		case cut[0] == names.Admin && cut[1] != node:
			c.Net.Block(node, cut[1])
		case cut[1] == names.Admin && cut[0] != node:
			c.Net.Block(cut[0], node)
		}
	}
	c.Trace.Emit(trace.Event{Kind: "client_connected", Node: string(node),
		Msg:  fmt.Sprintf("an outside Kafka client connected to broker %d as %s", broker, node),
		Data: map[string]any{"broker": broker}})
	b := int(broker)
	x.note(scenario.Command{Op: "client_connect", Broker: &b}, nil)
	return x, nil
}

// Node is the connection's name on the simulated network.
func (x *ExternalConn) Node() sim.NodeID { return x.ep.ID }

func (x *ExternalConn) deliver(from sim.NodeID, msg any) {
	if x.closed {
		return
	}
	if _, ok := msg.(sim.Disconnected); ok && from == x.broker {
		x.ep.FailAll(from, proto.NetworkException)
		x.close(true)
		if x.reset != nil {
			x.reset()
		}
		return
	}
	x.ep.Deliver(from, msg)
}

// Send sends a request to the connection's broker; cb gets the answer, or
// NETWORK_EXCEPTION when the broker's process dies first. An answer that
// never comes (a partitioned or powered-off broker) is the client's to time
// out: cb is then never called.
func (x *ExternalConn) Send(body any, cb rpc.Callback) {
	if x.closed {
		cb(nil, proto.NetworkException)
		return
	}
	x.note(scenario.Command{Op: "client_request"}, body)
	x.countRequest(body)
	x.ep.Call(x.broker, body, 0, func(resp any, code proto.ErrorCode) {
		x.countAnswer(body, resp, code)
		cb(resp, code)
	})
}

// SendOneWay sends a request that gets no answer (a Produce with acks=0).
func (x *ExternalConn) SendOneWay(body any) {
	if !x.closed {
		x.note(scenario.Command{Op: "client_request"}, body)
		x.countRequest(body)
		x.ep.Send(x.broker, body)
	}
}

// Unsupported notes in the event log a request the host could not hand
// to the engine: an API it does not cover (min and max -1) or a version
// outside min..max.
func (x *ExternalConn) Unsupported(api string, key, version, min, max int16) {
	x.note(scenario.Command{Op: "client_request"}, UnsupportedRequest{API: api, Key: key, Version: version, Min: min, Max: max})
	why := "the playground does not cover this request"
	if min >= 0 {
		why = fmt.Sprintf("the playground covers versions %d to %d", min, max)
	}
	x.c.Trace.Emit(trace.Event{Kind: "client_request_unsupported", Node: string(x.ep.ID),
		Msg:  fmt.Sprintf("%s v%d (API key %d) from %s is not supported: %s", api, version, key, x.ep.ID, why),
		Data: map[string]any{"api": api, "key": key, "version": version, "min": min, "max": max}})
}

// Close closes the connection from the client's side: answers still on
// their way are dropped.
func (x *ExternalConn) Close() {
	if !x.closed {
		x.note(scenario.Command{Op: "client_close"}, nil)
	}
	x.close(false)
}

func (x *ExternalConn) close(byBroker bool) {
	if x.closed {
		return
	}
	x.closed, x.stats.reset = true, byBroker
	x.ep.Reset()
	by, msg := "client", fmt.Sprintf("%s disconnected: the client closed the connection", x.ep.ID)
	if byBroker {
		by, msg = "broker", fmt.Sprintf("%s disconnected: the broker's process died and its kernel reset the connection", x.ep.ID)
	}
	x.c.Trace.Emit(trace.Event{Kind: "client_disconnected", Node: string(x.ep.ID), Msg: msg, Data: map[string]any{"by": by}})
}
