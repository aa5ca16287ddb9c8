// Package controller is the KRaft active controller: it owns the
// __cluster_metadata log (broker registrations, fencing, topics, partition
// leadership and ISR), answers brokers' heartbeats and metadata fetches, and
// elects partition leaders. The quorum here has one voter; a metadata record
// is committed as soon as it is appended (majority of one).
package controller

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// Controller is the active controller node.
type Controller struct {
	ID    int32
	ep    *rpc.Endpoint
	trace *trace.Trace
	rand  *sim.Rand
	cfg   config.Values // broker-scope settings

	log     []metadata.Record
	image   *metadata.Image
	brokers map[int32]*brokerSession
	parked  []parkedFetch
	down    bool
}

type brokerSession struct {
	id       int32
	epoch    int64
	deadline *sim.Timer
}

type parkedFetch struct {
	from  sim.NodeID
	req   proto.Request
	body  proto.MetadataFetchRequest
	timer *sim.Timer
}

// NodeName is the network name of controller id.
func NodeName(id int32) sim.NodeID { return sim.NodeID(fmt.Sprintf("controller-%d", id)) }

// New creates a controller and registers it on the network.
func New(id int32, s *sim.Sim, n *sim.Network, tr *trace.Trace, cfg config.Values) *Controller {
	c := &Controller{ID: id, trace: tr, rand: s.Rand(string(NodeName(id))), cfg: cfg,
		image: metadata.NewImage(), brokers: map[int32]*brokerSession{}}
	c.ep = rpc.NewEndpoint(s, n, NodeName(id))
	n.Register(c.ep.ID, c.deliver)
	return c
}

// Image is the controller's view of the committed metadata.
func (c *Controller) Image() *metadata.Image { return c.image }

// LogEnd is the next metadata offset.
func (c *Controller) LogEnd() int64 { return int64(len(c.log)) }

// Down reports whether the controller process is stopped.
func (c *Controller) Down() bool { return c.down }

func (c *Controller) now() time.Duration { return c.ep.Sim.Now() }

func (c *Controller) emit(kind, msg string, data map[string]any) {
	c.trace.Emit(trace.Event{Kind: kind, Node: string(c.ep.ID), Msg: msg, Data: data})
}

func (c *Controller) deliver(from sim.NodeID, msg any) {
	if c.down {
		return
	}
	req, ok := c.ep.Deliver(from, msg)
	if !ok {
		return
	}
	switch b := req.Body.(type) {
	case proto.BrokerRegistrationRequest:
		c.ep.Reply(from, req, c.handleRegistration(b))
	case proto.BrokerHeartbeatRequest:
		c.ep.Reply(from, req, c.handleHeartbeat(b))
	case proto.MetadataFetchRequest:
		c.handleMetadataFetch(from, req, b)
	case proto.CreateTopicsRequest:
		c.ep.Reply(from, req, c.handleCreateTopics(b))
	case proto.AlterPartitionRequest:
		c.ep.Reply(from, req, c.handleAlterPartition(b))
	}
}

// append commits a record (quorum of one) and wakes parked metadata fetches.
func (c *Controller) append(r metadata.Record) {
	r.Offset = int64(len(c.log))
	c.log = append(c.log, r)
	c.image.Apply(r)
	c.wakeFetches()
}

func (c *Controller) handleMetadataFetch(from sim.NodeID, req proto.Request, b proto.MetadataFetchRequest) {
	if b.FetchOffset < int64(len(c.log)) || b.MaxWaitMs <= 0 {
		c.answerFetch(from, req, b)
		return
	}
	p := parkedFetch{from: from, req: req, body: b}
	p.timer = c.ep.Sim.After(time.Duration(b.MaxWaitMs)*time.Millisecond, func() {
		for i, q := range c.parked {
			if q.req.CorrelationID == req.CorrelationID && q.from == from {
				c.parked = append(c.parked[:i], c.parked[i+1:]...)
				c.answerFetch(from, req, b)
				return
			}
		}
	})
	c.parked = append(c.parked, p)
}

func (c *Controller) wakeFetches() {
	parked := c.parked
	c.parked = nil
	for _, p := range parked {
		p.timer.Cancel()
		c.answerFetch(p.from, p.req, p.body)
	}
}

func (c *Controller) answerFetch(from sim.NodeID, req proto.Request, b proto.MetadataFetchRequest) {
	resp := proto.MetadataFetchResponse{HighWatermark: int64(len(c.log))}
	if b.FetchOffset >= 0 && b.FetchOffset < int64(len(c.log)) {
		resp.Records = append([]metadata.Record(nil), c.log[b.FetchOffset:]...)
	}
	c.ep.Reply(from, req, resp)
}

// Crash stops the controller process; its metadata log is durable (KRaft
// fsyncs the metadata log), so a restart keeps every committed record.
func (c *Controller) Crash() {
	c.down = true
	c.ep.Net.SetDown(c.ep.ID, true)
	c.ep.Reset()
	for _, p := range c.parked {
		p.timer.Cancel()
	}
	c.parked = nil
	for _, s := range c.brokers {
		s.deadline.Cancel()
	}
	c.emit("controller_crashed", "the controller stopped: no metadata changes until it returns", nil)
}

// Restart brings the controller back; broker sessions restart their timers.
func (c *Controller) Restart() {
	c.down = false
	c.ep.Net.SetDown(c.ep.ID, false)
	for _, id := range c.image.BrokerIDs() {
		if s := c.brokers[id]; s != nil {
			c.armSession(s)
		}
	}
	c.emit("controller_restarted", "the controller is back and resumes from its metadata log", nil)
}
