package controller

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// Quorum timing (KRaft defaults).
func (c *Controller) electionTimeout() time.Duration {
	// controller.quorum.election.timeout.ms = 1000, randomised up to 2× so
	// voters rarely start elections at the same moment.
	return time.Second + time.Duration(c.rand.Int63n(int64(time.Second)))
}

const (
	fetchTimeout = 2 * time.Second // controller.quorum.fetch.timeout.ms
	quorumWait   = 500 * time.Millisecond
	// checkQuorumTimeout is how long an active controller goes on without
	// fetches from a majority before it resigns: 1.5 × the fetch timeout
	// (LeaderState.CHECK_QUORUM_TIMEOUT_FACTOR in Kafka's raft module).
	checkQuorumTimeout = fetchTimeout * 3 / 2
)

func (c *Controller) lastEpoch() int32 {
	if n := len(c.log); n > 0 {
		return c.log[n-1].Epoch
	}
	return 0
}

// resetElectionTimer arms the timer that starts an election if nothing is
// heard from a leader: the election timeout for unattached voters and
// candidates, the fetch timeout for followers.
func (c *Controller) resetElectionTimer() {
	c.timer.Cancel()
	d := c.electionTimeout()
	if c.role == Follower {
		d = fetchTimeout
	}
	if c.role == Leader {
		return
	}
	c.timer = c.after(d, c.startElection)
}

func (c *Controller) startElection() {
	if c.role == Leader {
		return
	}
	c.epoch++
	c.role, c.leaderID, c.votedFor = Candidate, -1, c.ID
	c.votes = map[int32]bool{c.ID: true}
	c.dropWaits()
	c.emit("controller_election", fmt.Sprintf("controller %d starts an election for epoch %d and needs %d of %d votes", c.ID, c.epoch, c.majority(), len(c.voters)),
		map[string]any{"controller": c.ID, "epoch": c.epoch})
	c.resetElectionTimer()
	if len(c.votes) >= c.majority() {
		c.becomeLeader()
		return
	}
	req := proto.VoteRequest{CandidateEpoch: c.epoch, CandidateID: c.ID, LastOffsetEpoch: c.lastEpoch(), LastOffset: c.LogEnd()}
	epoch := c.epoch
	for _, v := range c.voters {
		if v == c.ID {
			continue
		}
		v := v
		c.ep.Call(names.Controller(v), req, time.Second, func(body any, code proto.ErrorCode) {
			if c.down || c.role != Candidate || c.epoch != epoch {
				return
			}
			resp, ok := body.(proto.VoteResponse)
			if !ok || code != proto.None {
				return
			}
			// A voter that knows a leader of this epoch (or a later epoch)
			// makes the candidate its follower, as in Kafka's
			// KafkaRaftClient.maybeHandleCommonResponse.
			if resp.LeaderEpoch > c.epoch || (resp.LeaderEpoch == c.epoch && resp.LeaderID >= 0) {
				c.becomeFollower(resp.LeaderEpoch, resp.LeaderID)
				return
			}
			if resp.VoteGranted {
				c.votes[v] = true
				if len(c.votes) >= c.majority() {
					c.becomeLeader()
				}
			}
		})
	}
}

// handleVote grants a vote if the epoch is current, this voter has not voted
// for someone else in it, and the candidate's log is at least as up to date.
func (c *Controller) handleVote(b proto.VoteRequest) proto.VoteResponse {
	if b.CandidateEpoch < c.epoch {
		return proto.VoteResponse{ErrorCode: proto.FencedLeaderEpoch, LeaderEpoch: c.epoch, LeaderID: c.leaderID}
	}
	if b.CandidateEpoch > c.epoch {
		c.becomeUnattached(b.CandidateEpoch)
	}
	upToDate := b.LastOffsetEpoch > c.lastEpoch() || (b.LastOffsetEpoch == c.lastEpoch() && b.LastOffset >= c.LogEnd())
	grant := upToDate && (c.votedFor == -1 || c.votedFor == b.CandidateID) && c.role != Leader && c.leaderID == -1
	if grant {
		c.votedFor = b.CandidateID
		c.resetElectionTimer()
	}
	return proto.VoteResponse{LeaderEpoch: c.epoch, LeaderID: c.leaderID, VoteGranted: grant}
}

func (c *Controller) handleBeginQuorumEpoch(b proto.BeginQuorumEpochRequest) proto.BeginQuorumEpochResponse {
	if b.LeaderEpoch < c.epoch {
		return proto.BeginQuorumEpochResponse{ErrorCode: proto.FencedLeaderEpoch, LeaderEpoch: c.epoch, LeaderID: c.leaderID}
	}
	if b.LeaderEpoch > c.epoch || c.role != Follower || c.leaderID != b.LeaderID {
		c.becomeFollower(b.LeaderEpoch, b.LeaderID)
	}
	return proto.BeginQuorumEpochResponse{LeaderEpoch: c.epoch, LeaderID: c.leaderID}
}

func (c *Controller) becomeUnattached(epoch int32) {
	c.stepDown()
	c.epoch, c.role, c.leaderID, c.votedFor = epoch, Unattached, -1, -1
	c.resetElectionTimer()
}

func (c *Controller) becomeFollower(epoch int32, leader int32) {
	wasLeader := c.role == Leader
	c.stepDown()
	if epoch > c.epoch {
		c.votedFor = -1
	}
	c.epoch, c.role, c.leaderID = epoch, Follower, leader
	if wasLeader {
		c.emit("controller_resigned", fmt.Sprintf("controller %d is no longer the active controller: %d leads epoch %d", c.ID, leader, epoch), map[string]any{"controller": c.ID, "leader": leader, "epoch": epoch})
	}
	c.resetElectionTimer()
	c.fetchFromLeader()
}

// stepDown leaves the leader role: waiting answers fail, broker sessions
// stop, and the image forgets uncommitted records.
func (c *Controller) stepDown() {
	if c.role == Leader {
		c.dropWaits()
		for _, s := range c.brokers {
			s.deadline.Cancel()
		}
		c.brokers = map[int32]*brokerSession{}
		for _, p := range c.parked {
			p.timer.Cancel()
		}
		c.parked = nil
		c.rebuildImage()
	}
}

// rebuildImage replays the committed log.
func (c *Controller) rebuildImage() {
	c.image, c.applied = metadata.NewImage(), 0
	c.applyCommitted()
}

func (c *Controller) applyCommitted() {
	for c.applied < c.hwm && c.applied < c.LogEnd() {
		c.image.Apply(c.log[c.applied])
		c.applied++
	}
}

func (c *Controller) becomeLeader() {
	c.timer.Cancel()
	c.role, c.leaderID = Leader, c.ID
	c.followers = map[int32]int64{}
	c.lastFetch = map[int32]time.Duration{}
	c.scheduleCheckQuorum()
	// Everything in the log becomes the leader's working state.
	for c.applied < c.LogEnd() {
		c.image.Apply(c.log[c.applied])
		c.applied++
	}
	c.emit("controller_elected", fmt.Sprintf("controller %d won epoch %d with %d of %d votes and is the active controller", c.ID, c.epoch, len(c.votes), len(c.voters)),
		map[string]any{"controller": c.ID, "epoch": c.epoch, "votes": len(c.votes)})
	c.append(metadata.Record{LeaderChange: &metadata.LeaderChange{LeaderID: c.ID, Voters: c.voters}})
	for _, v := range c.voters {
		if v != c.ID {
			c.ep.Call(names.Controller(v), proto.BeginQuorumEpochRequest{LeaderEpoch: c.epoch, LeaderID: c.ID}, time.Second, func(any, proto.ErrorCode) {})
		}
	}
	// The new active controller gives every registered broker a fresh session.
	for _, id := range c.image.BrokerIDs() {
		br := c.image.Brokers[id]
		s := &brokerSession{id: id, epoch: br.Epoch}
		c.brokers[id] = s
		c.armSession(s)
	}
}

// scheduleCheckQuorum makes a leader resign once checkQuorumTimeout passed
// since a majority of voters (itself included) last had fetched, so a
// partitioned leader stops acting as the active controller (KIP-595). As in
// Kafka's LeaderState, the deadline moves on each time a majority has
// fetched; it starts when the leader takes office.
func (c *Controller) scheduleCheckQuorum() {
	epoch, since := c.epoch, c.now()
	var check func()
	check = func() {
		if c.role != Leader || c.epoch != epoch {
			return
		}
		// The time by which a majority had fetched: the leader counts as
		// now; the others by their last fetch, newest first.
		times := make([]time.Duration, 0, len(c.voters))
		for _, v := range c.voters {
			if t, ok := c.lastFetch[v]; ok && v != c.ID {
				times = append(times, t)
			}
		}
		sort.Slice(times, func(i, j int) bool { return times[i] > times[j] })
		if need := c.majority() - 1; need == 0 {
			since = c.now()
		} else if need <= len(times) && times[need-1] > since {
			since = times[need-1]
		}
		if wait := since + checkQuorumTimeout - c.now(); wait > 0 {
			c.timer = c.after(wait, check)
			return
		}
		heard := 1
		for _, t := range times {
			if c.now()-t <= checkQuorumTimeout {
				heard++
			}
		}
		c.emit("controller_resigned", fmt.Sprintf("controller %d resigns: only %d of %d voters fetched within 1.5 × controller.quorum.fetch.timeout.ms; without a majority no metadata can change", c.ID, heard, len(c.voters)),
			map[string]any{"controller": c.ID, "epoch": c.epoch, "voters_heard": heard})
		c.stepDown()
		c.role, c.leaderID = Unattached, -1 // keeps votedFor: one vote per epoch
		c.resetElectionTimer()
	}
	c.timer = c.after(checkQuorumTimeout, check)
}
