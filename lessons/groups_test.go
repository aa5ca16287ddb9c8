package lessons

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, groupCases) }

// shop is a Stable group of two members on a 3-partition topic: c1 owns
// orders-0 and orders-1, c2 orders-2, c3 nothing; orders-2 has no commit.
func shop() view.Snapshot {
	return view.Snapshot{Groups: []view.GroupSnapshot{{
		GroupID: "shop", Coordinator: 3, CoordinatorPartition: 12, Loaded: true, State: "Stable", Generation: 4,
		Members: []view.GroupMember{
			{MemberID: "consumer-c1-1", Consumer: "c1", Assignment: []string{"orders-0", "orders-1"}},
			{MemberID: "consumer-c2-1", Consumer: "c2", Assignment: []string{"orders-2"}},
			{MemberID: "consumer-c3-1", Consumer: "c3"},
		},
		Partitions: []view.GroupPartition{
			{Topic: "orders", Partition: 0, Owner: "c1", Committed: 40, Position: 45, HWM: 100, Lag: 60},
			{Topic: "orders", Partition: 1, Owner: "c1", Committed: 90, Position: 90, HWM: 90, Lag: 0},
			{Topic: "orders", Partition: 2, Owner: "c2", Committed: -1, Position: 7, HWM: 10, Lag: 3},
		},
	}}}
}

// drained is shop with every partition committed up to its HWM.
func drained() view.Snapshot {
	s := shop()
	for i := range s.Groups[0].Partitions {
		p := &s.Groups[0].Partitions[i]
		p.Committed, p.Lag = p.HWM, 0
	}
	return s
}

func gev(sec float64, node, kind string, data map[string]any) view.Event {
	return view.Event{TimeUS: int64(sec * 1e6), Node: node, Kind: kind, Data: data}
}

// groupEvents: c1 finds broker 1, c2 starts with latest, c3 with none;
// the group rebalances for a join, a poll timeout and new partitions.
func groupEvents() []view.Event {
	return []view.Event{
		gev(1, "consumer-c1", "consumer_started", map[string]any{"group": "shop", "configs": map[string]any{"group.id": "shop", "auto.offset.reset": "earliest"}}),
		gev(1.1, "consumer-c1", "coordinator_found", map[string]any{"group": "shop", "coordinator": float64(1)}),
		gev(1.2, "broker-1", "group_state_changed", map[string]any{"group": "shop", "from": "Empty", "to": "PreparingRebalance", "reason": "member consumer-c1-1 joined"}),
		gev(4, "consumer-c1", "position_reset", map[string]any{"group": "shop", "topic": "orders", "partition": float64(0), "offset": float64(0)}),
		gev(5, "consumer-c2", "consumer_started", map[string]any{"group": "shop", "configs": map[string]any{"group.id": "shop"}}),
		gev(5.1, "broker-1", "group_state_changed", map[string]any{"group": "shop", "from": "Stable", "to": "PreparingRebalance", "reason": "member consumer-c2-1 joined"}),
		gev(7, "consumer-c1", "partitions_assigned", map[string]any{"group": "shop", "generation": float64(2), "partitions": []any{"orders-0", "orders-1"}, "added": []any{"orders-0", "orders-1"}}),
		gev(7.1, "consumer-c2", "position_reset", map[string]any{"group": "shop", "topic": "orders", "partition": float64(2), "offset": float64(7)}),
		gev(9, "consumer-c3", "consumer_started", map[string]any{"group": "strict", "configs": map[string]any{"group.id": "strict", "auto.offset.reset": "none"}}),
		gev(9.5, "consumer-c3", "consumer_error", map[string]any{"group": "strict", "error": "NoOffsetForPartitionException: no committed offset for orders-0 and auto.offset.reset=none"}),
		gev(20, "broker-1", "member_removed", map[string]any{"group": "shop", "reason": "it left the group (consumer poll timeout has expired)"}),
		gev(20, "broker-1", "group_state_changed", map[string]any{"group": "shop", "from": "Stable", "to": "PreparingRebalance", "reason": "1 member(s) left"}),
		gev(30, "broker-1", "group_state_changed", map[string]any{"group": "shop", "from": "Stable", "to": "PreparingRebalance", "reason": "the leader consumer-c1-1 rejoined (topic orders now has 3 partitions (the assignment used 2))"}),
	}
}

// cooperative adds a rebalance in which c1 keeps orders-0.
func cooperative() []view.Event {
	return append(groupEvents(), gev(40, "consumer-c1", "partitions_assigned", map[string]any{"group": "shop", "generation": float64(4), "partitions": []string{"orders-0", "orders-2"}, "added": []string{"orders-2"}}))
}

func groupCases() []eventCase {
	s, d, none, evs := shop(), drained(), view.Snapshot{}, groupEvents()
	crashed := append(groupEvents(), gev(60, "broker-1", "member_removed", map[string]any{"group": "shop", "reason": "no heartbeat within session.timeout.ms=45000"}),
		gev(60, "broker-1", "group_state_changed", map[string]any{"group": "shop", "from": "Stable", "to": "PreparingRebalance", "reason": "member consumer-c2-1's session timed out"}))
	moved := shop()
	moved.Groups[0].Coordinator = 1
	loading := shop()
	loading.Groups[0].Loaded = false
	return []eventCase{
		{"group_state", `{"group":"shop","state":"Stable","members":3}`, s, nil, true, "group shop is Stable in generation 4 with 3 members; broker 3 coordinates it (it leads __consumer_offsets-12)"},
		{"group_state", `{"group":"shop","members":1}`, s, nil, false, "group shop is Stable in generation 4 with 3 members; broker 3 coordinates it (it leads __consumer_offsets-12)"},
		{"group_state", `{"group":"shop","state":"Empty"}`, s, nil, false, "group shop is Stable in generation 4 with 3 members; broker 3 coordinates it (it leads __consumer_offsets-12)"},
		{"group_state", `{"group":"shop"}`, none, nil, false, "group shop does not exist yet"},

		{"group_offsets_committed", `{"group":"shop","topic":"orders","min":100}`, s, nil, true, "group shop has committed orders-0=40, orders-1=90 (130 in all); the goal is 100"},
		{"group_offsets_committed", `{"group":"shop","topic":"orders","min":200}`, s, nil, false, "group shop has committed orders-0=40, orders-1=90 (130 in all); the goal is 200"},
		{"group_offsets_committed", `{"group":"shop","topic":"returns","min":1}`, s, nil, false, "group shop has committed no offsets for returns yet"},

		{"offset_reset_seen", `{"group":"shop","reset":"earliest"}`, none, evs, true, "consumer c1 started orders-0 at offset 0 at 4s: no committed offset, auto.offset.reset=earliest"},
		{"offset_reset_seen", `{"group":"shop","reset":"latest"}`, none, evs, true, "consumer c2 started orders-2 at offset 7 at 7.1s: no committed offset, auto.offset.reset=latest"},
		{"offset_reset_seen", `{"group":"strict","reset":"none"}`, none, evs, true, "consumer c3 failed at 9.5s: NoOffsetForPartitionException: no committed offset for orders-0 and auto.offset.reset=none"},
		{"offset_reset_seen", `{"group":"shop","reset":"none"}`, none, evs, false, "no consumer of group shop has started without a committed offset under auto.offset.reset=none yet"},
		{"offset_reset_seen", `{"group":"strict","reset":"latest"}`, none, evs, false, "no consumer of group strict has started without a committed offset under auto.offset.reset=latest yet"},

		{"coordinator_moved", `{"group":"shop"}`, s, evs, true, "group shop moved from broker 1 to broker 3, the new leader of __consumer_offsets-12; it read back committed offsets for 2 partitions"},
		{"coordinator_moved", `{"group":"shop"}`, moved, evs, false, "broker 1 still coordinates group shop (it leads __consumer_offsets-12)"},
		{"coordinator_moved", `{"group":"shop"}`, loading, evs, false, "broker 3 now leads __consumer_offsets-12 and is still loading group shop"},
		{"coordinator_moved", `{"group":"shop"}`, s, nil, false, "no consumer has looked up the coordinator of group shop yet"},

		{"rebalance_seen", `{"group":"shop","trigger":"join"}`, none, evs, true, "group shop rebalanced once for join, first at 5.1s: member consumer-c2-1 joined"},
		{"rebalance_seen", `{"group":"shop","trigger":"poll_timeout"}`, none, evs, true, "group shop rebalanced once for poll timeout, first at 20s: 1 member(s) left"},
		{"rebalance_seen", `{"group":"shop","trigger":"partitions_added"}`, none, evs, true, "group shop rebalanced once for partitions added, first at 30s: the leader consumer-c1-1 rejoined (topic orders now has 3 partitions (the assignment used 2))"},
		{"rebalance_seen", `{"group":"shop","trigger":"any","min":3}`, none, evs, true, "group shop rebalanced 3 times for any, first at 5.1s: member consumer-c2-1 joined"},
		{"rebalance_seen", `{"group":"shop","trigger":"session_timeout"}`, none, crashed, true, "group shop rebalanced once for session timeout, first at 1m0s: member consumer-c2-1's session timed out"},
		{"rebalance_seen", `{"group":"shop","trigger":"session_timeout"}`, none, evs, false, "group shop rebalanced 0 times for session timeout (the goal is 1); its rebalances: join at 5.1s, poll timeout at 20s, partitions added at 30s"},
		{"rebalance_seen", `{"group":"shop","trigger":"leave"}`, none, evs, false, "group shop rebalanced 0 times for leave (the goal is 1); its rebalances: join at 5.1s, poll timeout at 20s, partitions added at 30s"},
		{"rebalance_seen", `{"group":"strict","trigger":"join"}`, none, evs, false, "group strict has not rebalanced since it formed"},
		// c2 joined during group.initial.rebalance.delay.ms: one generation, no rebalance, and the detail says what to do.
		{"rebalance_seen", `{"group":"early","trigger":"join"}`, none, []view.Event{
			{TimeUS: 1_000_000, Kind: "group_state_changed", Data: map[string]any{"group": "early", "from": "Empty", "to": "PreparingRebalance", "reason": "member consumer-c1-1 joined"}},
			{TimeUS: 4_100_000, Kind: "group_joined", Node: "consumer-c1", Data: map[string]any{"group": "early", "generation": float64(1)}},
			{TimeUS: 4_100_000, Kind: "group_joined", Node: "consumer-c2", Data: map[string]any{"group": "early", "generation": float64(1)}},
		}, false, "group early has not rebalanced since it formed: c1, c2 joined its first generation together, within group.initial.rebalance.delay.ms of the first, and that is no rebalance; start another member now that the group is Stable"},

		{"partitions_kept_through_rebalance", `{"group":"shop"}`, none, cooperative(), true, "consumer c1 kept consuming orders-0 through the rebalance to generation 4 (at 40s)"},
		{"partitions_kept_through_rebalance", `{"group":"shop"}`, none, evs, false, "in every rebalance of group shop so far, each member gave back all its partitions before getting new ones"},
		{"partitions_kept_through_rebalance", `{"group":"strict"}`, none, evs, false, "group strict has not rebalanced since its first generation"},

		{"group_lag", `{"group":"shop","op":">=","n":50}`, s, nil, true, "group shop has lag 63 with 3 members (HWM−committed: orders-0 100−40=60, orders-1 90−90=0, orders-2 3 (nothing committed yet)); the goal is >= 50"},
		{"group_lag", `{"group":"shop","op":"==","n":0}`, s, nil, false, "group shop has lag 63 with 3 members (HWM−committed: orders-0 100−40=60, orders-1 90−90=0, orders-2 3 (nothing committed yet)); the goal is == 0"},
		{"group_lag", `{"group":"shop","op":"==","n":0,"min_members":3}`, d, nil, true, "group shop has lag 0 with 3 members (HWM−committed: orders-0 100−100=0, orders-1 90−90=0, orders-2 10−10=0); the goal is == 0"},
		{"group_lag", `{"group":"shop","op":"==","n":0,"min_members":4}`, d, nil, false, "group shop has lag 0 with 3 members (HWM−committed: orders-0 100−100=0, orders-1 90−90=0, orders-2 10−10=0); the goal is == 0 with at least 4 members"},
		{"group_lag", `{"group":"shop","op":">=","n":0}`, none, nil, false, "group shop does not exist yet"},

		{"idle_members", `{"group":"shop"}`, s, nil, true, "group shop is Stable with 3 members on 3 partitions; idle: c3"},
		{"idle_members", `{"group":"shop","min":2}`, s, nil, false, "group shop is Stable with 3 members on 3 partitions; idle: c3"},
		{"idle_members", `{"group":"shop"}`, none, nil, false, "group shop does not exist yet"},
	}
}

func TestGroupPredicates(t *testing.T) { runGroupCases(t, groupCases()) }

// runGroupCases evaluates table cases (kept here so this file stands alone).
func runGroupCases(t *testing.T, cases []eventCase) {
	t.Helper()
	for _, c := range cases {
		p := LookupPredicate(c.check)
		if p == nil {
			t.Fatalf("no predicate %q", c.check)
		}
		params, err := p.ParseParams(json.RawMessage(c.params))
		if err != nil {
			t.Errorf("%s %s: params: %v", c.check, c.params, err)
			continue
		}
		ok, detail := p.Eval(c.snap, c.evs, params)
		if ok != c.ok || detail != c.detail {
			t.Errorf("%s %s = %v, %q; want %v, %q", c.check, c.params, ok, detail, c.ok, c.detail)
		}
	}
}

func TestGroupPredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"group_state", `{}`, `missing "group"`},
		{"group_state", `{"group":"g","state":"Running"}`, `"state" must be one of Empty, PreparingRebalance, CompletingRebalance, Stable, Dead; got "Running"`},
		{"group_state", `{"group":"g","members":-1}`, `"members" must not be negative, got -1`},
		{"group_offsets_committed", `{"group":"g","topic":"t"}`, `"min" must be at least 1, got 0`},
		{"group_offsets_committed", `{"group":"g","min":1}`, `topic`},
		{"offset_reset_seen", `{"group":"g","reset":"smallest"}`, `"reset" must be earliest, latest or none; got "smallest"`},
		{"coordinator_moved", `{}`, `missing "group"`},
		{"rebalance_seen", `{"group":"g","trigger":"crash"}`, `"trigger" must be one of join, leave, session_timeout, poll_timeout, partitions_added, subscription_changed, any; got "crash"`},
		{"rebalance_seen", `{"group":"g","trigger":"join","min":-2}`, `"min" must be at least 1, got -2`},
		{"group_lag", `{"group":"g","op":"=","n":0}`, `"op" must be one of`},
		{"group_lag", `{"group":"g","op":"=="}`, `"n" must be given and not negative`},
		{"group_lag", `{"group":"g","op":"==","n":0,"min_members":-1}`, `"min_members" must not be negative, got -1`},
		{"idle_members", `{"group":"g","min":-1}`, `"min" must be at least 1, got -1`},
		{"idle_members", `{"group":"g","extra":1}`, `unknown field "extra"`},
	} {
		_, err := LookupPredicate(c.check).ParseParams(json.RawMessage(c.params))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %s: err = %v, want it to contain %q", c.check, c.params, err, c.err)
		}
	}
}

// TestGroupLessonsCoverTheCurriculum checks lessons 12–15 against their
// CURRICULUM.md rows: the goals they check, the terms they define and the
// facts their common-belief box states.
func TestGroupLessonsCoverTheCurriculum(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id     string
		checks []string
		terms  []string
		right  []string // in <belief>.right
	}{
		{"consumer-groups-coordinator", []string{"group_offsets_committed", "offset_reset_seen", "coordinator_moved", "event_seen"},
			[]string{"group-coordinator", "consumer-offsets", "committed-offset", "auto-offset-reset"},
			[]string{"__consumer_offsets", "abs(hashCode(group.id)) % 50", "ZooKeeper"}},
		{"rebalancing", []string{"rebalance_seen", "partitions_kept_through_rebalance"},
			[]string{"rebalance", "heartbeat", "session-timeout-ms", "max-poll-interval-ms", "cooperative-sticky", "on-partitions-revoked"},
			[]string{"45000", "3.0", "max.poll.interval.ms"}},
		{"lag-scaling", []string{"group_lag", "idle_members", "group_state"},
			[]string{"consumer-lag", "high-watermark", "committed-offset"},
			[]string{"per partition", "high watermark", "committed offset"}},
		{"delivery-semantics", []string{"records_processed_twice", "records_never_processed", "output_exactly_once"},
			[]string{"at-least-once", "at-most-once", "exactly-once", "read-committed", "auto-commit"},
			[]string{"previous poll()", "at-least-once", "read_committed"}},
	} {
		l := ByID(ls, c.id)
		if l == nil {
			t.Errorf("lesson %s is missing", c.id)
			continue
		}
		var used []string
		for _, st := range l.Steps {
			for _, g := range st.Goals {
				used = append(used, g.Check)
			}
		}
		for _, chk := range c.checks {
			if !slices.Contains(used, chk) {
				t.Errorf("%s has no %s goal", c.id, chk)
			}
		}
		for _, term := range c.terms {
			if !slices.Contains(l.Glossary, term) {
				t.Errorf("%s's glossary lacks %q", c.id, term)
			}
		}
		right := l.Text(DefaultLocale, l.CommonBelief+".right")
		for _, fact := range c.right {
			if !strings.Contains(right, fact) {
				t.Errorf("%s's common belief does not state %q: %s", c.id, fact, right)
			}
		}
	}
}
