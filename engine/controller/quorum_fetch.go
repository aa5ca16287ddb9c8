package controller

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// fetchFromLeader is a follower voter's fetch loop on the metadata log.
func (c *Controller) fetchFromLeader() {
	if c.fetching || c.role != Follower || c.leaderID < 0 {
		return
	}
	c.fetching = true
	req := proto.QuorumFetchRequest{ReplicaID: c.ID, LeaderEpoch: c.epoch, FetchOffset: c.LogEnd(), LastFetchedEpoch: c.lastEpoch(), MaxWaitMs: int32(quorumWait / time.Millisecond)}
	epoch, leader := c.epoch, c.leaderID
	inc := c.inc
	c.ep.Call(names.Controller(leader), req, fetchTimeout, func(body any, code proto.ErrorCode) {
		if c.down || c.inc != inc {
			return
		}
		c.fetching = false
		if c.role != Follower || c.epoch != epoch || c.leaderID != leader {
			c.fetchFromLeader()
			return
		}
		resp, ok := body.(proto.QuorumFetchResponse)
		if !ok || code != proto.None {
			c.after(100*time.Millisecond, c.fetchFromLeader) // the fetch timeout decides when to run for leader
			return
		}
		if resp.LeaderEpoch > c.epoch {
			c.becomeFollower(resp.LeaderEpoch, resp.LeaderID)
			return
		}
		if resp.ErrorCode != proto.None {
			c.after(100*time.Millisecond, c.fetchFromLeader)
			return
		}
		c.resetElectionTimer() // heard from the leader
		if d := resp.DivergingEpoch; d != nil {
			c.truncateTo(d.EndOffset)
			c.fetchFromLeader()
			return
		}
		for _, r := range resp.Records {
			if r.Offset == c.LogEnd() {
				c.log = append(c.log, r)
			}
		}
		if hw := min(resp.HighWatermark, c.LogEnd()); hw > c.hwm {
			c.hwm = hw
			c.applyCommitted()
		}
		c.fetchFromLeader()
	})
}

func (c *Controller) truncateTo(end int64) {
	if end < c.hwm {
		panic("controller: truncating committed metadata")
	}
	if end < c.LogEnd() {
		c.log = c.log[:end]
	}
}

// endOffsetForEpoch is the end of epoch e in this log (the start of the next epoch).
func (c *Controller) endOffsetForEpoch(e int32) (int32, int64) {
	best := int32(-1)
	for i := len(c.log) - 1; i >= 0; i-- {
		if c.log[i].Epoch <= e {
			best = c.log[i].Epoch
			return best, int64(i) + 1
		}
	}
	return best, 0
}

func (c *Controller) handleQuorumFetch(from sim.NodeID, req proto.Request, b proto.QuorumFetchRequest) {
	if b.LeaderEpoch > c.epoch {
		c.becomeUnattached(b.LeaderEpoch)
	}
	if c.role != Leader || b.LeaderEpoch < c.epoch {
		code := proto.NotLeaderOrFollower
		if b.LeaderEpoch < c.epoch {
			code = proto.FencedLeaderEpoch
		}
		c.ep.Reply(from, req, proto.QuorumFetchResponse{ErrorCode: code, LeaderEpoch: c.epoch, LeaderID: c.leaderID})
		return
	}
	if b.FetchOffset > 0 {
		epoch, end := c.endOffsetForEpoch(b.LastFetchedEpoch)
		if end < b.FetchOffset || epoch < b.LastFetchedEpoch {
			c.ep.Reply(from, req, proto.QuorumFetchResponse{LeaderEpoch: c.epoch, LeaderID: c.ID, HighWatermark: c.hwm,
				DivergingEpoch: &proto.EpochEndOffset{Epoch: epoch, EndOffset: end}})
			return
		}
	}
	c.followers[b.ReplicaID] = b.FetchOffset
	c.lastFetch[b.ReplicaID] = c.now()
	c.maybeAdvanceHWM()
	if b.FetchOffset < c.LogEnd() || b.MaxWaitMs <= 0 {
		c.answerQuorumFetch(from, req, b)
		return
	}
	c.park(from, req, b, time.Duration(b.MaxWaitMs)*time.Millisecond)
}

func (c *Controller) answerQuorumFetch(from sim.NodeID, req proto.Request, b proto.QuorumFetchRequest) {
	resp := proto.QuorumFetchResponse{LeaderEpoch: c.epoch, LeaderID: c.ID, HighWatermark: c.hwm}
	if b.FetchOffset >= 0 && b.FetchOffset < c.LogEnd() {
		resp.Records = append([]metadata.Record(nil), c.log[b.FetchOffset:]...)
	}
	c.ep.Reply(from, req, resp)
}

// maybeAdvanceHWM commits up to the offset a majority of voters has, once
// that includes a record of the leader's own epoch (Raft's commit rule).
func (c *Controller) maybeAdvanceHWM() {
	if c.role != Leader {
		return
	}
	ends := []int64{c.LogEnd()}
	for _, v := range c.voters {
		if v != c.ID {
			ends = append(ends, c.followers[v])
		}
	}
	sort.Slice(ends, func(i, j int) bool { return ends[i] > ends[j] })
	hw := ends[c.majority()-1]
	if hw <= c.hwm || c.log[hw-1].Epoch != c.epoch {
		return
	}
	c.hwm = hw
	ws := c.waits
	c.waits = nil
	for _, w := range ws {
		if w.offset < c.hwm {
			w.fn(true)
		} else {
			c.waits = append(c.waits, w)
		}
	}
	c.wakeFetches()
}

// park holds a fetch (a broker's or a voter's) until new records arrive or the wait ends.
func (c *Controller) park(from sim.NodeID, req proto.Request, body any, wait time.Duration) {
	p := parkedFetch{from: from, req: req, body: body}
	p.timer = c.after(wait, func() {
		for i, q := range c.parked {
			if q.req.CorrelationID == req.CorrelationID && q.from == from {
				c.parked = append(c.parked[:i], c.parked[i+1:]...)
				c.answerParked(q)
				return
			}
		}
	})
	c.parked = append(c.parked, p)
}

func (c *Controller) answerParked(p parkedFetch) {
	switch b := p.body.(type) {
	case proto.QuorumFetchRequest:
		c.answerQuorumFetch(p.from, p.req, b)
	case proto.MetadataFetchRequest:
		c.answerMetadataFetch(p.from, p.req, b)
	}
}

func (c *Controller) wakeFetches() {
	parked := c.parked
	c.parked = nil
	for _, p := range parked {
		if b, ok := p.body.(proto.MetadataFetchRequest); ok && b.FetchOffset >= c.hwm {
			c.parked = append(c.parked, p) // brokers only see committed records
			continue
		}
		p.timer.Cancel()
		c.answerParked(p)
	}
}

// handleMetadataFetch serves brokers (observers) the committed metadata log.
func (c *Controller) handleMetadataFetch(from sim.NodeID, req proto.Request, b proto.MetadataFetchRequest) {
	if b.FetchOffset < c.hwm || b.MaxWaitMs <= 0 {
		c.answerMetadataFetch(from, req, b)
		return
	}
	c.park(from, req, b, time.Duration(b.MaxWaitMs)*time.Millisecond)
}

func (c *Controller) answerMetadataFetch(from sim.NodeID, req proto.Request, b proto.MetadataFetchRequest) {
	resp := proto.MetadataFetchResponse{HighWatermark: c.hwm}
	if b.FetchOffset >= 0 && b.FetchOffset < c.hwm {
		resp.Records = append([]metadata.Record(nil), c.log[b.FetchOffset:c.hwm]...)
	}
	c.ep.Reply(from, req, resp)
}
