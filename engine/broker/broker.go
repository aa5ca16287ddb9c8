// Package broker is a Kafka broker node: it replays the controller's metadata
// log, hosts partition replicas on its Store, leads or follows them, and
// answers Produce, Fetch, ListOffsets, Metadata and CreateTopics requests
// (one file per request kind). It is pure: time and I/O come from sim and
// from the injected Store.
package broker

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Options configure a broker.
type Options struct {
	ID   int32
	Rack string
	// Controllers are the KRaft voters; the broker finds the active one.
	Controllers []sim.NodeID
	Config      config.Values // broker scope
	Store       log.Store     // the broker's disk; survives crashes
	// EpochMs is wall-clock milliseconds at virtual time zero (record timestamps).
	EpochMs int64
	// OSWriteback models Linux writing dirty pages back on its own after this
	// age (vm.dirty_expire_centisecs, 30 s by default); 0 turns it off.
	OSWriteback time.Duration
}

// Broker is one broker node.
type Broker struct {
	opts  Options
	ep    *rpc.Endpoint
	trace *trace.Trace

	down        bool
	paused      bool
	deferred    []func() // work that arrived while paused, run on resume in order
	incarnation int      // bumps on crash: timers of an earlier life do nothing
	epoch       int64
	prevEpoch   int64 // PreviousBrokerEpoch: -1 until this process registers
	registered  bool
	fenced      bool
	image       *metadata.Image
	replicas    replicaIndex
	fetchers    map[int32]*fetcher // follower fetch sessions by leader id
	sessions    fetchSessions      // the fetch sessions this broker leads (fetch_session.go)
	actions     actionQueue        // purgatory checks a produce request's appends wait to run (purgatory.go)
	// The cells the fetcher's requests and the fetch and produce
	// responses travel in (rpc.Cells): no boxing per request.
	fetchReqs    rpc.Cells[proto.FetchRequest]
	fetchResps   rpc.Cells[proto.FetchResponse]
	sessionReqs  rpc.Cells[proto.FetchSession]       // the session part of followers' fetches
	sessionResps rpc.Cells[proto.FetchSessionAnswer] // and of the answers to them
	produceResps rpc.Cells[proto.ProduceResponse]
	purgatory    purgatory
	metaPending  bool
	controller   int // index into opts.Controllers of the believed active controller
	isrTicking   bool
	nextPID      int64

	storageSt *storageState // retention, cleaner and read-path state (retention.go)

	fetchScratch []proto.FetchPartitionResponse // scanFetch's answers, reused (fetch.go)
	fetchSizes   []int                          // the bytes of each of them
	replies      followerReplies                // arrays of the responses sent to followers (fetch.go)
	slabs        slabs                          // produce responses' arrays (produce.go)
	host         *groupHost                     // group and transaction coordinators (group_host.go)

	settings settings // broker configs the per-request paths read, parsed once

	groupConfigs map[string]map[string]string // group configs by group (share_host.go)

	// Metrics (Kafka's names) the snapshot exposes.
	Metrics Metrics
}

// settings are broker configs read on every request, parsed once: a
// broker's Config never changes while it runs.
type settings struct {
	fetchWaitMaxMs int32 // replica.fetch.wait.max.ms
	clientsCopy    bool  // the client listener uses TLS (readpath.go)
	followersCopy  bool  // the inter-broker listener uses TLS
}

func parseSettings(c config.Values) settings {
	return settings{
		fetchWaitMaxMs: int32(c.Int64("replica.fetch.wait.max.ms")),
		clientsCopy:    tlsListener(c.String("playground.listener.security.protocol")),
		followersCopy:  tlsListener(c.String("security.inter.broker.protocol")),
	}
}

// Metrics are broker counters named like Kafka's JMX metrics.
type Metrics = view.BrokerMetrics

// New creates a broker, registers it on the network and starts it.
func New(opts Options, s *sim.Sim, n *sim.Network, tr *trace.Trace) *Broker {
	b := &Broker{opts: opts, trace: tr, settings: parseSettings(opts.Config)}
	b.ep = rpc.NewEndpoint(s, n, names.Broker(opts.ID))
	n.Register(b.ep.ID, b.dispatch)
	b.start()
	return b
}

// ID is the broker's node.id.
func (b *Broker) ID() int32 { return b.opts.ID }

// Rack is the broker's broker.rack.
func (b *Broker) Rack() string { return b.opts.Rack }

// Down reports whether the broker process is stopped.
func (b *Broker) Down() bool { return b.down }

// Fenced reports whether the controller has fenced this broker.
func (b *Broker) Fenced() bool { return b.fenced }

// Epoch is the broker epoch from its last registration.
func (b *Broker) Epoch() int64 { return b.epoch }

// Image is the broker's replayed metadata.
func (b *Broker) Image() *metadata.Image { return b.image }

// MetadataOffset is how far the broker replayed the metadata log.
func (b *Broker) MetadataOffset() int64 { return b.image.Offset }

func (b *Broker) now() time.Duration { return b.ep.Sim.Now() }

// nowMs is the broker's wall clock in milliseconds since the Unix epoch.
func (b *Broker) nowMs() int64 { return b.opts.EpochMs + int64(b.now()/time.Millisecond) }

// after schedules fn in this incarnation only; a paused broker runs it
// when it resumes.
func (b *Broker) after(d time.Duration, fn func()) *sim.Timer {
	inc := b.incarnation
	return b.ep.Sim.After(d, func() {
		if b.down || b.incarnation != inc {
			return
		}
		if b.paused {
			b.deferred = append(b.deferred, fn)
			return
		}
		fn()
	})
}

// Paused reports whether the broker process is stopped (SIGSTOP).
func (b *Broker) Paused() bool { return b.paused }

// Pause freezes the process like SIGSTOP or a long GC pause: it keeps its
// connections and state but handles nothing; requests queue up. A paused
// follower stops fetching and falls out of the ISR after replica.lag.time.max.ms.
func (b *Broker) Pause() {
	if b.down || b.paused {
		return
	}
	b.paused = true
	b.emit("broker_paused", nil, fmt.Sprintf("broker %d is paused: it answers nothing and fetches nothing until resumed", b.opts.ID), map[string]any{"broker": b.opts.ID})
}

// Resume continues a paused broker: queued requests and timers run in order.
func (b *Broker) Resume() {
	if !b.paused {
		return
	}
	b.paused = false
	b.emit("broker_resumed", nil, fmt.Sprintf("broker %d resumes and works through %d queued events", b.opts.ID, len(b.deferred)), map[string]any{"broker": b.opts.ID, "queued": len(b.deferred)})
	work := b.deferred
	b.deferred = nil
	inc := b.incarnation
	for _, fn := range work {
		if b.down || b.paused || b.incarnation != inc {
			return
		}
		fn()
	}
}

func (b *Broker) emit(kind string, tp *names.TopicPartition, msg string, data map[string]any) {
	e := trace.Event{Kind: kind, Node: string(b.ep.ID), Msg: msg, Data: data}
	if tp != nil {
		e.Topic, e.Partition = tp.Topic, partitionPtr(tp.Partition)
	}
	b.trace.Emit(e)
}

// emitFields is emit with the data as trace fields, for the frequent
// events (no map per event).
func (b *Broker) emitFields(kind string, tp *names.TopicPartition, msg string, fields ...trace.Field) {
	e := trace.Event{Kind: kind, Node: string(b.ep.ID), Msg: msg}
	if tp != nil {
		e.Topic, e.Partition = tp.Topic, partitionPtr(tp.Partition)
	}
	b.trace.EmitFields(e, fields...)
}

// partitionNumbers backs the Partition pointers of most events: events
// only read them, so one shared int32 per small partition number spares
// an allocation per event.
var partitionNumbers = func() (a [256]int32) {
	for i := range a {
		a[i] = int32(i)
	}
	return a
}()

// partitionPtr is trace.P without an allocation for partitions below 256.
func partitionPtr(p int32) *int32 {
	if p >= 0 && int(p) < len(partitionNumbers) {
		return &partitionNumbers[p]
	}
	return trace.P(p)
}

func (b *Broker) start() {
	b.image = metadata.NewImage()
	b.replicas = replicaIndex{}
	b.fetchers = map[int32]*fetcher{}
	b.purgatory = purgatory{}
	b.sessions.byID = nil // a restarted broker knows no session (ids still count on)
	b.actions = actionQueue{}
	b.replies = nil
	b.fenced = true
	b.registered = false
	b.prevEpoch = -1
	b.isrTicking = false
	b.metaPending = false
	b.register()
	b.startFlusher()
	startStorage(b)   // retention, the log cleaner, checkpoints (retention.go)
	startGroupHost(b) // the group and transaction coordinators (group_host.go)
}

// Replicas lists hosted replicas sorted by topic and partition.
func (b *Broker) Replicas() []*Replica {
	out := make([]*Replica, 0, b.replicas.len())
	for r := range b.replicas.all() {
		out = append(out, r) // already in that order
	}
	return out
}

// Replica returns the hosted replica of tp or nil.
func (b *Broker) Replica(tp names.TopicPartition) *Replica {
	return b.replicas.get(tp.Topic, tp.Partition)
}

// dispatch is the broker's network handler: a paused process queues the
// message; otherwise deliver takes it. After a metadata update has opened
// new logs, the storage layer re-applies its checkpoints to them (follower
// fetch responses reach it through the replica fetcher instead).
func (b *Broker) dispatch(from sim.NodeID, msg any) {
	if b.down {
		return
	}
	if b.paused {
		inc := b.incarnation
		b.deferred = append(b.deferred, func() {
			if b.incarnation == inc {
				b.dispatch(from, msg)
			}
		})
		return
	}
	metadata := false
	if m, ok := msg.(*proto.Response); ok {
		_, metadata = m.Body.(proto.MetadataFetchResponse)
	}
	b.deliver(from, msg)
	if !b.down && metadata {
		b.adoptReplicas(b.storage())
	}
}

// deliver hands a message to the endpoint (responses finish their calls)
// and a request to its handler: every request kind a broker serves is in
// this one switch. Requests for the group and transaction coordinators
// go to the group host (group_host.go), and so do the two kinds the data
// path would otherwise take: InitProducerId with a transactional.id and
// read_committed fetches from consumers.
func (b *Broker) deliver(from sim.NodeID, msg any) {
	if b.down {
		return
	}
	req, ok := b.ep.Deliver(from, msg)
	if !ok {
		return
	}
	switch body := req.Body.(type) {
	case proto.ProduceRequest:
		b.handleProduce(from, req, body)
	case *proto.ProduceRequest: // from the sender's rpc.Cells
		pr, _ := proto.TakeProduceRequest(body)
		b.handleProduce(from, req, pr)
	case proto.FetchRequest:
		b.fetch(from, req, body)
	case *proto.FetchRequest: // from the sender's rpc.Cells
		fr, _ := proto.TakeFetchRequest(body)
		b.fetch(from, req, fr)
	case proto.APIVersionsRequest:
		b.ep.Reply(from, req, b.handleAPIVersions())
	case proto.ListOffsetsRequest:
		b.ep.Reply(from, req, b.handleListOffsets(body))
	case proto.MetadataRequest:
		b.ep.Reply(from, req, b.handleMetadata(body))
	case proto.CreateTopicsRequest:
		b.handleCreateTopics(from, req, body)
	case proto.DeleteTopicsRequest:
		b.handleDeleteTopics(from, req, body) // delete_topics.go
	case proto.InitProducerIDRequest:
		if body.TransactionalID != "" {
			b.groupRequest(from, req)
		} else {
			b.handleInitProducerID(from, req, body)
		}
	case proto.FindCoordinatorRequest, proto.JoinGroupRequest, proto.SyncGroupRequest, proto.HeartbeatRequest,
		proto.LeaveGroupRequest, proto.OffsetCommitRequest, proto.OffsetFetchRequest, proto.TxnOffsetCommitRequest,
		proto.AddPartitionsToTxnRequest, proto.AddOffsetsToTxnRequest, proto.EndTxnRequest, proto.WriteTxnMarkersRequest,
		proto.ConsumerGroupHeartbeatRequest, appendWait,
		proto.ShareGroupHeartbeatRequest, proto.ShareFetchRequest, proto.ShareAcknowledgeRequest, // KIP-932 (share_*.go)
		proto.ReadShareGroupStateRequest, proto.WriteShareGroupStateRequest:
		b.groupRequest(from, req)
	default:
		b.serveOutside(from, req) // outside.go: requests only real clients send
	}
}

// fetch serves a fetch: a follower's or a read_uncommitted consumer's from
// the log (fetch.go), a read_committed consumer's through the group host,
// which knows the partitions' open transactions (txn_fetch.go).
func (b *Broker) fetch(from sim.NodeID, req proto.Request, body proto.FetchRequest) {
	if body.ReplicaID < 0 && body.IsolationLevel == 1 {
		req.Body = body
		b.groupRequest(from, req)
		return
	}
	b.handleFetch(from, req, body)
}

// Crash stops the broker. A process crash (kill -9) keeps the page cache —
// the kernel still writes it to disk — and peers see their connections
// reset at once. A power loss also drops every unflushed append and is
// silent on the network: clients wait for request.timeout.ms.
func (b *Broker) Crash(powerLoss bool) {
	if b.down {
		return
	}
	b.down = true
	b.paused = false
	b.deferred = nil
	b.incarnation++
	if powerLoss {
		b.ep.Net.SetPoweredOff(b.ep.ID)
	} else {
		b.ep.Net.SetDown(b.ep.ID, true)
	}
	b.ep.Reset()
	if !powerLoss {
		for _, r := range b.Replicas() {
			r.log.Flush() // the OS page cache survives a process crash
		}
		b.replicas = replicaIndex{}
		b.ep.Net.ResetConnections(b.ep.ID)
		b.emit("broker_crashed", nil, fmt.Sprintf("broker %d's process was killed; its page cache survives, peers see their connections reset", b.opts.ID),
			map[string]any{"broker": b.opts.ID, "mode": "process", "lost_records": 0})
		return
	}
	var lost int64
	for _, r := range b.Replicas() {
		loss := r.log.Crash()
		lost += loss.Records
		if loss.Records > 0 {
			tp := r.TP
			b.emit("unflushed_lost", &tp, fmt.Sprintf("broker %d lost %d unflushed records (offsets %d–%d) from its page cache", b.opts.ID, loss.Records, loss.FromOffset, loss.ToOffset-1),
				map[string]any{"records": loss.Records, "bytes": loss.Bytes, "from_offset": loss.FromOffset, "to_offset": loss.ToOffset})
		}
	}
	b.Metrics.LostUnflushedRecords += lost
	b.replicas = replicaIndex{}
	b.emit("broker_crashed", nil, fmt.Sprintf("broker %d lost power; %d unflushed records were lost from its page cache", b.opts.ID, lost), map[string]any{"broker": b.opts.ID, "mode": "power", "lost_records": lost})
}

// Restart starts the process again: logs are recovered from the Store and
// the broker registers with the controller for a new broker epoch.
func (b *Broker) Restart() {
	if !b.down {
		return
	}
	b.down = false
	b.ep.Net.SetDown(b.ep.ID, false)
	b.emit("broker_restarted", nil, fmt.Sprintf("broker %d restarted and recovers its logs from disk", b.opts.ID), map[string]any{"broker": b.opts.ID})
	b.start()
}
