package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/group/assign"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// memberState is the classic protocol state of a group member
// (AbstractCoordinator.MemberState).
type memberState string

const (
	unjoined  memberState = "UNJOINED"
	joining   memberState = "PREPARING_REBALANCE"
	syncing   memberState = "COMPLETING_REBALANCE"
	stableMem memberState = "STABLE"
)

// groupClient is a group consumer's coordinator side (Kafka's
// ConsumerCoordinator with its heartbeat thread) and its application loop.
type groupClient struct {
	c                                               *Consumer
	o                                               ConsumerOptions
	groupID                                         string
	instanceID                                      string
	assignors                                       []string
	protocol                                        assign.Protocol
	session, hbInterval, pollInterval, autoCommitIv time.Duration
	autoCommit, readCommitted                       bool

	coordinator int32
	coordEpoch  int
	finding     bool
	findN       int
	waiters     []func()
	// Kafka's ensureCoordinatorReady backs off exponentially between
	// lookups while the coordinator cannot be reached: coordFails counts
	// the failed attempts since a coordinator last answered, heard says
	// whether the current one has answered, findLater that a lookup waits
	// for its backoff.
	coordFails int
	heard      bool
	findLater  bool

	memberID      string
	generation    int32
	leader        bool
	groupProtocol string
	state         memberState
	rejoin        bool
	rejoinReason  string
	preparing     bool
	lost          bool
	synced        []proto.TopicPartitions // assignment from SyncGroup, applied by the next poll
	hasSynced     bool
	rebalances    int

	owned     map[names.TopicPartition]bool // changed only through own and dropPartition
	ownedList []names.TopicPartition        // names.SortedKeys(owned), nil when stale
	ownedBufs []*fetchedBuf                 // the buffer of each of ownedList
	prevOwned []names.TopicPartition        // eager: what the member owned before revoking (the sticky assignors' user data)
	snapshot  map[string]int
	groupSubs []string

	hbInflight bool
	lastHbOK   time.Duration
	announced  int32 // the coordinator last announced in the trace
	lostSaid   bool

	retrying     bool
	inPoll       bool
	busy         bool
	lastPollAt   time.Duration
	pollTimer    pollTimer
	appScheduled bool
	buffer       map[names.TopicPartition]*fetchedBuf // made once per partition, emptied rather than deleted
	polled       []Consumed                           // take's slice, reused when processing is synchronous
	committed    map[names.TopicPartition]int64
	offsetsBusy  bool
	needReset    map[names.TopicPartition]resetCause
	lso          map[names.TopicPartition]int64
	rr           int
	nextAuto     time.Duration
	crashAt      string
	closeAsked   bool
	closing      bool
	fatal        string

	done      processedRuns // what the application processed, as offsets
	processed []Consumed    // the records themselves, with KeepRecords only
	prev      *Consumer
	txn       *txnProducer

	fetches        map[int32]*leaderFetch // by leader
	afterProcessFn func()                 // g.afterProcess, bound once
	appFree        []*appEvent            // fired appLoop events, for wake
	positioned     bool                   // initPositions found every owned partition positioned

	cp *consumerMembership // group.protocol=consumer (KIP-848), nil for classic
}

func newGroupClient(c *Consumer, o ConsumerOptions) (*groupClient, error) {
	cfg := o.Config
	ms := func(name string) time.Duration { return time.Duration(cfg.Int64(name)) * time.Millisecond }
	g := &groupClient{c: c, o: o, groupID: cfg.String("group.id"), instanceID: cfg.String("group.instance.id"),
		assignors: config.SplitList(cfg.String("partition.assignment.strategy")),
		session:   ms("session.timeout.ms"), hbInterval: ms("heartbeat.interval.ms"), pollInterval: ms("max.poll.interval.ms"),
		autoCommitIv: ms("auto.commit.interval.ms"), autoCommit: cfg.Bool("enable.auto.commit"),
		readCommitted: cfg.String("isolation.level") == "read_committed",
		coordinator:   -1, announced: -1, generation: -1, state: unjoined, owned: map[names.TopicPartition]bool{}, buffer: map[names.TopicPartition]*fetchedBuf{},
		committed: map[names.TopicPartition]int64{}, needReset: map[names.TopicPartition]resetCause{}, lso: map[names.TopicPartition]int64{}}
	p, err := assign.RebalanceProtocol(g.assignors)
	if err != nil {
		return nil, fmt.Errorf("client: consumer %s: %v", o.Name, err)
	}
	g.protocol = p
	g.afterProcessFn = g.afterProcess
	g.prev = o.Previous
	if err := checkGroupProtocolConfigs(o.Name, cfg); err != nil {
		return nil, err
	}
	if cfg.String("group.protocol") == "consumer" {
		g.cp = newConsumerMembership(g)
	} else if g.hbInterval >= g.session {
		return nil, fmt.Errorf("client: consumer %s: heartbeat.interval.ms must be lower than session.timeout.ms", o.Name)
	}
	switch o.Commit {
	case "":
		g.o.Commit = CommitAuto
	case CommitAuto, CommitSync, CommitAsync, CommitBefore, CommitManual:
	case CommitTxn:
		if g.autoCommit {
			return nil, fmt.Errorf("client: consumer %s: exactly-once commits offsets inside the transaction: set enable.auto.commit=false", o.Name)
		}
		if o.Output == "" {
			return nil, fmt.Errorf("client: consumer %s: exactly-once needs an output topic to write to", o.Name)
		}
	default:
		return nil, fmt.Errorf("client: consumer %s: unknown commit strategy %q (auto, sync, async, before, manual, txn)", o.Name, o.Commit)
	}
	if o.OnRevoked != "" && o.OnRevoked != "commit" {
		return nil, fmt.Errorf("client: consumer %s: on_revoked must be \"commit\" or empty, got %q", o.Name, o.OnRevoked)
	}
	return g, nil
}

func (g *groupClient) now() time.Duration { return g.c.ep.Sim.Now() }

// ownedTPs lists the owned partitions sorted, computed once per change of
// the assignment rather than on every poll. The slice is shared: callers
// must not modify it, and it stays valid (unchanged) when owned changes.
func (g *groupClient) ownedTPs() []names.TopicPartition {
	if g.ownedList == nil {
		g.ownedList = names.SortedKeys(g.owned)
		g.ownedBufs = make([]*fetchedBuf, 0, len(g.ownedList)) // shared like ownedList
		for _, k := range g.ownedList {
			g.ownedBufs = append(g.ownedBufs, g.bufOf(k))
		}
	}
	return g.ownedList
}

// bufOf is partition k's buffer of fetched records.
func (g *groupClient) bufOf(k names.TopicPartition) *fetchedBuf {
	b := g.buffer[k]
	if b == nil {
		b = &fetchedBuf{}
		g.buffer[k] = b
	}
	return b
}

// unposition forgets partition k's position.
func (g *groupClient) unposition(k names.TopicPartition) {
	delete(g.c.positions, k)
	g.positioned = false
}

// dropBuffer forgets the fetched records of partition k.
func (g *groupClient) dropBuffer(k names.TopicPartition) {
	if b := g.buffer[k]; b != nil {
		*b = fetchedBuf{}
	}
}

// own adds k to the owned partitions.
func (g *groupClient) own(k names.TopicPartition) {
	g.owned[k] = true
	g.ownedList = nil
	g.positioned = false
}

func (g *groupClient) after(d time.Duration, fn func()) {
	g.c.ep.Sim.After(d, func() {
		if !g.c.stopped {
			fn()
		}
	})
}

func (g *groupClient) start() {
	c := g.c
	g.lastPollAt = g.now()
	g.nextAuto = g.now() + g.autoCommitIv
	kind := "dynamic member"
	if g.instanceID != "" {
		kind = "static member " + g.instanceID
	}
	protocol, how := g.protocol.String(), fmt.Sprintf("%s rebalancing, assignors %v", g.protocol, g.assignors)
	if g.cp != nil {
		protocol, how = "CONSUMER", "group.protocol=consumer (KIP-848): the broker assigns"
	}
	c.emit("consumer_started", fmt.Sprintf("consumer %s subscribes to %v in group %s as a %s (%s, commits: %s)",
		c.name, c.topics, g.groupID, kind, how, g.o.Commit),
		map[string]any{"group": g.groupID, "topics": c.topics, "protocol": protocol, "assignors": g.assignors, "commit": g.o.Commit,
			"group_instance_id": g.instanceID, "configs": c.cfg.Explicit()})
	if g.o.Commit == CommitTxn {
		g.txn = newTxnProducer(g)
	}
	c.meta.refresh(func() { g.wake() })
	g.metadataLoop()
	if g.cp != nil {
		g.cp.start()
	} else {
		g.heartbeatLoop()
	}
	g.wake()
}

// metadataLoop refreshes metadata every metadata.max.age.ms; the leader
// compares partition counts with those its assignment used.
func (g *groupClient) metadataLoop() {
	g.after(time.Duration(g.c.cfg.Int64("metadata.max.age.ms"))*time.Millisecond, func() {
		g.c.meta.refresh(g.onMetadata)
		g.metadataLoop()
	})
}

func (g *groupClient) onMetadata() {
	if g.c.stopped {
		return
	}
	g.checkPartitionCounts()
	g.wake()
}

// checkPartitionCounts: the leader asks for a rebalance when a subscribed
// topic's partition count differs from the one its assignment used
// (partitions added, the topic deleted or created again), as Kafka's
// ConsumerCoordinator does after every metadata update.
func (g *groupClient) checkPartitionCounts() {
	if g.c.stopped || !g.leader || g.state != stableMem || g.snapshot == nil {
		return
	}
	for _, t := range g.groupSubs {
		if n := g.c.meta.partitions(t); n != g.snapshot[t] {
			g.requestRejoin(fmt.Sprintf("topic %s now has %d partitions (the assignment used %d)", t, n, g.snapshot[t]))
			g.wake()
			return
		}
	}
}

// wake runs the application loop soon if it is waiting inside poll().
func (g *groupClient) wake() {
	if g.appScheduled || g.c.stopped {
		return
	}
	g.appScheduled = true
	var e *appEvent
	if n := len(g.appFree); n > 0 {
		e = g.appFree[n-1]
		g.appFree = g.appFree[:n-1]
	} else {
		e = &appEvent{g: g}
	}
	s := g.c.ep.Sim
	s.Arm(&e.timer, s.Now(), e)
}

// retryLater refreshes metadata and runs the application loop again after
// retry.backoff.ms (a partition without a leader, a failed lookup).
func (g *groupClient) retryLater() {
	if g.retrying {
		return
	}
	g.retrying = true
	g.c.meta.refresh(nil)
	g.after(g.c.backoff(), func() {
		g.retrying = false
		g.wake()
	})
}

func (g *groupClient) requestRejoin(why string) {
	if !g.rejoin {
		g.c.emit("rejoin_needed", fmt.Sprintf("consumer %s must rejoin group %s: %s", g.c.name, g.groupID, why),
			map[string]any{"group": g.groupID, "reason": why})
	}
	g.rejoin, g.rejoinReason = true, why
	g.wake()
}

// resetGeneration forgets the generation (and, for UNKNOWN_MEMBER_ID, the
// member id): what the member owns is lost, not revoked.
func (g *groupClient) resetGeneration(forgetMember bool, why string) {
	if g.generation >= 0 && len(g.owned) > 0 {
		g.lost = true
	}
	g.generation = -1
	if forgetMember {
		g.memberID = ""
	}
	if g.state != joining {
		g.state = unjoined
	}
	g.requestRejoin(why)
}

// findCoordinator looks the coordinator up in the background until found.
func (g *groupClient) findCoordinator() {
	c := g.c
	if g.finding || g.findLater || g.coordinator >= 0 || c.stopped {
		return
	}
	cands := c.meta.candidates()
	if len(cands) == 0 {
		return
	}
	g.finding = true
	id := cands[g.findN%len(cands)]
	g.findN++
	c.ep.Call(nodeOf(id), proto.FindCoordinatorRequest{Key: g.groupID, KeyType: proto.CoordinatorGroup}, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		g.finding = false
		resp, ok := body.(proto.FindCoordinatorResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			if code != proto.None {
				c.meta.refresh(nil)
			}
			g.findAfterBackoff()
			return
		}
		g.coordinator, g.heard = resp.NodeID, false
		g.lastHbOK = g.now()
		if g.announced != resp.NodeID {
			g.announced, g.lostSaid = resp.NodeID, false
			c.emit("coordinator_found", fmt.Sprintf("consumer %s: broker %d coordinates group %s (it leads the group's partition of __consumer_offsets)",
				c.name, resp.NodeID, g.groupID),
				map[string]any{"group": g.groupID, "coordinator": resp.NodeID})
		}
		ws := g.waiters
		g.waiters = nil
		for _, w := range ws {
			w()
		}
		g.wake()
	})
}

// findAfterBackoff looks the coordinator up again after the backoff of
// the failed attempts so far (AbstractCoordinator.ensureCoordinatorReady:
// timer.sleep(retryBackoff.backoff(attempts++))).
func (g *groupClient) findAfterBackoff() {
	d := g.c.backoffFor(g.coordFails)
	g.coordFails++
	g.findLater = true
	g.after(d, func() {
		g.findLater = false
		g.findCoordinator()
	})
}

// coordinatorAnswered records that the coordinator answered a request
// with something other than a coordinator error: the next loss starts a
// fresh series of lookups.
func (g *groupClient) coordinatorAnswered() { g.heard, g.coordFails = true, 0 }

// whenCoordinator runs fn once the coordinator is known.
func (g *groupClient) whenCoordinator(fn func()) {
	if g.coordinator >= 0 {
		fn()
		return
	}
	g.waiters = append(g.waiters, fn)
	g.findCoordinator()
}

// coordinatorLost forgets the coordinator (Kafka's markCoordinatorUnknown):
// answers of calls in flight are ignored, a join in progress starts over.
func (g *groupClient) coordinatorLost(why string) {
	if g.coordinator < 0 {
		return
	}
	if !g.lostSaid { // a coordinator that keeps failing is reported once
		g.lostSaid = true
		g.c.emit("coordinator_lost", fmt.Sprintf("consumer %s lost coordinator broker %d: %s", g.c.name, g.coordinator, why),
			map[string]any{"group": g.groupID, "coordinator": g.coordinator, "reason": why})
	}
	g.coordinator = -1
	g.coordEpoch++
	g.hbInflight = false
	if g.state == joining || g.state == syncing {
		g.state = unjoined
		g.rejoin = true
	}
	g.c.meta.refresh(nil)
	if g.heard {
		// The coordinator answered before: look it up again at once (the
		// first lookup of ensureCoordinatorReady does not wait).
		g.findCoordinator()
	} else {
		// It was found but never answered, like a node Kafka's network
		// client reports unavailable: markCoordinatorUnknown and back off.
		g.findAfterBackoff()
	}
	g.wake()
}

func retriableCoordinatorError(code proto.ErrorCode) bool {
	switch code {
	case proto.NotCoordinator, proto.CoordinatorNotAvailable, proto.RequestTimedOut, proto.NetworkException:
		return true
	}
	return false
}

// coordinatorError reports whether an answer says the coordinator cannot
// serve the group (yet): such an answer does not count as reaching it.
func coordinatorError(code proto.ErrorCode) bool {
	return retriableCoordinatorError(code) || code == proto.CoordinatorLoadInProgress
}

// fail stops the application with an exception from poll(); the consumer closes.
func (g *groupClient) fail(why string) {
	if g.fatal != "" {
		return
	}
	g.fatal = why
	g.c.emit("consumer_error", fmt.Sprintf("consumer %s: %s", g.c.name, why), map[string]any{"group": g.groupID, "error": why})
	g.closeAsked = true
	g.busy, g.preparing = false, false // the exception unwinds whatever the application was doing
	g.wake()
}

// subscribe changes the subscription; the member rejoins with it.
func (g *groupClient) subscribe(topics []string) {
	t := append([]string(nil), topics...)
	sort.Strings(t)
	g.c.topics = t
	g.c.emit("subscription_changed", fmt.Sprintf("consumer %s now subscribes to %v", g.c.name, t), map[string]any{"group": g.groupID, "topics": t})
	g.requestRejoin(fmt.Sprintf("the subscription changed to %v", t))
}

func (g *groupClient) crash(at string) error {
	switch at {
	case "", "now":
		g.crashNow()
	case "before_commit", "before_process":
		g.crashAt = at
		g.c.emit("crash_armed", fmt.Sprintf("consumer %s will crash at its next %s", g.c.name, map[string]string{"before_commit": "commit, after processing", "before_process": "poll, before processing"}[at]),
			map[string]any{"at": at})
	default:
		return fmt.Errorf("client: crash point %q: use now, before_commit or before_process", at)
	}
	return nil
}

func (g *groupClient) crashNow() {
	c := g.c
	if c.stopped {
		return
	}
	uncommitted := g.done.uncommitted(g.committed)
	c.stopped = true
	c.ep.Reset()
	c.ep.Net.SetDown(c.ep.ID, true)
	notices := fmt.Sprintf("session.timeout.ms=%d", g.session.Milliseconds())
	if g.cp != nil {
		notices = "the broker's group.consumer.session.timeout.ms"
	}
	c.emit("consumer_crashed", fmt.Sprintf("consumer %s crashed (kill -9): no commit, no LeaveGroup; %d processed records were not committed; the group notices after %s",
		c.name, uncommitted, notices), map[string]any{"group": g.groupID, "member_id": g.memberID, "processed_uncommitted": uncommitted,
		"partitions": tpNames(names.SortedKeys(g.owned))})
}

// close is KafkaConsumer.close(): done between polls, on the application thread.
func (g *groupClient) close() {
	if g.c.stopped || g.closeAsked {
		return
	}
	g.closeAsked = true
	if !g.busy {
		g.appLoop()
	}
}

func (g *groupClient) doClose() {
	c := g.c
	g.closing = true
	finish := func() {
		if g.instanceID == "" || g.cp != nil { // a static consumer-protocol member leaves with epoch -2
			g.sendLeave("the consumer is being closed")
		}
		c.stopped = true
		c.ep.Reset()
		c.ep.Net.SetDown(c.ep.ID, true)
		how := "sent LeaveGroup"
		switch {
		case g.cp != nil && g.instanceID != "":
			how = "left with member epoch -2 (a static member keeps its place until group.consumer.session.timeout.ms)"
		case g.cp != nil:
			how = "left with member epoch -1"
		case g.instanceID != "":
			how = "did not leave the group (a static member keeps its place until session.timeout.ms)"
		}
		c.emit("consumer_closed", fmt.Sprintf("consumer %s closed after %d records and %s", c.name, c.Count, how), map[string]any{"group": g.groupID, "partitions": []string{}})
	}
	if g.fatal != "" {
		finish()
		return
	}
	revoke := func() { g.revoke(names.SortedKeys(g.owned), "the consumer is closing", finish) }
	if g.autoCommit && g.generation >= 0 && g.fatal == "" {
		g.commit(g.allConsumed(), true, "auto-commit on close", func(bool) { revoke() })
		return
	}
	revoke()
}

// appEvent runs the application loop (wake), on a timer of its own: one
// is queued at a time unless close ran the loop directly meanwhile.
type appEvent struct {
	g     *groupClient
	timer sim.Timer
}

// Fire implements sim.Event.
func (e *appEvent) Fire() {
	e.g.appFree = append(e.g.appFree, e)
	e.g.appLoop()
}
