package lessons

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, rebalanceCostCases) }

// joinEvents: c1 and c2 own the 4 partitions of orders in group g from
// 2 s; c3 joins at 10 s; with eager rebalancing c1 and c2 give back
// everything at 10.5 s and get their new share at 12 s, c3 at 12.5 s.
func joinEvents(protocol string) []view.Event {
	started := func(sec float64, c string) view.Event {
		return gev(sec, "consumer-"+c, "consumer_started", map[string]any{"group": "g", "topics": []any{"orders"}, "protocol": protocol})
	}
	owns := func(sec float64, c string, parts ...any) view.Event {
		return gev(sec, "consumer-"+c, "partitions_assigned", map[string]any{"group": "g", "generation": float64(1), "partitions": parts})
	}
	revoked := func(sec float64, c string, parts ...any) view.Event {
		return gev(sec, "consumer-"+c, "partitions_revoked", map[string]any{"group": "g", "partitions": parts})
	}
	return []view.Event{
		started(1, "c1"), started(1, "c2"),
		owns(2, "c1", "orders-0", "orders-1"), owns(2, "c2", "orders-2", "orders-3"),
		started(10, "c3"),
		revoked(10.5, "c1", "orders-0", "orders-1"), revoked(10.5, "c2", "orders-2", "orders-3"),
		owns(12, "c1", "orders-0", "orders-1"), owns(12, "c2", "orders-2"),
		owns(12.5, "c3", "orders-3"),
	}
}

func snapAt(sec float64) view.Snapshot {
	return view.Snapshot{TimeUS: int64(sec * 1e6), Topics: []view.TopicSnapshot{{Name: "orders", Partitions: 4}}}
}

func rebalanceCostCases() []eventCase {
	eager := joinEvents("EAGER")
	early := append(joinEvents("EAGER")[:2], joinEvents("EAGER")[4:]...) // c3 joins before anyone owns anything
	return []eventCase{
		{"rebalance_measured", `{"group":"g","protocol":"eager"}`, snapAt(30), eager, true, "group g (eager): 6.5 partition-seconds unowned, settled 2.5s after consumer c3 joined, 1 partition moved"},
		{"rebalance_measured", `{"group":"g","protocol":"consumer"}`, snapAt(30), eager, false, "consumer c3 joined group g with the eager protocol, not consumer; start the group's next member with the settings the step names"},
		{"rebalance_measured", `{"group":"g","protocol":"eager"}`, snapAt(20), eager, false, "group g: every partition has an owner again since 12.5s; it counts as settled after 10s without a change (6.5 partition-seconds unowned so far)"},
		{"rebalance_measured", `{"group":"g","protocol":"eager"}`, snapAt(11), eager[:7], false, "group g is still rebalancing after consumer c3 joined at 10s: 4 partitions without an owner now, 2.0 partition-seconds unowned so far"},
		{"rebalance_measured", `{"group":"g","protocol":"eager"}`, snapAt(10.2), eager[:5], false, "consumer c3 joined group g at 10s; no partition has changed hands yet"},
		{"rebalance_measured", `{"group":"g","protocol":"eager"}`, snapAt(30), early, false, "consumer c3 joined group g at 10s while 4 partitions of it had no owner yet: let the group settle, then start one more member"},
		{"rebalance_measured", `{"group":"h","protocol":"eager"}`, snapAt(30), eager, false, "group h does not exist yet"},
		{"rebalance_measured", `{"group":"g","protocol":"eager","member":3}`, snapAt(30), eager, true, "group g (eager): 6.5 partition-seconds unowned, settled 2.5s after consumer c3 joined, 1 partition moved"},
		{"rebalance_measured", `{"group":"g","protocol":"eager","member":4}`, snapAt(30), eager, false, "3 consumers of group g started so far; the goal measures the join of member 4"},
		{"rebalance_measured", `{"group":"g","protocol":"eager","member":2}`, snapAt(30), eager, false, "consumer c2 joined group g at 1s while 4 partitions of it had no owner yet: let the group settle, then start one more member"},

		{"rebalance_measured", `{"group":"g","protocol":"eager","compare":["h"]}`, snapAt(30), eager, false, "group g (eager): 6.5 partition-seconds unowned, settled 2.5s after consumer c3 joined, 1 partition moved; group h does not exist yet"},
		{"rebalance_measured", `{"group":"g","protocol":"eager","compare":["g"]}`, snapAt(30), eager, true, "group g (eager): 6.5 partition-seconds unowned, settled 2.5s after consumer c3 joined, 1 partition moved; group g (eager): 6.5 partition-seconds unowned, settled 2.5s after consumer c3 joined, 1 partition moved"},
	}
}

func TestRebalanceCostPredicates(t *testing.T) { runGroupCases(t, rebalanceCostCases()) }
