// Package rpc pairs requests with responses over the simulated network:
// correlation ids, per-request timeouts, and connection resets. Every node
// (broker, controller, client) talks through one Endpoint.
package rpc

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// Callback receives a response body, or a nil body and a code:
// REQUEST_TIMED_OUT when no answer came in time (Kafka's client raises a
// TimeoutException), NETWORK_EXCEPTION when the peer reset the connection.
type Callback func(body any, code proto.ErrorCode)

type call struct {
	e     *Endpoint
	id    int64
	to    sim.NodeID
	cb    Callback
	timer sim.Timer // the timeout, armed when Call has one
}

// Fire implements sim.Event: the call timed out.
func (c *call) Fire() {
	if e := c.e; e.pending[c.id] == c {
		delete(e.pending, c.id)
		cb := c.cb
		e.release(c)
		cb(nil, proto.RequestTimedOut)
	}
}

// finish cancels the timeout and returns the callback, letting go of it: a
// cancelled timer stays queued until its time comes, and must not keep the
// callback's captured state alive that long.
func (c *call) finish() Callback {
	c.timer.Cancel()
	cb := c.cb
	c.cb = nil
	return cb
}

// release keeps a call that is in neither pending nor the timer queue for
// the next Call: a request costs no allocation of its own.
func (e *Endpoint) release(c *call) {
	c.cb = nil
	e.free = append(e.free, c)
}

// Endpoint is one node's side of the network.
type Endpoint struct {
	Sim     *sim.Sim
	Net     *sim.Network
	ID      sim.NodeID
	next    int64
	pending map[int64]*call
	free    []*call // answered calls, out of pending and the timer queue, for reuse
	reqs    Cells[proto.Request]
	resps   Cells[proto.Response]
}

// Cells hands out the cells that messages travel in: requests and
// responses go on the network as a *proto.Request or *proto.Response
// (and the hottest bodies as pointers too, see proto.TakeFetchRequest),
// copied out and cleared on delivery, so a message costs a share of a
// slab of cells rather than boxing a value into an interface, a delivered
// message pins nothing, and a slab is garbage once its messages are
// delivered. The zero Cells is ready.
type Cells[T any] struct{ slab []T }

// slabCells is how many messages one slab holds.
const slabCells = 256

// Put copies v into a fresh cell and returns it.
func (c *Cells[T]) Put(v T) *T {
	if len(c.slab) == cap(c.slab) {
		c.slab = make([]T, 0, slabCells)
	}
	c.slab = append(c.slab, v)
	return &c.slab[len(c.slab)-1]
}

// NewEndpoint returns an endpoint for node id.
func NewEndpoint(s *sim.Sim, n *sim.Network, id sim.NodeID) *Endpoint {
	return &Endpoint{Sim: s, Net: n, ID: id, pending: map[int64]*call{}}
}

// Call sends body to a node and calls cb once with its answer or failure.
// A zero timeout waits forever (used for long polls that the peer bounds).
func (e *Endpoint) Call(to sim.NodeID, body any, timeout time.Duration, cb Callback) int64 {
	e.next++
	id := e.next
	var c *call
	if n := len(e.free); n > 0 {
		c = e.free[n-1]
		e.free[n-1] = nil
		e.free = e.free[:n-1]
		c.id, c.to, c.cb = id, to, cb
	} else {
		c = &call{e: e, id: id, to: to, cb: cb}
	}
	if timeout > 0 {
		e.Sim.Arm(&c.timer, e.Sim.Now()+timeout, c)
	}
	e.pending[id] = c
	e.Net.Send(e.ID, to, e.reqs.Put(proto.Request{CorrelationID: id, ClientID: string(e.ID), Body: body}))
	return id
}

// Send sends a request that expects no answer (acks=0 produce).
func (e *Endpoint) Send(to sim.NodeID, body any) {
	e.next++
	e.Net.Send(e.ID, to, e.reqs.Put(proto.Request{CorrelationID: e.next, ClientID: string(e.ID), Body: body}))
}

// Reply answers a request.
func (e *Endpoint) Reply(to sim.NodeID, req proto.Request, body any) {
	e.Net.Send(e.ID, to, e.resps.Put(proto.Response{CorrelationID: req.CorrelationID, Body: body}))
}

// Deliver handles responses and resets for this endpoint's calls. It
// returns the request (and true) when msg is a request for the node itself.
// Requests and responses travel as *proto.Request and *proto.Response.
func (e *Endpoint) Deliver(from sim.NodeID, msg any) (proto.Request, bool) {
	switch m := msg.(type) {
	case *proto.Request:
		req := *m
		*m = proto.Request{} // the slab must not pin the body
		return req, true
	case *proto.Response:
		resp := *m
		*m = proto.Response{}
		if c := e.pending[resp.CorrelationID]; c != nil && c.to == from {
			delete(e.pending, resp.CorrelationID)
			cb := c.finish()
			e.release(c)
			cb(resp.Body, proto.None)
		}
	case sim.Disconnected:
		// The peer's process is gone: every call to it fails now, as a TCP
		// reset fails every request in flight on that connection.
		e.FailAll(from, proto.NetworkException)
	}
	return proto.Request{}, false
}

// FailAll fails every pending call to a node with code.
func (e *Endpoint) FailAll(to sim.NodeID, code proto.ErrorCode) {
	ids := make([]int64, 0)
	for id, c := range e.pending {
		if c.to == to {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		c := e.pending[id]
		if c == nil {
			continue
		}
		delete(e.pending, id)
		cb := c.finish()
		e.release(c)
		cb(nil, code)
	}
}

// InFlight counts unanswered calls to a node.
func (e *Endpoint) InFlight(to sim.NodeID) int {
	n := 0
	for _, c := range e.pending {
		if c.to == to {
			n++
		}
	}
	return n
}

// Reset forgets every pending call without calling back: the node crashed.
func (e *Endpoint) Reset() {
	for _, c := range e.pending {
		c.finish()
	}
	e.pending = map[int64]*call{}
}
