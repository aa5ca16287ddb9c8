package coordinator

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// join runs the KIP-394 handshake for a dynamic member and returns its
// member id; the JoinGroup answer comes later (capture).
func join(t *testing.T, h *fakeHost, c *Coordinator, group string, topics ...string) (string, *capture[proto.JoinGroupResponse]) {
	t.Helper()
	var first capture[proto.JoinGroupResponse]
	c.JoinGroup(joinReq(group, "", "", topics...), "consumer-x", first.fn)
	must(t, first.done, "first JoinGroup")
	if first.got.ErrorCode != proto.MemberIDRequired || first.got.MemberID == "" {
		t.Fatalf("first join: %+v, want MEMBER_ID_REQUIRED with an id", first.got)
	}
	var second capture[proto.JoinGroupResponse]
	c.JoinGroup(joinReq(group, first.got.MemberID, "", topics...), "consumer-x", second.fn)
	return first.got.MemberID, &second
}

func sync(c *Coordinator, group, member string, gen int32, assign []proto.SyncGroupAssignment) *capture[proto.SyncGroupResponse] {
	var r capture[proto.SyncGroupResponse]
	c.SyncGroup(proto.SyncGroupRequest{GroupID: group, GenerationID: gen, MemberID: member, Assignments: assign}, r.fn)
	return &r
}

func heartbeat(c *Coordinator, group, member string, gen int32) proto.ErrorCode {
	var r capture[proto.HeartbeatResponse]
	c.Heartbeat(proto.HeartbeatRequest{GroupID: group, GenerationID: gen, MemberID: member}, r.fn)
	return r.got.ErrorCode
}

func TestJoinSyncAndInitialDelay(t *testing.T) {
	h := newFakeHost()
	c := newTestCoordinator(h)
	a, ja := join(t, h, c, "g", "t")
	h.run(time.Second)
	b, jb := join(t, h, c, "g", "t")
	if ja.done || jb.done {
		t.Fatal("joins must wait for group.initial.rebalance.delay.ms")
	}
	h.run(2 * time.Second)
	if ja.done {
		t.Fatal("a member joined during the delay: the delay is extended")
	}
	h.run(3 * time.Second)
	must(t, ja.done && jb.done, "joins after the delay")
	if ja.got.GenerationID != 1 || jb.got.GenerationID != 1 || c.Group("g").State != CompletingRebalance {
		t.Fatalf("want generation 1 in CompletingRebalance, got %d/%d %s", ja.got.GenerationID, jb.got.GenerationID, c.Group("g").State)
	}
	leader, follower, lj := ja, jb, a
	if jb.got.Leader == b {
		leader, follower, lj = jb, ja, b
	}
	if len(leader.got.Members) != 2 || len(follower.got.Members) != 0 {
		t.Fatalf("only the leader sees the members: %d / %d", len(leader.got.Members), len(follower.got.Members))
	}
	other := a
	if lj == a {
		other = b
	}
	fs := sync(c, "g", other, 1, nil)
	if fs.done {
		t.Fatal("a follower's SyncGroup waits for the leader")
	}
	if code := heartbeat(c, "g", other, 1); code != proto.None {
		t.Fatalf("heartbeat in CompletingRebalance: %s", code)
	}
	ls := sync(c, "g", lj, 1, []proto.SyncGroupAssignment{
		{MemberID: lj, Assignment: []proto.TopicPartitions{{Topic: "t", Partitions: []int32{0}}}},
		{MemberID: other, Assignment: []proto.TopicPartitions{{Topic: "t", Partitions: []int32{1}}}}})
	h.run(10 * time.Millisecond)
	must(t, ls.done && fs.done, "SyncGroup")
	if c.Group("g").State != Stable || fs.got.Assignment[0].Partitions[0] != 1 || ls.got.Assignment[0].Partitions[0] != 0 {
		t.Fatalf("state %s, assignments %+v %+v", c.Group("g").State, ls.got, fs.got)
	}
	if len(h.logs[c.PartitionFor("g")]) != 1 {
		t.Fatal("the assignment must be stored in the offsets partition before the group is Stable")
	}
}

// stableGroup returns a Stable group of one dynamic member.
func stableGroup(t *testing.T, h *fakeHost, c *Coordinator) (string, int32) {
	t.Helper()
	m, j := join(t, h, c, "g", "t")
	h.run(3 * time.Second)
	must(t, j.done, "join")
	s := sync(c, "g", m, j.got.GenerationID, []proto.SyncGroupAssignment{{MemberID: m, Assignment: []proto.TopicPartitions{{Topic: "t", Partitions: []int32{0}}}}})
	h.run(10 * time.Millisecond)
	must(t, s.done, "sync")
	return m, j.got.GenerationID
}

func TestHeartbeatErrorsAndSessionTimeout(t *testing.T) {
	h := newFakeHost()
	c := newTestCoordinator(h)
	m, gen := stableGroup(t, h, c)
	for _, tc := range []struct {
		member string
		gen    int32
		want   proto.ErrorCode
	}{{m, gen, proto.None}, {m, gen + 1, proto.IllegalGeneration}, {"nobody", gen, proto.UnknownMemberID}} {
		if got := heartbeat(c, "g", tc.member, tc.gen); got != tc.want {
			t.Errorf("heartbeat(%s, %d) = %s, want %s", tc.member, tc.gen, got, tc.want)
		}
	}
	// A second member joins: the first hears REBALANCE_IN_PROGRESS.
	_, _ = join(t, h, c, "g", "t")
	if got := heartbeat(c, "g", m, gen); got != proto.RebalanceInProgress {
		t.Fatalf("heartbeat during PreparingRebalance = %s", got)
	}
	// The first never rejoins; the second is parked in JoinGroup, so it
	// stays alive; the first is removed after session.timeout.ms.
	h.run(11 * time.Second)
	if c.Group("g").members[m] != nil {
		t.Fatal("a silent member must be removed after its session timeout")
	}
	if c.Group("g").State != CompletingRebalance || len(c.Group("g").members) != 1 {
		t.Fatalf("the rebalance should complete with the remaining member: %s, %d members", c.Group("g").State, len(c.Group("g").members))
	}
}

func TestStaticMemberTakesOverWithoutRebalance(t *testing.T) {
	h := newFakeHost()
	c := newTestCoordinator(h)
	var j capture[proto.JoinGroupResponse]
	c.JoinGroup(joinReq("g", "", "host-1", "t"), "consumer-a", j.fn)
	h.run(3 * time.Second)
	must(t, j.done, "static join")
	old := j.got.MemberID
	s := sync(c, "g", old, 1, []proto.SyncGroupAssignment{{MemberID: old, Assignment: []proto.TopicPartitions{{Topic: "t", Partitions: []int32{0, 1}}}}})
	h.run(10 * time.Millisecond)
	must(t, s.done, "sync")
	var again capture[proto.JoinGroupResponse]
	c.JoinGroup(joinReq("g", "", "host-1", "t"), "consumer-a", again.fn)
	h.run(10 * time.Millisecond)
	must(t, again.done, "static rejoin")
	if again.got.ErrorCode != proto.None || again.got.MemberID == old || again.got.GenerationID != 1 || !again.got.SkipAssignment {
		t.Fatalf("static rejoin: %+v; want a new member id in the same generation, leader skipping the assignment", again.got)
	}
	if c.Group("g").State != Stable {
		t.Fatalf("state %s: a static member's return must not rebalance", c.Group("g").State)
	}
	var hb capture[proto.HeartbeatResponse]
	c.Heartbeat(proto.HeartbeatRequest{GroupID: "g", GenerationID: 1, MemberID: old, GroupInstanceID: "host-1"}, hb.fn)
	if hb.got.ErrorCode != proto.FencedInstanceID {
		t.Fatalf("the old instance's heartbeat: %s, want FENCED_INSTANCE_ID", hb.got.ErrorCode)
	}
	back := sync(c, "g", again.got.MemberID, 1, nil)
	must(t, back.done, "sync after static rejoin")
	if len(back.got.Assignment) != 1 || len(back.got.Assignment[0].Partitions) != 2 {
		t.Fatalf("the static member keeps its assignment: %+v", back.got)
	}
}

func commit(c *Coordinator, group, member string, gen int32, off int64) *capture[proto.OffsetCommitResponse] {
	var r capture[proto.OffsetCommitResponse]
	c.OffsetCommit(proto.OffsetCommitRequest{GroupID: group, GenerationID: gen, MemberID: member,
		Topics: []proto.OffsetCommitTopic{{Name: "t", Partitions: []proto.OffsetCommitPartition{{Index: 0, CommittedOffset: off}}}}}, r.fn)
	return &r
}

func fetched(c *Coordinator, group string, stable bool) proto.OffsetFetchPartition {
	var r capture[proto.OffsetFetchResponse]
	c.OffsetFetch(proto.OffsetFetchRequest{GroupID: group, RequireStable: stable, Topics: []proto.OffsetFetchTopic{{Name: "t", PartitionIndexes: []int32{0}}}}, r.fn)
	return r.got.Topics[0].Partitions[0]
}

func TestCommitsAreFencedByGenerationAndSurviveFailover(t *testing.T) {
	h := newFakeHost()
	c := newTestCoordinator(h)
	m, gen := stableGroup(t, h, c)
	ok := commit(c, "g", m, gen, 42)
	stale := commit(c, "g", m, gen-1, 50)
	h.run(10 * time.Millisecond)
	if ok.got.Topics[0].Partitions[0].ErrorCode != proto.None || stale.got.Topics[0].Partitions[0].ErrorCode != proto.IllegalGeneration {
		t.Fatalf("commit codes %s / %s, want NONE / ILLEGAL_GENERATION", ok.got.Topics[0].Partitions[0].ErrorCode, stale.got.Topics[0].Partitions[0].ErrorCode)
	}
	if got := fetched(c, "g", false).CommittedOffset; got != 42 {
		t.Fatalf("fetched %d, want 42", got)
	}
	// Failover: a coordinator on another broker replays the same log.
	c2 := newTestCoordinator(h)
	if got := fetched(c2, "g", false).CommittedOffset; got != 42 {
		t.Fatalf("the new coordinator fetched %d, want 42 from the log", got)
	}
	if g := c2.Group("g"); g.State != Stable || g.Generation != gen || g.members[m] == nil {
		t.Fatalf("the new coordinator must restore the Stable group: %+v", g)
	}
	if code := heartbeat(c2, "g", m, gen); code != proto.None {
		t.Fatalf("the member keeps heartbeating to the new coordinator: %s", code)
	}
	// The old broker lost leadership: NOT_COORDINATOR, and its groups are unloaded.
	delete(h.leads, c.PartitionFor("g"))
	if code := heartbeat(c, "g", m, gen); code != proto.NotCoordinator {
		t.Fatalf("a former coordinator answers %s, want NOT_COORDINATOR", code)
	}
	if c.Group("g") != nil {
		t.Fatal("the former coordinator should have unloaded the group")
	}
}

func TestStandaloneCommitAndTransactionalOffsets(t *testing.T) {
	h := newFakeHost()
	c := newTestCoordinator(h)
	r := commit(c, "solo", "", -1, 7)
	h.run(10 * time.Millisecond)
	if r.got.Topics[0].Partitions[0].ErrorCode != proto.None || fetched(c, "solo", false).CommittedOffset != 7 {
		t.Fatal("a consumer outside any group commits with generation -1")
	}
	var tr capture[proto.TxnOffsetCommitResponse]
	c.TxnOffsetCommit(proto.TxnOffsetCommitRequest{TransactionalID: "tx", GroupID: "solo", ProducerID: 5, GenerationID: -1,
		Topics: []proto.OffsetCommitTopic{{Name: "t", Partitions: []proto.OffsetCommitPartition{{Index: 0, CommittedOffset: 9}}}}}, tr.fn)
	h.run(10 * time.Millisecond)
	if p := fetched(c, "solo", true); p.ErrorCode != proto.UnstableOffsetCommit || p.CommittedOffset != 7 {
		t.Fatalf("with a pending transactional commit: %+v, want UNSTABLE_OFFSET_COMMIT and the old offset", p)
	}
	var done capture[proto.ErrorCode]
	c.CompleteTxn(c.PartitionFor("solo"), 5, true, done.fn)
	h.run(10 * time.Millisecond)
	if p := fetched(c, "solo", true); done.got != proto.None || p.ErrorCode != proto.None || p.CommittedOffset != 9 {
		t.Fatalf("after the commit marker: %+v", p)
	}
	// Staged offsets survive a reload until their marker, and an abort drops them.
	c.TxnOffsetCommit(proto.TxnOffsetCommitRequest{TransactionalID: "tx", GroupID: "solo", ProducerID: 6, GenerationID: -1,
		Topics: []proto.OffsetCommitTopic{{Name: "t", Partitions: []proto.OffsetCommitPartition{{Index: 0, CommittedOffset: 20}}}}}, tr.fn)
	h.run(10 * time.Millisecond)
	c2 := newTestCoordinator(h)
	if p := fetched(c2, "solo", true); p.ErrorCode != proto.UnstableOffsetCommit {
		t.Fatalf("reloaded: %+v, want the staged offset still pending", p)
	}
	c2.CompleteTxn(c2.PartitionFor("solo"), 6, false, done.fn)
	h.run(10 * time.Millisecond)
	if p := fetched(c2, "solo", true); p.ErrorCode != proto.None || p.CommittedOffset != 9 {
		t.Fatalf("after the abort marker: %+v, want offset 9", p)
	}
}

func TestTransactionFencingAndCompletion(t *testing.T) {
	h := newFakeHost()
	tc := NewTxn(h, TxnConfig{Partitions: 3, MaxTimeout: 15 * time.Minute, CleanupInterval: 10 * time.Second})
	var a, b capture[proto.InitProducerIDResponse]
	tc.InitProducerID(proto.InitProducerIDRequest{TransactionalID: "tx", TransactionTimeoutMs: 60000}, a.fn)
	h.run(10 * time.Millisecond)
	if a.got.ErrorCode != proto.None || a.got.ProducerEpoch != 0 {
		t.Fatalf("first InitProducerId: %+v", a.got)
	}
	var code capture[proto.ErrorCode]
	tc.AddPartitions("tx", a.got.ProducerID, 0, []names.TopicPartition{{Topic: "out", Partition: 0}}, code.fn)
	h.run(10 * time.Millisecond)
	if code.got != proto.None || tc.Txn("tx").State != TxnOngoing {
		t.Fatalf("AddPartitionsToTxn: %s, state %s", code.got, tc.Txn("tx").State)
	}
	// A second instance: the open transaction is aborted, the caller retries.
	tc.InitProducerID(proto.InitProducerIDRequest{TransactionalID: "tx", TransactionTimeoutMs: 60000}, b.fn)
	h.run(10 * time.Millisecond)
	if b.got.ErrorCode != proto.ConcurrentTransactions || len(h.markers) != 1 || h.markers[0].Commit {
		t.Fatalf("InitProducerId over an open transaction: %+v, markers %+v", b.got, h.markers)
	}
	tc.InitProducerID(proto.InitProducerIDRequest{TransactionalID: "tx", TransactionTimeoutMs: 60000}, b.fn)
	h.run(10 * time.Millisecond)
	if b.got.ErrorCode != proto.None || b.got.ProducerEpoch <= a.got.ProducerEpoch || b.got.ProducerID != a.got.ProducerID {
		t.Fatalf("retry: %+v, want the same id with a higher epoch", b.got)
	}
	tc.AddPartitions("tx", a.got.ProducerID, a.got.ProducerEpoch, []names.TopicPartition{{Topic: "out", Partition: 0}}, code.fn)
	if code.got != proto.ProducerFenced {
		t.Fatalf("the old instance: %s, want PRODUCER_FENCED", code.got)
	}
	tc.AddPartitions("tx", b.got.ProducerID, b.got.ProducerEpoch, []names.TopicPartition{{Topic: "out", Partition: 1}}, code.fn)
	h.run(10 * time.Millisecond)
	var end capture[proto.ErrorCode]
	tc.EndTxn(proto.EndTxnRequest{TransactionalID: "tx", ProducerID: b.got.ProducerID, ProducerEpoch: b.got.ProducerEpoch, Committed: true}, func(c proto.ErrorCode, _ int64, _ int16) { end.fn(c) })
	h.run(10 * time.Millisecond)
	if end.got != proto.None || tc.Txn("tx").State != CompleteCommit || len(h.markers) != 2 || !h.markers[1].Commit {
		t.Fatalf("EndTxn: %s, state %s, markers %+v", end.got, tc.Txn("tx").State, h.markers)
	}
	// A transaction left open past its timeout is aborted by the coordinator.
	tc.AddPartitions("tx", b.got.ProducerID, b.got.ProducerEpoch, []names.TopicPartition{{Topic: "out", Partition: 0}}, code.fn)
	h.run(75 * time.Second)
	if tc.Txn("tx").State != CompleteAbort || tc.Txn("tx").Epoch <= b.got.ProducerEpoch {
		t.Fatalf("after transaction.timeout.ms: state %s epoch %d, want CompleteAbort with a bumped epoch", tc.Txn("tx").State, tc.Txn("tx").Epoch)
	}
}
