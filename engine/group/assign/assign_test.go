package assign

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
)

// tps parses "t0-0 t0-1 t1-2" into topic partitions.
func tps(s string) []names.TopicPartition {
	out := []names.TopicPartition{}
	for _, f := range strings.Fields(s) {
		i := strings.LastIndexByte(f, '-')
		var p int32
		fmt.Sscan(f[i+1:], &p)
		out = append(out, names.TopicPartition{Topic: f[:i], Partition: p})
	}
	return out
}

func member(id string, topics string, owned string, gen int32) Member {
	return Member{ID: id, Topics: strings.Fields(topics), Owned: tps(owned), Generation: gen}
}

func check(t *testing.T, name string, got map[string][]names.TopicPartition, want map[string]string) {
	t.Helper()
	w := map[string][]names.TopicPartition{}
	for id, s := range want {
		w[id] = tps(s)
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("%s:\n got %v\nwant %v", name, got, w)
	}
}

func TestRange(t *testing.T) {
	check(t, "2 members, 3 partitions", Range([]Member{
		member("c1", "t0", "", -1), member("c0", "t0", "", -1),
	}, map[string]int32{"t0": 3}), map[string]string{"c0": "t0-0 t0-1", "c1": "t0-2"})

	// RangeAssignor's javadoc: the first member gets the extra partition of
	// every topic, so it ends with 4 against 2.
	check(t, "javadoc example", Range([]Member{
		member("C0", "t0 t1", "", -1), member("C1", "t0 t1", "", -1),
	}, map[string]int32{"t0": 3, "t1": 3}), map[string]string{
		"C0": "t0-0 t0-1 t1-0 t1-1", "C1": "t0-2 t1-2",
	})

	// Static members come first, by group.instance.id; then member ids.
	ms := []Member{
		{ID: "a", Topics: []string{"t"}},
		{ID: "b", InstanceID: "i-2", Topics: []string{"t"}},
		{ID: "c", InstanceID: "i-1", Topics: []string{"t"}},
	}
	check(t, "static members", Range(ms, map[string]int32{"t": 5}), map[string]string{
		"c": "t-0 t-1", "b": "t-2 t-3", "a": "t-4",
	})

	// Topics without partitions or metadata, and unsubscribed members.
	check(t, "partial subscriptions", Range([]Member{
		member("a", "x y gone", "", -1), member("b", "y", "", -1), member("idle", "gone", "", -1),
	}, map[string]int32{"x": 2, "y": 3, "other": 4}), map[string]string{
		"a": "x-0 x-1 y-0 y-1", "b": "y-2", "idle": "",
	})
}

func TestRoundRobin(t *testing.T) {
	// RoundRobinAssignor's javadoc, identical subscriptions.
	check(t, "javadoc example 1", RoundRobin([]Member{
		member("C0", "t0 t1", "", -1), member("C1", "t0 t1", "", -1),
	}, map[string]int32{"t0": 3, "t1": 3}), map[string]string{
		"C0": "t0-0 t0-2 t1-1", "C1": "t0-1 t1-0 t1-2",
	})
	// RoundRobinAssignor's javadoc, different subscriptions.
	check(t, "javadoc example 2", RoundRobin([]Member{
		member("C0", "t0", "", -1), member("C1", "t0 t1", "", -1), member("C2", "t0 t1 t2", "", -1),
	}, map[string]int32{"t0": 1, "t1": 2, "t2": 3}), map[string]string{
		"C0": "t0-0", "C1": "t1-0", "C2": "t1-1 t2-0 t2-1 t2-2",
	})
}

func TestStickyKeepsOwnersWhenAMemberLeaves(t *testing.T) {
	// StickyAssignor's javadoc example 1: C1 leaves; C0 and C2 keep all
	// they had and share C1's partitions (Kafka's doc shows another equally
	// sticky split of the three freed partitions).
	parts := map[string]int32{"t0": 2, "t1": 2, "t2": 2, "t3": 2}
	got := Sticky([]Member{
		member("C0", "t0 t1 t2 t3", "t0-0 t1-1 t3-0", 1),
		member("C2", "t0 t1 t2 t3", "t1-0 t2-1", 1),
	}, parts)
	check(t, "member left", got, map[string]string{
		"C0": "t0-0 t0-1 t1-1 t3-0", "C2": "t1-0 t2-0 t2-1 t3-1",
	})
}

func TestStickyDifferentSubscriptions(t *testing.T) {
	// StickyAssignor's javadoc example 2: balanced where round robin is not.
	parts := map[string]int32{"t0": 1, "t1": 2, "t2": 3}
	check(t, "fresh", Sticky([]Member{
		member("C0", "t0", "", -1), member("C1", "t0 t1", "", -1), member("C2", "t0 t1 t2", "", -1),
	}, parts), map[string]string{"C0": "t0-0", "C1": "t1-0 t1-1", "C2": "t2-0 t2-1 t2-2"})
	// then C0 leaves: only its partition moves
	check(t, "C0 left", Sticky([]Member{
		member("C1", "t0 t1", "t1-0 t1-1", 1), member("C2", "t0 t1 t2", "t2-0 t2-1 t2-2", 1),
	}, parts), map[string]string{"C1": "t0-0 t1-0 t1-1", "C2": "t2-0 t2-1 t2-2"})
}

func TestCooperativeWithholdsMovingPartitions(t *testing.T) {
	parts := map[string]int32{"t": 4}
	round1 := []Member{member("A", "t", "t-0 t-1 t-2 t-3", 1), member("B", "t", "", -1)}
	check(t, "eager sticky", Sticky(round1, parts), map[string]string{"A": "t-0 t-1", "B": "t-2 t-3"})
	check(t, "cooperative round 1", CooperativeSticky(round1, parts), map[string]string{"A": "t-0 t-1", "B": ""})
	// A revoked t-2 and t-3; B gets them in the follow-up rebalance.
	round2 := []Member{member("A", "t", "t-0 t-1", 2), member("B", "t", "", 2)}
	check(t, "cooperative round 2", CooperativeSticky(round2, parts), map[string]string{"A": "t-0 t-1", "B": "t-2 t-3"})

	// The same with different subscriptions (the general path): B gets u-0,
	// then one of A's four moves to B (3 against 2); that one waits a round.
	parts = map[string]int32{"t": 4, "u": 1}
	round1 = []Member{member("A", "t", "t-0 t-1 t-2 t-3", 1), member("B", "t u", "", -1)}
	check(t, "general eager", Sticky(round1, parts), map[string]string{"A": "t-1 t-2 t-3", "B": "t-0 u-0"})
	check(t, "general cooperative", CooperativeSticky(round1, parts), map[string]string{"A": "t-1 t-2 t-3", "B": "u-0"})
	round2 = []Member{member("A", "t", "t-1 t-2 t-3", 2), member("B", "t u", "u-0", 2)}
	check(t, "general round 2", CooperativeSticky(round2, parts), map[string]string{"A": "t-1 t-2 t-3", "B": "t-0 u-0"})
}

func TestStaleGenerationClaimsLose(t *testing.T) {
	parts := map[string]int32{"t": 2}
	// B's claim on t-0 comes from an older generation: A keeps it, B gets t-1.
	ms := []Member{member("A", "t", "t-0", 5), member("B", "t", "t-0 t-1", 4)}
	want := map[string]string{"A": "t-0", "B": "t-1"}
	check(t, "sticky", Sticky(ms, parts), want)
	check(t, "cooperative", CooperativeSticky(ms, parts), want)
	// The newer claim wins whichever member comes first: B owns both, keeps
	// its quota of one, and t-1 moves to A (a round later when cooperative).
	ms = []Member{member("A", "t", "t-0", 4), member("B", "t", "t-0 t-1", 5)}
	check(t, "newer second, eager", Sticky(ms, parts), map[string]string{"A": "t-1", "B": "t-0"})
	check(t, "newer second, cooperative", CooperativeSticky(ms, parts), map[string]string{"A": "", "B": "t-0"})

	// Two claims from the same generation are both dropped: the partition is
	// assigned afresh, and the cooperative assignor holds it back a round.
	ms = []Member{member("A", "t", "t-0", 5), member("B", "t", "t-0 t-1", 5)}
	check(t, "same generation, eager", Sticky(ms, parts), map[string]string{"A": "t-0", "B": "t-1"})
	check(t, "same generation, cooperative", CooperativeSticky(ms, parts), map[string]string{"A": "", "B": "t-1"})
}

func TestRebalanceProtocol(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  Protocol
		err   string
	}{
		{[]string{"range", "cooperative-sticky"}, Eager, ""}, // the 4.x default
		{[]string{"cooperative-sticky"}, Cooperative, ""},
		{[]string{"sticky"}, Eager, ""},
		{[]string{"roundrobin", "nope"}, 0, `unknown assignor "nope"`},
		{nil, 0, "empty"},
	} {
		got, err := RebalanceProtocol(c.names)
		switch {
		case c.err != "" && (err == nil || !strings.HasPrefix(err.Error(), "assign: ") || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%v: error %v, want one about %s", c.names, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%v: %v, %v; want %v", c.names, got, err, c.want)
		}
	}
	for _, n := range []string{RangeName, RoundRobinName, StickyName, CooperativeStickyName} {
		if a, ok := ByName(n); !ok || a.Name != n || a.Assign == nil {
			t.Errorf("ByName(%q) = %+v, %v", n, a, ok)
		}
	}
	if Cooperative.String() != "COOPERATIVE" || Eager.String() != "EAGER" {
		t.Error("protocol names")
	}
}

func TestJavaCompare(t *testing.T) {
	// U+1D11E is a surrogate pair in UTF-16 and sorts before U+FF21 in Java,
	// after it in UTF-8 byte order.
	sorted := []string{"", "a", "ab", "b", "z", "한", "𝄞", "Ａ"}
	for i := range sorted {
		for j := range sorted {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := javaCompare(sorted[i], sorted[j]); got != want {
				t.Errorf("javaCompare(%q, %q) = %d, want %d", sorted[i], sorted[j], got, want)
			}
		}
	}
	if !slices.IsSortedFunc(sorted, javaCompare) {
		t.Error("not sorted")
	}
}

func TestDuplicateMemberPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "assign: ") {
			t.Fatalf("recovered %v, want an assign: panic", r)
		}
	}()
	Range([]Member{{ID: "a"}, {ID: "a"}}, nil)
}
