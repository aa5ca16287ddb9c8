package coordinator

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
)

func (g *Group) maxRebalanceTimeout() time.Duration {
	var d time.Duration
	for _, m := range g.members {
		if m.RebalanceTimeout > d {
			d = m.RebalanceTimeout
		}
	}
	return d
}

// prepareRebalance moves the group to PreparingRebalance. Parked SyncGroup
// calls hear REBALANCE_IN_PROGRESS; members learn of the rebalance from
// their next heartbeat. The first rebalance of an empty group waits
// group.initial.rebalance.delay.ms, extended while new members keep coming.
func (c *Coordinator) prepareRebalance(g *Group, reason string) {
	if g.State == CompletingRebalance {
		for _, m := range g.Members() {
			if m.syncReply != nil {
				m.syncReply(proto.SyncGroupResponse{ErrorCode: proto.RebalanceInProgress})
				m.syncReply = nil
			}
		}
	}
	g.syncToken++
	from := g.State
	g.State = PreparingRebalance
	g.rebalanceStart = c.host.Now()
	g.rebalanceReason = reason
	g.joinToken++
	tok := g.joinToken
	timeout := g.maxRebalanceTimeout()
	msg := fmt.Sprintf("group %s starts rebalancing (generation %d): %s; members must rejoin within %v", g.ID, g.Generation, reason, timeout)
	if len(g.members) == 0 {
		msg = fmt.Sprintf("group %s rebalances (generation %d): %s; no members are left", g.ID, g.Generation, reason)
	}
	if from == Empty && c.cfg.InitialRebalanceDelay > 0 {
		g.initialDelay = true
		g.newMemberJoined = false
		delay := c.cfg.InitialRebalanceDelay
		g.delayRemaining = max(timeout-delay, 0)
		msg = fmt.Sprintf("group %s starts its first rebalance: %s; it waits group.initial.rebalance.delay.ms=%d for more members", g.ID, reason, delay.Milliseconds())
		c.host.After(delay, func() { c.initialDelayExpired(g, tok, delay) })
	} else {
		g.initialDelay = false
		c.host.After(timeout, func() {
			if c.current(g) && g.joinToken == tok && g.State == PreparingRebalance {
				c.completeJoin(g)
			}
		})
	}
	c.host.Emit("group_state_changed", msg, map[string]any{"group": g.ID, "from": string(from), "to": string(PreparingRebalance), "generation": g.Generation, "reason": reason})
	c.maybeCompleteJoin(g)
}

// initialDelayExpired is Kafka's InitialDelayedJoin: while new members keep
// joining, wait another delay, never beyond the rebalance timeout.
func (c *Coordinator) initialDelayExpired(g *Group, tok int, delay time.Duration) {
	if !c.current(g) || g.joinToken != tok || g.State != PreparingRebalance {
		return
	}
	if g.newMemberJoined && g.delayRemaining > 0 {
		g.newMemberJoined = false
		d := min(delay, g.delayRemaining)
		g.delayRemaining -= d
		c.host.After(d, func() { c.initialDelayExpired(g, tok, delay) })
		return
	}
	g.initialDelay = false
	c.completeJoin(g)
}

// maybeCompleteJoin ends the join phase once every member has rejoined.
func (c *Coordinator) maybeCompleteJoin(g *Group) {
	if g.State != PreparingRebalance || g.initialDelay || len(g.pending) > 0 {
		return
	}
	for _, m := range g.members {
		if m.joinReply == nil {
			return
		}
	}
	c.completeJoin(g)
}

// completeJoin removes members that did not rejoin (dynamic ones; static
// members stay until their session times out), starts the next generation,
// picks the protocol and answers every JoinGroup: the leader gets all
// subscriptions to compute the assignment.
func (c *Coordinator) completeJoin(g *Group) {
	g.joinToken++
	for _, m := range g.Members() {
		if m.joinReply == nil && m.InstanceID == "" {
			c.removeMember(g, m, fmt.Sprintf("it did not rejoin within the rebalance timeout (max.poll.interval.ms=%d)", m.RebalanceTimeout.Milliseconds()))
		}
	}
	for id := range g.pending {
		delete(g.pending, id)
	}
	took := c.host.Now() - g.rebalanceStart
	g.Generation++
	if len(g.members) == 0 {
		g.State, g.Protocol, g.Leader = Empty, "", ""
		c.host.Emit("group_state_changed", fmt.Sprintf("group %s is empty (generation %d)", g.ID, g.Generation),
			map[string]any{"group": g.ID, "from": string(PreparingRebalance), "to": string(Empty), "generation": g.Generation})
		c.storeGroup(g, func(proto.ErrorCode) {})
		return
	}
	g.Protocol = g.selectProtocol()
	g.ProtocolType = g.anyMember().ProtocolType
	if lm := g.members[g.Leader]; lm == nil || lm.joinReply == nil {
		g.Leader = ""
		for _, m := range g.Members() {
			if m.joinReply != nil {
				g.Leader = m.ID
				break
			}
		}
	}
	g.State = CompletingRebalance
	c.host.Emit("group_state_changed", fmt.Sprintf("group %s: generation %d with %d members, assignor %s, leader %s; joining took %v; waiting for the leader's assignment",
		g.ID, g.Generation, len(g.members), g.Protocol, g.Leader, took.Round(time.Millisecond)),
		map[string]any{"group": g.ID, "from": string(PreparingRebalance), "to": string(CompletingRebalance), "generation": g.Generation,
			"protocol": g.Protocol, "leader": g.Leader, "members": len(g.members), "join_ms": took.Milliseconds()})
	for _, m := range g.Members() {
		if m.joinReply == nil {
			continue
		}
		r := m.joinReply
		m.joinReply = nil
		r(g.joinResponse(m))
		c.scheduleSession(g, m)
	}
	// Members that do not send SyncGroup within the rebalance timeout are removed.
	g.syncToken++
	tok, gen := g.syncToken, g.Generation
	c.host.After(g.maxRebalanceTimeout(), func() {
		if !c.current(g) || g.syncToken != tok || g.Generation != gen || g.State != CompletingRebalance {
			return
		}
		for _, m := range g.Members() {
			if m.syncReply == nil {
				c.removeMember(g, m, "it did not send SyncGroup within the rebalance timeout")
			}
		}
		c.prepareRebalance(g, "members did not sync in time")
	})
}
