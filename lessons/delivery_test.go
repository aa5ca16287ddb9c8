package lessons

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, deliveryCases) }

func consumed(sec float64, node string, part, from, to int) view.Event {
	return gev(sec, node, "consumed", map[string]any{"topic": "t", "partition": float64(part), "from": float64(from), "to": float64(to)})
}

// atLeastOnce: c processes 0–4 and 5–9, crashes before committing 5–9,
// and its next instance processes 5–9 again.
func atLeastOnce() []view.Event {
	return []view.Event{
		gev(1, "consumer-c", "consumer_started", map[string]any{"group": "g"}),
		gev(2, "consumer-c", "position_reset", map[string]any{"group": "g", "topic": "t", "partition": float64(0), "offset": float64(0)}),
		consumed(2, "consumer-c", 0, 0, 5),
		consumed(3, "consumer-c", 0, 5, 10),
		gev(3.1, "consumer-c", "crash_armed", map[string]any{"at": "before_commit"}),
		gev(3.5, "consumer-c", "consumer_crashed", map[string]any{"group": "g"}),
		gev(5, "consumer-c", "consumer_started", map[string]any{"group": "g"}),
		consumed(6, "consumer-c", 0, 5, 10),
	}
}

// atMostOnce: d processes 0–4, then polls 5–9, commits 10 and crashes
// before processing them; its next instance resumes at 10.
func atMostOnce() []view.Event {
	return []view.Event{
		gev(1, "consumer-d", "consumer_started", map[string]any{"group": "h"}),
		consumed(2, "consumer-d", 0, 0, 5),
		gev(2.5, "consumer-d", "crash_armed", map[string]any{"at": "before_process"}),
		consumed(3, "consumer-d", 0, 5, 8),
		consumed(3, "consumer-d", 1, 0, 2),
		gev(3.1, "consumer-d", "consumer_crashed", map[string]any{"group": "h"}),
		gev(5, "consumer-d", "consumer_started", map[string]any{"group": "h"}),
		consumed(6, "consumer-d", 0, 8, 12),
	}
}

func committedAt(group string, offs ...int64) view.Snapshot {
	g := view.GroupSnapshot{GroupID: group, State: "Stable"}
	for i, o := range offs {
		g.Partitions = append(g.Partitions, view.GroupPartition{Topic: "t", Partition: int32(i), Committed: o, HWM: o})
	}
	return view.Snapshot{Groups: []view.GroupSnapshot{g}}
}

// pipeline: group app has committed all of in (3 + 2 records); rc read
// 5 records of out and is caught up, ru read 7 (with aborted ones).
func pipeline(committed int64) view.Snapshot {
	return view.Snapshot{
		Partitions: []view.PartitionState{{Topic: "in", Partition: 0, HWM: 3}, {Topic: "in", Partition: 1, HWM: 2}, {Topic: "out", Partition: 0, HWM: 9}},
		Groups: []view.GroupSnapshot{{GroupID: "app", Partitions: []view.GroupPartition{
			{Topic: "in", Partition: 0, Committed: committed, HWM: 3}, {Topic: "in", Partition: 1, Committed: 2, HWM: 2}}}},
		Consumers: []view.ConsumerSnapshot{
			{Name: "rc", Consumed: 5, Positions: map[string]int64{"out-0": 9}, Lag: map[string]int64{"out-0": 0}},
			{Name: "ru", Consumed: 7, Positions: map[string]int64{"out-0": 9}, Lag: map[string]int64{"out-0": 0}},
			{Name: "slow", Consumed: 2, Positions: map[string]int64{"out-0": 4}, Lag: map[string]int64{"out-0": 5}},
		},
	}
}

func deliveryCases() []eventCase {
	alo, amo, none := atLeastOnce(), atMostOnce(), view.Snapshot{}
	return []eventCase{
		{"records_processed_twice", `{"consumer":"c"}`, none, alo, true, "consumer c processed 5 records again: t-0 offsets 5–9; the goal is 1"},
		{"records_processed_twice", `{"consumer":"c","min":6}`, none, alo, false, "consumer c processed 5 records again: t-0 offsets 5–9; the goal is 6"},
		{"records_processed_twice", `{"consumer":"d"}`, none, amo, false, "consumer d processed 9 records, none of them twice"},
		{"records_processed_twice", `{"consumer":"x"}`, none, alo, false, "consumer x is not started yet"},

		{"records_never_processed", `{"consumer":"d"}`, committedAt("h", 12, 2), amo, true, "group h committed past 5 records consumer d never processed: t-0 offsets 5–7; t-1 offsets 0–1; the goal is 1"},
		{"records_never_processed", `{"consumer":"d","min":9}`, committedAt("h", 12, 2), amo, false, "group h committed past 5 records consumer d never processed: t-0 offsets 5–7; t-1 offsets 0–1; the goal is 9"},
		{"records_never_processed", `{"consumer":"c"}`, committedAt("g", 10), alo, false, "group g committed only records consumer c processed (10 records)"},
		{"records_never_processed", `{"consumer":"c"}`, none, alo, false, "group g does not exist yet"},
		{"records_never_processed", `{"consumer":"x"}`, none, alo, false, "consumer x has not started in a group yet"},

		{"output_exactly_once", `{"group":"app","input":"in","output":"out","reader":"rc"}`, pipeline(3), nil, true, "in holds 5 records, all committed by group app; consumer rc read 5 from out"},
		{"output_exactly_once", `{"group":"app","input":"in","output":"out","reader":"ru"}`, pipeline(3), nil, false, "in holds 5 records, all committed by group app; consumer ru read 7 from out"},
		{"output_exactly_once", `{"group":"app","input":"in","output":"out","reader":"slow"}`, pipeline(3), nil, false, "consumer slow has not read out to its end yet (lag 5 on out-0)"},
		{"output_exactly_once", `{"group":"app","input":"in","output":"out","reader":"rc"}`, pipeline(1), nil, false, "group app has committed 3 of the 5 records in in"},
		{"output_exactly_once", `{"group":"app","input":"in","output":"out","reader":"none"}`, pipeline(3), nil, false, "consumer none is not started yet"},
		{"output_exactly_once", `{"group":"app","input":"in","output":"out","reader":"rc"}`, none, nil, false, "topic in does not exist yet"},
	}
}

func TestDeliveryPredicates(t *testing.T) { runGroupCases(t, deliveryCases()) }

func TestDeliveryPredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"records_processed_twice", `{}`, `missing "consumer"`},
		{"records_never_processed", `{"consumer":"c","min":-1}`, `"min" must be at least 1, got -1`},
		{"output_exactly_once", `{"group":"g","input":"a","output":"a","reader":"r"}`, `"input" and "output" must name two topics`},
		{"output_exactly_once", `{"group":"g","input":"a","output":"b"}`, `missing "reader"`},
		{"output_exactly_once", `{"input":"a","output":"b","reader":"r"}`, `missing "group"`},
	} {
		_, err := LookupPredicate(c.check).ParseParams(json.RawMessage(c.params))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %s: err = %v, want it to contain %q", c.check, c.params, err, c.err)
		}
	}
}
