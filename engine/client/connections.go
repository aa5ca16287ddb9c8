package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// connPhase is a connection's state in Kafka's ClusterConnectionStates.
type connPhase uint8

const (
	connReady        connPhase = iota // connected and ApiVersions answered: requests may go
	connDisconnected                  // closed or refused; may reconnect after its backoff
	connConnecting                    // ApiVersions sent on a new connection, no answer yet
)

// nodeConn is one broker's NodeConnectionState.
type nodeConn struct {
	phase       connPhase
	lastAttempt time.Duration // lastConnectAttemptMs: when it last failed or was tried
	backoff     time.Duration // reconnectBackoffMs after the last failure
	failures    int           // failedAttempts since the last ready connection
}

// connections is the producer's side of NetworkClient's connection
// handling: the Sender sends only to brokers whose connection is ready
// (NetworkClient.ready). A connection that is reset, refused or timed out
// is disconnected; the next attempt waits reconnect.backoff.ms, doubling
// per failure up to reconnect.backoff.max.ms with ±20 % jitter (KIP-580),
// and a new connection is ready once the broker answers ApiVersions.
// Batches for a broker that is not ready stay queued and count no retry.
// Simplified: a broker's first connection counts as ready at once (the
// setup of connections that never failed is not modelled); the TCP
// handshake and ApiVersions are one exchange, bounded by the shorter of
// request.timeout.ms (Kafka's bound on ApiVersions) and
// socket.connection.setup.timeout.ms at its default 10 s (Kafka's bound on
// the handshake, without its growth to ...setup.timeout.max.ms).
type connections struct {
	nodes                                 map[int32]*nodeConn
	reconnectBackoff, reconnectBackoffMax time.Duration
	reconnectRnd                          *sim.Rand // the reconnect backoff's jitter
}

// connectionSetupTimeout is socket.connection.setup.timeout.ms (default).
const connectionSetupTimeout = 10 * time.Second

// nodeReady is NetworkClient.ready for the connection to a broker: true
// when it is ready; otherwise it starts a connection if the reconnect
// backoff has passed (the answer wakes the sender), or notes when it has.
func (p *Producer) nodeReady(node int32, now time.Duration) bool {
	c := p.nodes[node]
	switch {
	case c == nil || c.phase == connReady:
		return true
	case c.phase == connConnecting:
		return false
	case now-c.lastAttempt < c.backoff:
		p.wakeAt(c.lastAttempt + c.backoff)
		return false
	}
	p.connect(node, c)
	return false
}

// connect opens a new connection to a broker: ApiVersions is the first
// request on it, and the connection is ready once it is answered.
func (p *Producer) connect(node int32, c *nodeConn) {
	c.phase, c.lastAttempt = connConnecting, p.now()
	timeout := min(p.requestTimeout, connectionSetupTimeout)
	p.ep.Call(nodeOf(node), proto.APIVersionsRequest{}, timeout, func(_ any, code proto.ErrorCode) {
		if p.stopped || c.phase != connConnecting {
			return
		}
		if code != proto.None {
			why := "refused"
			if code == proto.RequestTimedOut {
				why = fmt.Sprintf("not set up within %d ms", timeout.Milliseconds())
			}
			p.connectionClosed(node, why)
			return
		}
		c.phase, c.failures, c.backoff = connReady, 0, 0
		p.wakeup()
	})
}

// connectionClosed is ClusterConnectionStates.disconnected: the connection
// to a broker was reset, refused or timed out. The next attempt waits the
// reconnect backoff; a closed connection also asks for fresh metadata (the
// partition may have a new leader). A second report of the same failure
// (the reset, then the requests it failed) changes nothing.
func (p *Producer) connectionClosed(node int32, why string) {
	c := p.nodes[node]
	if c == nil {
		c = &nodeConn{}
		p.nodes[node] = c
	}
	if c.phase == connDisconnected {
		return
	}
	now := p.now()
	c.phase, c.lastAttempt = connDisconnected, now
	c.backoff = expBackoff(p.reconnectBackoff, p.reconnectBackoffMax, c.failures, p.reconnectRnd)
	c.failures++
	p.connFailed[node] = now
	p.emit("producer_disconnected", fmt.Sprintf("producer %s: connection to broker %d %s; batches for it wait, reconnecting in %d ms (attempt %d)",
		p.name, node, why, c.backoff.Milliseconds(), c.failures),
		map[string]any{"broker": node, "reconnect_backoff_ms": c.backoff.Milliseconds(), "failures": c.failures})
	p.handling(p.requestMetadata)
}

// opened notes the connection the Sender sends a request on.
func (p *Producer) opened(node int32) {
	if p.nodes[node] == nil {
		p.nodes[node] = &nodeConn{}
	}
}

// deliver is the producer's network handler: a reset from a broker closes
// the Sender's connection to it even with no request in flight (the
// socket's end of stream), then the endpoint fails the requests on it.
// Simplified: metadata requests keep their own record of failed brokers
// (metaCache.failedAt), so a reset from a broker the Sender never sent to
// changes nothing here.
func (p *Producer) deliver(from sim.NodeID, msg any) {
	if d, reset := msg.(sim.Disconnected); reset && !p.stopped {
		if id, ok := names.BrokerID(string(from)); ok && p.nodes[int32(id)] != nil {
			why := "was reset (the broker's process died)"
			if d.Msg != nil {
				why = "was refused (the broker's process is down)"
			}
			p.connectionClosed(int32(id), why)
		}
	}
	p.ep.Deliver(from, msg)
}
