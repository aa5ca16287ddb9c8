package controller

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// quorum is three voters on a simulated network, without brokers.
type quorum struct {
	s      *sim.Sim
	n      *sim.Network
	voters []*Controller
}

func newQuorum(t *testing.T, seed uint64) *quorum {
	t.Helper()
	s := sim.New(seed)
	n := sim.NewNetwork(s, sim.DefaultNetworkConfig())
	tr := trace.New(s.Now)
	cfg, err := config.Parse(config.Broker, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := &quorum{s: s, n: n}
	ids := []int32{1, 2, 3}
	for _, id := range ids {
		q.voters = append(q.voters, New(id, ids, s, n, tr, cfg))
	}
	return q
}

func (q *quorum) run(d time.Duration) { q.s.RunUntil(q.s.Now() + d) }

// leader is the one voter in the leader role, or nil.
func (q *quorum) leader(t *testing.T) *Controller {
	t.Helper()
	var l *Controller
	for _, c := range q.voters {
		if c.Role() == Leader {
			if l != nil {
				t.Fatalf("two leaders: %d (epoch %d) and %d (epoch %d)", l.ID, l.Epoch(), c.ID, c.Epoch())
			}
			l = c
		}
	}
	return l
}

func topicNames(im *metadata.Image) []string {
	var out []string
	for name := range im.Topics {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// TestDivergentSuffixIsTruncated drives the metadata log into divergence
// without random luck: the leader appends a record no majority can fetch,
// is cut off, resigns, and a new leader commits other records at the same
// offset. Back on the network the old leader must truncate its suffix
// (truncateTo), take the new leader's records, and its image (rebuilt by
// rebuildImage when it stepped down) must never have shown the lost topic
// as committed. Every seed gives other election timings; the story is
// the same. engine/cluster/testdata/dd/kraft_divergence.txt tells it with
// brokers.
func TestDivergentSuffixIsTruncated(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { divergeAndHeal(t, seed) })
	}
}

func divergeAndHeal(t *testing.T, seed uint64) {
	q := newQuorum(t, seed)
	q.run(5 * time.Second)
	old := q.leader(t)
	if old == nil {
		t.Fatal("no leader after 5s")
	}
	base := old.LogEnd()
	if old.HighWatermark() != base {
		t.Fatalf("leader %d: high watermark %d, log end %d: not all committed", old.ID, old.HighWatermark(), base)
	}

	var others []sim.NodeID
	for _, c := range q.voters {
		if c != old {
			others = append(others, names.Controller(c.ID))
		}
	}
	q.n.Partition([][]sim.NodeID{{names.Controller(old.ID)}, others})
	old.append(metadata.Record{Topic: &metadata.TopicRecord{Name: "zombie"}})
	if old.Image().Topics["zombie"] == nil || old.CommittedImage().Topics["zombie"] != nil {
		t.Fatalf("an appended, uncommitted topic must be in the leader's working image only")
	}

	q.run(10 * time.Second)
	if old.Role() == Leader {
		t.Fatalf("controller %d still leads after 10s without a majority", old.ID)
	}
	if old.Image().Topics["zombie"] != nil {
		t.Fatalf("controller %d stepped down but its image still has the uncommitted topic", old.ID)
	}
	if got := old.Records(base); len(got) != 1 || got[0].Topic == nil {
		t.Fatalf("controller %d: want the zombie record still in its log at %d, got %+v", old.ID, base, got)
	}
	nw := q.leader(t)
	if nw == nil {
		t.Fatal("the majority elected no leader")
	}
	if got := nw.Records(base); len(got) == 0 || got[0].LeaderChange == nil || nw.HighWatermark() <= base {
		t.Fatalf("new leader %d: want a committed LeaderChange at %d, got %+v (hwm %d)", nw.ID, base, got, nw.HighWatermark())
	}

	q.n.Heal()
	q.run(5 * time.Second)
	// Without pre-vote (KIP-996, in Kafka 4.x) the returning voter, whose
	// failed elections raised its epoch, may unseat the leader; the
	// quorum then elects one whose log is at least as long, never it.
	nw = q.leader(t)
	if nw == nil || nw == old {
		t.Fatalf("after the heal the leader is %v; want one of the majority", nw)
	}
	if old.Role() != Follower || old.LeaderID() != nw.ID || old.Epoch() != nw.Epoch() {
		t.Fatalf("controller %d: role %s, leader %d, epoch %d; want follower of %d in epoch %d", old.ID, old.Role(), old.LeaderID(), old.Epoch(), nw.ID, nw.Epoch())
	}
	if got := old.Records(base); len(got) == 0 || got[0].Topic != nil {
		t.Fatalf("controller %d kept its divergent record at %d: %+v", old.ID, base, got)
	}
	if !slices.EqualFunc(old.Records(0), nw.Records(0), func(a, b metadata.Record) bool {
		return a.Offset == b.Offset && a.Epoch == b.Epoch && (a.Topic == nil) == (b.Topic == nil) && (a.LeaderChange == nil) == (b.LeaderChange == nil)
	}) {
		t.Fatalf("logs differ after the heal:\nold leader %d: %+v\nnew leader %d: %+v", old.ID, old.Records(0), nw.ID, nw.Records(0))
	}
	if old.HighWatermark() != nw.HighWatermark() {
		t.Fatalf("high watermarks differ: %d on %d, %d on %d", old.HighWatermark(), old.ID, nw.HighWatermark(), nw.ID)
	}
	if a, b := topicNames(old.Image()), topicNames(nw.CommittedImage()); !slices.Equal(a, b) {
		t.Fatalf("images differ: %v on %d, %v on %d", a, old.ID, b, nw.ID)
	}
}

// TestEndOffsetForEpoch is the leader's answer to a follower's last
// fetched epoch: the largest epoch ≤ the asked one and where it ends
// (KafkaRaftClient's endOffsetForEpoch, the partition leader epoch cache's
// rule).
func TestEndOffsetForEpoch(t *testing.T) {
	c := &Controller{}
	for i, e := range []int32{1, 1, 3, 3, 3, 6} {
		c.log = append(c.log, metadata.Record{Offset: int64(i), Epoch: e})
	}
	for _, tc := range []struct {
		ask       int32
		epoch     int32
		endOffset int64
	}{
		{0, -1, 0}, // before the log: nothing in common
		{1, 1, 2},
		{2, 1, 2}, // epoch 2 never appended: epoch 1's end
		{3, 3, 5},
		{5, 3, 5},
		{6, 6, 6},
		{9, 6, 6},
	} {
		epoch, end := c.endOffsetForEpoch(tc.ask)
		if epoch != tc.epoch || end != tc.endOffset {
			t.Errorf("endOffsetForEpoch(%d) = (%d, %d), want (%d, %d)", tc.ask, epoch, end, tc.epoch, tc.endOffset)
		}
	}
}

// TestTruncateKeepsCommitted: a diverging epoch can only cut uncommitted
// records; cutting below the high watermark is a bug and panics.
func TestTruncateKeepsCommitted(t *testing.T) {
	c := &Controller{hwm: 2}
	for i := range 4 {
		c.log = append(c.log, metadata.Record{Offset: int64(i), Epoch: 1})
	}
	c.truncateTo(3)
	if c.LogEnd() != 3 {
		t.Fatalf("log end %d after truncateTo(3)", c.LogEnd())
	}
	c.truncateTo(5) // past the end: nothing to cut
	if c.LogEnd() != 3 {
		t.Fatalf("log end %d after truncateTo(5)", c.LogEnd())
	}
	defer func() {
		if recover() == nil {
			t.Fatal("truncateTo below the high watermark did not panic")
		}
	}()
	c.truncateTo(1)
}
