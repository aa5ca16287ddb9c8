package client

import (
	"fmt"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// The KIP-848 consumer rebalance protocol on the client
// (group.protocol=consumer): Kafka's ConsumerMembershipManager with its
// heartbeat request manager. The member joins with ConsumerGroupHeartbeat
// at epoch 0 under a member id it generated itself (KIP-1082), heartbeats
// every group.consumer.heartbeat.interval.ms as the coordinator says, and
// reconciles each assignment it hears on the application thread: it
// revokes what is no longer its own (committing first with
// enable.auto.commit), takes what is new, and acknowledges at once with a
// heartbeat that lists what it owns. Client-side assignors,
// session.timeout.ms and heartbeat.interval.ms are not used: the broker
// decides. The rest of the consumer (fetching, positions, commits, the
// application loop) is the classic one's.

// Member states of ConsumerMembershipManager (MemberState).
const (
	cpUnsubscribed  memberState = "UNSUBSCRIBED"
	cpJoining       memberState = "JOINING"
	cpReconciling   memberState = "RECONCILING"
	cpAcknowledging memberState = "ACKNOWLEDGING"
	cpStable        memberState = "STABLE"
	cpFenced        memberState = "FENCED"
	cpLeaving       memberState = "LEAVING"
)

// consumerMembership is a group consumer's membership in a consumer group.
type consumerMembership struct {
	g          *groupClient
	hbInterval time.Duration
	inflight   bool
	ackNow     bool                   // send a heartbeat as soon as none is in flight
	target     []names.TopicPartition // the last assignment heard, sorted
	hasTarget  bool
	id         string // the member id, made once for the consumer's lifetime (KIP-1082)
	fenced     bool   // FENCED_MEMBER_EPOCH or UNKNOWN_MEMBER_ID: lose everything and rejoin
	fencedWhy  string // why
	loopToken  int
}

// checkGroupProtocolConfigs is ConsumerConfig.checkUnsupportedConfigsPostProcess:
// with group.protocol=consumer the broker assigns and times sessions, so
// partition.assignment.strategy, session.timeout.ms and
// heartbeat.interval.ms may not be set; group.remote.assignor belongs to
// the consumer protocol only.
func checkGroupProtocolConfigs(name string, cfg config.Values) error {
	unsupported := []string{"group.remote.assignor"}
	if cfg.String("group.protocol") == "consumer" {
		unsupported = []string{"partition.assignment.strategy", "heartbeat.interval.ms", "session.timeout.ms"}
	}
	var set []string
	for _, k := range unsupported {
		if cfg.IsSet(k) {
			set = append(set, k)
		}
	}
	if len(set) > 0 {
		return fmt.Errorf("client: consumer %s: %s cannot be set when group.protocol=%s (Kafka's ConsumerConfig refuses it)", name, strings.Join(set, ", "), cfg.String("group.protocol"))
	}
	return nil
}

func newConsumerMembership(g *groupClient) *consumerMembership {
	return &consumerMembership{g: g, hbInterval: g.hbInterval}
}

// newMemberID makes a member id as the client does since KIP-1082 (a
// UUID; here from the consumer's seeded stream).
func (cp *consumerMembership) newMemberID() string {
	stream := string(cp.g.c.ep.ID) + "/member-id"
	if n := incarnation(cp.g.prev); n > 0 { // a restarted consumer is a new process with a new id
		stream += fmt.Sprintf("/%d", n)
	}
	r := cp.g.c.ep.Sim.Rand(stream)
	return fmt.Sprintf("%s-%08x", cp.g.c.name, uint32(r.Uint64())) // short for the learner; Kafka uses a UUID
}

// start joins the group: the first heartbeat goes out once the
// coordinator is known.
func (cp *consumerMembership) start() {
	cp.id = cp.newMemberID()
	cp.join("it starts")
	cp.loop()
}

func (cp *consumerMembership) join(why string) {
	g := cp.g
	g.generation, g.state, g.memberID = 0, cpJoining, cp.id
	g.c.emit("group_joining", fmt.Sprintf("consumer %s joins group %s with the consumer protocol (KIP-848) as member %s: %s", g.c.name, g.groupID, g.memberID, why),
		map[string]any{"group": g.groupID, "member_id": g.memberID, "generation": int32(0), "reason": why})
	cp.sendSoon()
}

// loop is the heartbeat timer: every heartbeat interval the coordinator
// gave, a heartbeat (sooner when the member must acknowledge).
func (cp *consumerMembership) loop() {
	cp.loopToken++
	tok := cp.loopToken
	cp.g.after(cp.hbInterval, func() {
		if tok != cp.loopToken {
			return
		}
		cp.loop()
		cp.send()
	})
}

// sendSoon heartbeats now (or right after the one in flight).
func (cp *consumerMembership) sendSoon() {
	cp.ackNow = true
	cp.g.whenCoordinator(cp.send)
}

func (cp *consumerMembership) active() bool {
	switch cp.g.state {
	case cpJoining, cpReconciling, cpAcknowledging, cpStable:
		return true
	}
	return false
}

func (cp *consumerMembership) request(epoch int32) proto.ConsumerGroupHeartbeatRequest {
	g := cp.g
	req := proto.ConsumerGroupHeartbeatRequest{GroupID: g.groupID, MemberID: g.memberID, MemberEpoch: epoch, InstanceID: g.instanceID,
		RebalanceTimeoutMs: int32(g.pollInterval / time.Millisecond), SubscribedTopicNames: append([]string{}, g.c.topics...),
		ServerAssignor: g.c.cfg.String("group.remote.assignor"), TopicPartitions: protoTPs(g.ownedTPs())}
	if req.TopicPartitions == nil {
		req.TopicPartitions = []proto.TopicPartitions{}
	}
	return req
}

func (cp *consumerMembership) send() {
	g, c := cp.g, cp.g.c
	if c.stopped || g.closing || g.fatal != "" || cp.inflight || g.coordinator < 0 || !cp.active() || cp.fenced {
		return
	}
	cp.inflight, cp.ackNow = true, false
	ce, epoch := g.coordEpoch, g.generation
	c.ep.Call(nodeOf(g.coordinator), cp.request(epoch), c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped || ce != g.coordEpoch {
			return
		}
		cp.inflight = false
		resp, ok := body.(proto.ConsumerGroupHeartbeatResponse)
		if code != proto.None || !ok {
			g.coordinatorLost(fmt.Sprintf("ConsumerGroupHeartbeat failed: %s", code))
			cp.sendSoon() // to the next coordinator, as soon as it is found
			return
		}
		if !coordinatorError(resp.ErrorCode) {
			g.coordinatorAnswered()
		}
		cp.onResponse(epoch, resp)
		if cp.ackNow {
			cp.send()
		}
	})
}

func (cp *consumerMembership) onResponse(sent int32, resp proto.ConsumerGroupHeartbeatResponse) {
	g, c := cp.g, cp.g.c
	switch resp.ErrorCode {
	case proto.None:
	case proto.FencedMemberEpoch, proto.UnknownMemberID:
		if g.generation != sent || g.state == cpLeaving {
			return // an answer to an older heartbeat
		}
		cp.fence(fmt.Sprintf("it was fenced: ConsumerGroupHeartbeat answered %s (%s)", resp.ErrorCode, resp.ErrorMessage))
		return
	case proto.NotCoordinator, proto.CoordinatorNotAvailable, proto.CoordinatorLoadInProgress:
		g.coordinatorLost(fmt.Sprintf("ConsumerGroupHeartbeat: %s", resp.ErrorCode))
		cp.sendSoon()
		return
	case proto.UnreleasedInstanceID, proto.FencedInstanceID, proto.GroupIDNotFound, proto.UnsupportedAssignor, proto.InvalidRequest, proto.InvalidRegularExpression:
		g.state = cpFenced
		g.fail(fmt.Sprintf("ConsumerGroupHeartbeat failed with %s: %s", resp.ErrorCode, resp.ErrorMessage))
		return
	default:
		g.after(g.c.backoff(), cp.sendSoon)
		return
	}
	if g.state == cpLeaving || g.generation != sent {
		return
	}
	g.lastHbOK, g.lostSaid = g.now(), false
	if resp.HeartbeatIntervalMs > 0 {
		if d := time.Duration(resp.HeartbeatIntervalMs) * time.Millisecond; d != cp.hbInterval {
			cp.hbInterval = d
			cp.loop()
		}
	}
	var assignment []names.TopicPartition
	if resp.Assignment != nil {
		assignment = keysOf(resp.Assignment.TopicPartitions)
	}
	changed := resp.MemberEpoch != g.generation || (resp.Assignment != nil && !sameTPs(assignment, cp.target))
	g.generation = resp.MemberEpoch
	if resp.Assignment != nil {
		cp.target, cp.hasTarget = assignment, true
	}
	if changed {
		c.emit("member_epoch_changed", fmt.Sprintf("consumer %s: member epoch %d, assignment %v", c.name, g.generation, tpNames(cp.target)),
			map[string]any{"group": g.groupID, "member_id": g.memberID, "member_epoch": g.generation, "assignment": tpNames(cp.target)})
	}
	if sameTPs(cp.target, g.ownedTPs()) {
		if g.state != cpStable {
			g.state = cpStable
		}
		return
	}
	g.state = cpReconciling
	g.wake()
}

// fence is what a fenced member does: its partitions are lost (the
// application is told on its thread), and it rejoins with epoch 0.
func (cp *consumerMembership) fence(why string) {
	g := cp.g
	cp.fenced, cp.fencedWhy = true, why
	g.state = cpFenced
	cp.target, cp.hasTarget = nil, false
	g.wake()
}

// poll runs on the application thread at each poll(): a fenced member
// loses its partitions and rejoins; a new assignment is reconciled. It
// reports whether poll() must stop here (a listener or commit is running).
func (cp *consumerMembership) poll() bool {
	g := cp.g
	if g.rejoin { // a commit or the poll timer reset the membership
		why := g.rejoinReason
		g.rejoin, g.rejoinReason = false, ""
		if g.generation < 0 && !cp.fenced {
			cp.fence("it is no longer in the group: " + why)
		}
	}
	if cp.fenced {
		cp.fenced, g.lost = false, false
		g.lose(names.SortedKeys(g.owned), cp.fencedWhy)
		cp.join(cp.fencedWhy + "; it rejoins with member epoch 0")
		return false
	}
	if g.state != cpReconciling || !cp.hasTarget || sameTPs(cp.target, g.ownedTPs()) {
		return false
	}
	cp.reconcile()
	return g.busy
}

// reconcile is ConsumerMembershipManager's reconciliation: revoke first
// (with auto-commit of their positions), then assign, then acknowledge.
func (cp *consumerMembership) reconcile() {
	g, c := cp.g, cp.g.c
	target := map[names.TopicPartition]bool{}
	for _, k := range cp.target {
		target[k] = true
	}
	var revoked, added []names.TopicPartition
	for _, k := range g.ownedTPs() {
		if !target[k] {
			revoked = append(revoked, k)
		}
	}
	for _, k := range cp.target {
		if !g.owned[k] {
			added = append(added, k)
		}
	}
	epoch := g.generation
	g.busy = true
	finish := func() {
		g.busy = false
		for _, k := range added {
			g.own(k)
		}
		g.rebalances++
		all := g.ownedTPs()
		c.emit("partitions_assigned", fmt.Sprintf("consumer %s owns %v at member epoch %d (new: %v)", c.name, tpNames(all), epoch, tpNames(added)),
			map[string]any{"group": g.groupID, "generation": epoch, "partitions": tpNames(all), "added": tpNames(added), "revoked": tpNames(revoked)})
		g.state = cpAcknowledging
		cp.sendSoon()
		g.wake()
	}
	revoke := func() {
		g.revoke(revoked, "the coordinator's target assignment gives them to another member", finish)
	}
	if g.autoCommit && len(revoked) > 0 {
		offs := map[names.TopicPartition]int64{}
		for _, k := range revoked {
			if p, ok := c.positions[k]; ok {
				offs[k] = p
			}
		}
		g.commit(offs, true, "auto-commit before revoking", func(bool) { revoke() })
		return
	}
	revoke()
}

// leave sends the leaving heartbeat: epoch -1, or -2 for a static member
// (it keeps its partitions until group.consumer.session.timeout.ms).
func (cp *consumerMembership) leave() {
	g, c := cp.g, cp.g.c
	if g.coordinator < 0 || g.memberID == "" || !cp.active() {
		return
	}
	epoch := proto.LeaveGroupMemberEpoch
	if g.instanceID != "" {
		epoch = proto.LeaveGroupStaticMemberEpoch
	}
	g.state = cpLeaving
	cp.loopToken++
	c.ep.Call(nodeOf(g.coordinator), cp.request(epoch), c.requestTimeout(), func(any, proto.ErrorCode) {})
}

func sameTPs(a, b []names.TopicPartition) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// incarnation counts the consumers of the same name this one replaces.
func incarnation(prev *Consumer) int {
	n := 0
	for p := prev; p != nil; n++ {
		if p.g == nil {
			break
		}
		p = p.g.prev
	}
	return n
}
