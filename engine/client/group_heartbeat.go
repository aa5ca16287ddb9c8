package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// heartbeatLoop is the heartbeat thread: it heartbeats every
// heartbeat.interval.ms while the member has a generation, and gives up on
// a coordinator that has not answered within session.timeout.ms.
func (g *groupClient) heartbeatLoop() {
	g.after(g.hbInterval, func() {
		g.heartbeatLoop()
		if g.closing || g.fatal != "" {
			return
		}
		if g.coordinator >= 0 && g.generation >= 0 && g.now()-g.lastHbOK > g.session {
			g.coordinatorLost(fmt.Sprintf("no heartbeat answer within session.timeout.ms=%d", g.session.Milliseconds()))
			return
		}
		if g.coordinator < 0 || g.generation < 0 || g.hbInflight || (g.state != syncing && g.state != stableMem) {
			return
		}
		g.sendHeartbeat()
	})
}

func (g *groupClient) sendHeartbeat() {
	c := g.c
	g.hbInflight = true
	ce, gen := g.coordEpoch, g.generation
	req := proto.HeartbeatRequest{GroupID: g.groupID, GenerationID: g.generation, MemberID: g.memberID, GroupInstanceID: g.instanceID}
	c.ep.Call(nodeOf(g.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped || ce != g.coordEpoch {
			return
		}
		g.hbInflight = false
		resp, ok := body.(proto.HeartbeatResponse)
		if code != proto.None || !ok {
			g.coordinatorLost(fmt.Sprintf("heartbeat failed: %s", code))
			return
		}
		if !coordinatorError(resp.ErrorCode) {
			g.coordinatorAnswered()
		}
		if gen != g.generation {
			return
		}
		switch resp.ErrorCode {
		case proto.None:
			g.lastHbOK, g.lostSaid = g.now(), false
		case proto.RebalanceInProgress:
			g.lastHbOK = g.now()
			g.requestRejoin("the coordinator answered a heartbeat with REBALANCE_IN_PROGRESS")
		case proto.IllegalGeneration:
			g.resetGeneration(false, "heartbeat: ILLEGAL_GENERATION (the group moved on without this member)")
		case proto.UnknownMemberID:
			g.resetGeneration(true, "heartbeat: UNKNOWN_MEMBER_ID (the coordinator removed this member)")
		case proto.FencedInstanceID:
			g.fail(fmt.Sprintf("heartbeat: FENCED_INSTANCE_ID: another consumer uses group.instance.id %s", g.instanceID))
		default:
			if retriableCoordinatorError(resp.ErrorCode) || resp.ErrorCode == proto.CoordinatorLoadInProgress {
				g.coordinatorLost(fmt.Sprintf("heartbeat: %s", resp.ErrorCode))
			}
		}
	})
}

// armPollTimer runs after each poll: a member that does not poll again
// within max.poll.interval.ms leaves the group (Kafka's heartbeat thread
// does this) and finds its partitions lost when it polls again. Each poll
// cancels the previous poll's check, which could no longer fire, and
// schedules its own: one live check per consumer instead of a closure per
// poll of the last max.poll.interval.ms (300,000 of them at 1,000 polls/s).
func (g *groupClient) armPollTimer() {
	p := &g.pollTimer
	p.g, p.at = g, g.lastPollAt
	p.t.Cancel()
	g.c.ep.Sim.Arm(&p.t, p.at+g.pollInterval+time.Millisecond, p)
}

// pollTimer is the max.poll.interval.ms check of the last poll, at at.
type pollTimer struct {
	g  *groupClient
	t  sim.Timer // re-armed in place by every poll
	at time.Duration
}

// Fire implements sim.Event.
func (p *pollTimer) Fire() {
	g := p.g
	if g.c.stopped {
		return
	}
	if g.lastPollAt != p.at || g.inPoll || g.closing || g.generation < 0 {
		return
	}
	c := g.c
	c.emit("consumer_poll_timeout", fmt.Sprintf("consumer %s did not call poll() for %v (max.poll.interval.ms=%d): it leaves group %s; processing is too slow for the batch size",
		c.name, g.now()-g.lastPollAt, g.pollInterval.Milliseconds(), g.groupID),
		map[string]any{"group": g.groupID, "since_poll_ms": (g.now() - g.lastPollAt).Milliseconds(), "max_poll_interval_ms": g.pollInterval.Milliseconds()})
	if g.instanceID == "" {
		g.sendLeave("consumer poll timeout has expired")
	}
	g.resetGeneration(true, "poll timeout")
}

func (g *groupClient) sendLeave(reason string) {
	c := g.c
	if g.cp != nil {
		g.cp.leave()
		return
	}
	if g.coordinator < 0 || g.memberID == "" {
		return
	}
	req := proto.LeaveGroupRequest{GroupID: g.groupID, Members: []proto.MemberIdentity{{MemberID: g.memberID, GroupInstanceID: g.instanceID, Reason: reason}}}
	c.ep.Call(nodeOf(g.coordinator), req, c.requestTimeout(), func(any, proto.ErrorCode) {})
}
