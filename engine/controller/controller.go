// Package controller is a KRaft controller voter. The voters elect a leader
// (Vote, BeginQuorumEpoch; KIP-595) and replicate the __cluster_metadata log
// by fetching it from the leader with epoch checks, like partition
// followers; a record is committed once a majority of voters has it. The
// leader is the active controller: it registers and fences brokers, creates
// topics, elects partition leaders and changes ISRs, and answers brokers
// only once the records it appended for them are committed.
package controller

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// Role is a voter's role in the quorum.
type Role string

// Roles (KRaft's QuorumState).
const (
	Unattached Role = "unattached"
	Candidate  Role = "candidate"
	Follower   Role = "follower"
	Leader     Role = "leader"
)

// Controller is one controller voter.
type Controller struct {
	ID     int32
	voters []int32
	ep     *rpc.Endpoint
	trace  *trace.Trace
	rand   *sim.Rand
	cfg    config.Values // broker-scope settings
	// bootstrap are the feature levels the cluster was formatted with.
	bootstrap map[string]int16

	// Durable quorum state: the metadata log and quorum-state file are
	// fsynced in KRaft, so they survive a crash.
	log      []metadata.Record
	epoch    int32
	votedFor int32

	role      Role
	leaderID  int32
	hwm       int64           // records below are committed
	image     *metadata.Image // working state: the leader's includes uncommitted records
	applied   int64           // records below are in image
	committed *metadata.Image // records below hwm only
	cApplied  int64
	lastFetch map[int32]time.Duration // leader: when each voter last fetched
	timer     *sim.Timer
	votes     map[int32]bool
	followers map[int32]int64 // leader: each voter's log end offset
	fetching  bool
	waits     []commitWait
	brokers   map[int32]*brokerSession
	parked    []parkedFetch
	down      bool
	inc       int
}

type brokerSession struct {
	id       int32
	epoch    int64
	deadline *sim.Timer
}

type parkedFetch struct {
	from  sim.NodeID
	req   proto.Request
	body  any
	timer *sim.Timer
}

type commitWait struct {
	offset int64
	fn     func(ok bool)
}

// New creates a voter of the quorum voters and starts it.
func New(id int32, voters []int32, s *sim.Sim, n *sim.Network, tr *trace.Trace, cfg config.Values) *Controller {
	c := &Controller{ID: id, voters: append([]int32(nil), voters...), trace: tr, rand: s.Rand(string(names.Controller(id))), cfg: cfg, votedFor: -1}
	c.ep = rpc.NewEndpoint(s, n, names.Controller(id))
	n.Register(c.ep.ID, c.deliver)
	c.start()
	return c
}

func (c *Controller) start() {
	c.role, c.leaderID = Unattached, -1
	c.image, c.applied, c.hwm = metadata.NewImage(), 0, 0
	c.committed, c.cApplied = metadata.NewImage(), 0
	c.brokers = map[int32]*brokerSession{}
	c.followers = map[int32]int64{}
	c.fetching = false
	c.resetElectionTimer()
}

// Image is the controller's working view of the metadata (the leader's
// includes records not committed yet).
func (c *Controller) Image() *metadata.Image { return c.image }

// CommittedImage is the metadata a majority of voters has.
func (c *Controller) CommittedImage() *metadata.Image {
	for c.cApplied < c.hwm && c.cApplied < c.LogEnd() {
		c.committed.Apply(c.log[c.cApplied])
		c.cApplied++
	}
	return c.committed
}

// Records is a copy of the voter's metadata log from offset from on,
// committed or not (what a follower would truncate on divergence).
func (c *Controller) Records(from int64) []metadata.Record {
	if from < 0 || from >= c.LogEnd() {
		return nil
	}
	return append([]metadata.Record(nil), c.log[from:]...)
}

// LogEnd is the next metadata offset.
func (c *Controller) LogEnd() int64 { return int64(len(c.log)) }

// HighWatermark is the committed end of the metadata log.
func (c *Controller) HighWatermark() int64 { return c.hwm }

// Down reports whether the controller process is stopped.
func (c *Controller) Down() bool { return c.down }

// Role is the voter's quorum role.
func (c *Controller) Role() Role { return c.role }

// Epoch is the voter's current leader epoch.
func (c *Controller) Epoch() int32 { return c.epoch }

// LeaderID is the leader this voter knows, or -1.
func (c *Controller) LeaderID() int32 { return c.leaderID }

// VotedFor is the candidate this voter voted for in its epoch, or -1.
func (c *Controller) VotedFor() int32 { return c.votedFor }

// IsActive reports whether this voter is the active controller.
func (c *Controller) IsActive() bool { return !c.down && c.role == Leader }

func (c *Controller) now() time.Duration { return c.ep.Sim.Now() }

func (c *Controller) after(d time.Duration, fn func()) *sim.Timer {
	inc := c.inc
	return c.ep.Sim.After(d, func() {
		if !c.down && c.inc == inc {
			fn()
		}
	})
}

func (c *Controller) emit(kind, msg string, data map[string]any) {
	c.trace.Emit(trace.Event{Kind: kind, Node: string(c.ep.ID), Msg: msg, Data: data})
}

func (c *Controller) majority() int { return len(c.voters)/2 + 1 }

func (c *Controller) deliver(from sim.NodeID, msg any) {
	if c.down {
		return
	}
	req, ok := c.ep.Deliver(from, msg)
	if !ok {
		return
	}
	switch b := req.Body.(type) {
	case proto.VoteRequest:
		c.ep.Reply(from, req, c.handleVote(b))
	case proto.BeginQuorumEpochRequest:
		c.ep.Reply(from, req, c.handleBeginQuorumEpoch(b))
	case proto.QuorumFetchRequest:
		c.handleQuorumFetch(from, req, b)
	default:
		if c.role != Leader {
			c.ep.Reply(from, req, proto.NotControllerResponse{ErrorCode: proto.NotController, LeaderID: c.leaderID, LeaderEpoch: c.epoch})
			return
		}
		c.handleBrokerRequest(from, req)
	}
}

func (c *Controller) handleBrokerRequest(from sim.NodeID, req proto.Request) {
	switch b := req.Body.(type) {
	case proto.BrokerRegistrationRequest:
		resp := c.handleRegistration(b)
		c.replyAfterCommit(from, req, resp)
	case proto.BrokerHeartbeatRequest:
		c.replyAfterCommit(from, req, c.handleHeartbeat(b))
	case proto.MetadataFetchRequest:
		c.handleMetadataFetch(from, req, b)
	case proto.CreateTopicsRequest:
		c.replyAfterCommit(from, req, c.handleCreateTopics(b))
	case proto.AlterPartitionRequest:
		c.replyAfterCommit(from, req, c.handleAlterPartition(b))
	case proto.CreatePartitionsRequest:
		c.replyAfterCommit(from, req, c.CreatePartitions(b))
	case proto.DeleteTopicsRequest:
		c.replyAfterCommit(from, req, c.DeleteTopics(b))
	}
}

// replyAfterCommit answers once everything appended so far is committed;
// if leadership is lost first, the broker hears NOT_CONTROLLER.
func (c *Controller) replyAfterCommit(from sim.NodeID, req proto.Request, resp any) {
	c.afterCommit(c.LogEnd()-1, func(ok bool) {
		if ok {
			c.ep.Reply(from, req, resp)
		} else {
			c.ep.Reply(from, req, proto.NotControllerResponse{ErrorCode: proto.NotController, LeaderID: c.leaderID, LeaderEpoch: c.epoch})
		}
	})
}

func (c *Controller) afterCommit(offset int64, fn func(ok bool)) {
	if offset < c.hwm {
		fn(true)
		return
	}
	c.waits = append(c.waits, commitWait{offset, fn})
}

// append adds a record as leader: applied to the leader's image at once
// (KRaft's controller works ahead of the commit), committed by majority.
func (c *Controller) append(r metadata.Record) {
	if c.role != Leader {
		panic("controller: append on a non-leader")
	}
	r.Offset, r.Epoch = c.LogEnd(), c.epoch
	c.log = append(c.log, r)
	c.image.Apply(r)
	c.applied = c.LogEnd()
	c.maybeAdvanceHWM()
	c.wakeFetches()
}

// Crash stops the voter; its metadata log and quorum state are durable.
func (c *Controller) Crash() {
	if c.down {
		return
	}
	c.down = true
	c.inc++
	c.ep.Net.SetDown(c.ep.ID, true)
	c.ep.Reset()
	c.ep.Net.ResetConnections(c.ep.ID)
	c.dropWaits()
	for _, p := range c.parked {
		p.timer.Cancel()
	}
	c.parked = nil
	c.timer.Cancel()
	for _, s := range c.brokers {
		s.deadline.Cancel()
	}
	c.emit("controller_crashed", fmt.Sprintf("controller %d stopped; %d of %d voters remain", c.ID, len(c.voters)-1, len(c.voters)), map[string]any{"controller": c.ID, "was_leader": c.role == Leader})
}

// Restart brings the voter back with its durable log; it rejoins as a follower or runs for election.
func (c *Controller) Restart() {
	if !c.down {
		return
	}
	c.down = false
	c.ep.Net.SetDown(c.ep.ID, false)
	c.start()
	c.emit("controller_restarted", fmt.Sprintf("controller %d is back with %d metadata records and rejoins the quorum", c.ID, len(c.log)), map[string]any{"controller": c.ID})
}

func (c *Controller) dropWaits() {
	ws := c.waits
	c.waits = nil
	if !c.down {
		for _, w := range ws {
			w.fn(false)
		}
	}
}
