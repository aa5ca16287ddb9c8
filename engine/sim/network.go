package sim

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
)

// NodeID names a node on the simulated network ("broker-1", "producer-p1", …);
// package names makes them.
type NodeID = names.NodeID

// Handler receives messages delivered to a node.
type Handler func(from NodeID, msg any)

// Disconnected is delivered back to a sender whose message reached a node
// whose process is down: the host answers with a TCP reset, so clients learn
// fast. A network partition, in contrast, is silent: only timeouts tell.
type Disconnected struct {
	To  NodeID
	Msg any
}

// NetworkConfig sets the default link behaviour.
type NetworkConfig struct {
	Latency time.Duration // one-way base latency of every link
	Jitter  time.Duration // extra uniform delay in [0, Jitter]
}

// DefaultNetworkConfig is a datacenter LAN: 1 ms one way, up to 0.5 ms jitter.
func DefaultNetworkConfig() NetworkConfig {
	return NetworkConfig{Latency: time.Millisecond, Jitter: 500 * time.Microsecond}
}

type link struct{ from, to NodeID }

// wire is what the network keeps of a link that carried a message, found
// with one lookup per message.
type wire struct {
	jitter *Rand         // one seeded stream per link: traffic on one link never shifts another's timing
	lastAt time.Duration // arrival of the last message sent, which the next may not overtake
	h      Handler       // the receiver's handler as of registration generation hgen
	hgen   uint64
}

// Network delivers messages between nodes with per-link latency and seeded
// jitter, keeps each link FIFO (Kafka talks over TCP), and applies faults:
// down nodes, partitions (blocked links), extra link delay and drop rates.
type Network struct {
	sim      *Sim
	rand     *Rand
	cfg      NetworkConfig
	handlers map[NodeID]Handler
	down     map[NodeID]bool
	silent   map[NodeID]bool
	blocked  map[link]bool
	delay    map[link]time.Duration
	dropRate map[link]float64
	wires    map[link]*wire // links that carried a message
	free     []*delivery    // delivered messages' events, for reuse
	gen      uint64         // counts Register calls: wires' cached handlers older than it are stale
	// Sent and Dropped count messages for metrics.
	Sent, Dropped int64
}

// NewNetwork returns a network on s.
func NewNetwork(s *Sim, cfg NetworkConfig) *Network {
	return &Network{
		sim: s, rand: s.Rand("network"), cfg: cfg,
		handlers: map[NodeID]Handler{}, down: map[NodeID]bool{}, silent: map[NodeID]bool{}, blocked: map[link]bool{},
		delay: map[link]time.Duration{}, dropRate: map[link]float64{}, wires: map[link]*wire{},
	}
}

// Register attaches a node's handler; registering again replaces it.
func (n *Network) Register(id NodeID, h Handler) {
	n.handlers[id] = h
	n.gen++
}

// Known reports whether a node is registered.
func (n *Network) Known(id NodeID) bool { _, ok := n.handlers[id]; return ok }

// Nodes lists registered nodes, sorted.
func (n *Network) Nodes() []NodeID {
	out := make([]NodeID, 0, len(n.handlers))
	for id := range n.handlers {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// SetDown marks a node's process as stopped (true) or running (false).
// Its host stays up, so connection attempts to it are refused at once.
func (n *Network) SetDown(id NodeID, down bool) {
	if down {
		n.down[id] = true
	} else {
		delete(n.down, id)
		delete(n.silent, id)
	}
}

// SetPoweredOff marks a node's whole host as off: messages to it vanish
// without any reset, so peers only learn through timeouts.
func (n *Network) SetPoweredOff(id NodeID) {
	n.down[id] = true
	n.silent[id] = true
}

// ResetConnections tells every other node that id's process died: its
// kernel closes id's TCP connections, so peers fail their requests to it at
// once instead of waiting for a timeout. (A power loss sends nothing.)
func (n *Network) ResetConnections(id NodeID) {
	for _, peer := range n.Nodes() {
		if peer == id || n.down[peer] || n.blocked[link{id, peer}] {
			continue
		}
		peer := peer
		at := n.sim.Now() + n.cfg.Latency
		n.sim.Schedule(at, func() {
			if h := n.handlers[peer]; h != nil && !n.down[peer] {
				h(id, Disconnected{To: id})
			}
		})
	}
}

// Down reports whether a node's process is stopped.
func (n *Network) Down(id NodeID) bool { return n.down[id] }

// Send queues msg from one node to another. Messages on one link arrive in
// the order sent. Blocked links and drops lose the message silently.
func (n *Network) Send(from, to NodeID, msg any) {
	n.Sent++
	l := link{from, to}
	if n.blocked[l] || n.down[from] {
		n.Dropped++
		return
	}
	w := n.wires[l]
	if w == nil {
		w = &wire{jitter: n.rand.Fork(string(from) + ">" + string(to)), lastAt: -1 << 63}
		n.wires[l] = w
	}
	if r := n.dropRate[l]; r > 0 && w.jitter.Float64() < r {
		n.Dropped++
		return
	}
	at := n.sim.Now() + n.cfg.Latency + w.jitter.Jitter(n.cfg.Jitter) + n.delay[l]
	at = max(at, w.lastAt)
	w.lastAt = at
	var d *delivery
	if k := len(n.free); k > 0 {
		d, n.free = n.free[k-1], n.free[:k-1]
	} else {
		d = &delivery{net: n}
		d.timer.ev = d
	}
	d.from, d.to, d.msg, d.wire = from, to, msg, w
	n.sim.push(&d.timer, at)
}

// delivery is a message on the wire: the event that delivers it, with its
// own timer. Nothing outside the network sees it, so once fired it is
// reused for a later message instead of becoming garbage.
type delivery struct {
	timer    Timer
	net      *Network
	from, to NodeID
	msg      any
	wire     *wire
}

// Fire implements Event.
func (d *delivery) Fire() {
	n, from, to, msg, w := d.net, d.from, d.to, d.msg, d.wire
	d.msg, d.wire = nil, nil
	n.free = append(n.free, d)
	n.deliver(from, to, msg, w)
}

// handler is the handler registered for the link's receiver, looked up
// once per registration rather than per message.
func (w *wire) handler(n *Network, to NodeID) Handler {
	if w.hgen != n.gen {
		w.h, w.hgen = n.handlers[to], n.gen
	}
	return w.h
}

func (n *Network) deliver(from, to NodeID, msg any, w *wire) {
	if n.blocked[link{from, to}] {
		n.Dropped++
		return
	}
	if n.down[to] {
		n.Dropped++
		if _, isReset := msg.(Disconnected); !isReset && !n.silent[to] && !n.down[from] {
			// The host refuses the connection: a reset travels back.
			n.sim.Schedule(n.sim.Now()+n.cfg.Latency, func() {
				if h := n.handlers[from]; h != nil && !n.down[from] && !n.blocked[link{to, from}] {
					h(to, Disconnected{To: to, Msg: msg})
				}
			})
		}
		return
	}
	// A message whose sender crashed after sending still arrives: it was on the wire.
	if h := w.handler(n, to); h != nil {
		h(from, msg)
	}
}

// Partition blocks every link between nodes of different groups (both
// directions). Nodes in no group keep talking to everyone.
func (n *Network) Partition(groups [][]NodeID) {
	for i, a := range groups {
		for j, b := range groups {
			if i == j {
				continue
			}
			for _, x := range a {
				for _, y := range b {
					n.blocked[link{x, y}] = true
				}
			}
		}
	}
}

// Block cuts the one-way link from → to.
func (n *Network) Block(from, to NodeID) { n.blocked[link{from, to}] = true }

// SetLinkDelay adds extra one-way delay on both directions of a link (0 removes it).
func (n *Network) SetLinkDelay(a, b NodeID, d time.Duration) {
	for _, l := range []link{{a, b}, {b, a}} {
		if d == 0 {
			delete(n.delay, l)
		} else {
			n.delay[l] = d
		}
	}
}

// SetDropRate drops a fraction of messages on both directions of a link.
func (n *Network) SetDropRate(a, b NodeID, rate float64) {
	for _, l := range []link{{a, b}, {b, a}} {
		if rate <= 0 {
			delete(n.dropRate, l)
		} else {
			n.dropRate[l] = rate
		}
	}
}

// Heal removes every partition, extra delay and drop rate.
func (n *Network) Heal() {
	n.blocked = map[link]bool{}
	n.delay = map[link]time.Duration{}
	n.dropRate = map[link]float64{}
}

// Reachable reports whether a message from → to would currently get through.
func (n *Network) Reachable(from, to NodeID) bool {
	return !n.blocked[link{from, to}] && !n.down[to] && !n.down[from]
}

// Cuts lists the blocked links as sorted "from>to" pairs, for snapshots.
func (n *Network) Cuts() [][2]NodeID {
	out := make([][2]NodeID, 0, len(n.blocked))
	for l := range n.blocked {
		out = append(out, [2]NodeID{l.from, l.to})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}
