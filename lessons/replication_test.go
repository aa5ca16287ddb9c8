package lessons

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/view"
)

// eventCase is a predicate case with its own trace events.
type eventCase struct {
	check, params string
	snap          view.Snapshot
	evs           []view.Event
	ok            bool
	detail        string
}

func up(id int32) view.BrokerSnapshot   { return view.BrokerSnapshot{ID: id, State: "up"} }
func down(id int32) view.BrokerSnapshot { return view.BrokerSnapshot{ID: id, State: "down"} }

func replica(b int32, state string, leo int64) view.ReplicaSnapshot {
	return view.ReplicaSnapshot{Broker: b, State: state, LEO: leo}
}

// replicated: orders-0 led by broker 1 with broker 3 stuck at offset 98
// (the HWM); ledger-0 has no leader though broker 3 holding a replica is
// up; ledger-1 has no leader and no live replica.
func replicated() view.Snapshot {
	return view.Snapshot{
		Brokers: []view.BrokerSnapshot{up(1), up(2), up(3), down(4)},
		Topics:  []view.TopicSnapshot{{Name: "orders", Partitions: 1}, {Name: "ledger", Partitions: 2}},
		Partitions: []view.PartitionState{
			{Topic: "orders", Partition: 0, Leader: 1, ISR: []int32{1, 2, 3}, HWM: 98,
				Replicas: []view.ReplicaSnapshot{replica(1, "leader", 258), replica(2, "follower", 258), replica(3, "follower", 98)}},
			{Topic: "ledger", Partition: 0, Leader: -1, LeaderEpoch: 0, ISR: []int32{4}, HWM: 10,
				Replicas: []view.ReplicaSnapshot{replica(4, "offline", -1), replica(3, "follower", 5)}},
			{Topic: "ledger", Partition: 1, Leader: -1, ISR: []int32{4}, HWM: -1,
				Replicas: []view.ReplicaSnapshot{replica(4, "offline", -1)}},
		},
		Consumers: []view.ConsumerSnapshot{
			{Name: "c1", Positions: map[string]int64{"orders-0": 98}},
			{Name: "c2", Positions: map[string]int64{"orders-0": 50}},
		},
	}
}

func ev(kind, topic string, part int32, sec float64, data map[string]any) view.Event {
	e := view.Event{Kind: kind, Topic: topic, TimeUS: int64(sec * 1e6), Data: data}
	if part >= 0 {
		e.Partition = p32(part)
	}
	return e
}

// isrEvents: broker 3 leaves the ISR of orders-0 at 45 s and rejoins at
// 67 s (ISR lists as decoded from JSON, and as Go values).
var isrEvents = []view.Event{
	ev("partition_changed", "orders", 0, 45, map[string]any{"isr": []any{1.0, 2.0}, "leader": 1.0, "leader_epoch": 0.0}),
	ev("partition_changed", "orders", 0, 67, map[string]any{"isr": []int32{1, 2, 3}, "leader": int32(1), "leader_epoch": int32(0)}),
}

// electionEvents: ledger-0 goes offline, then broker 3 is elected uncleanly.
var electionEvents = []view.Event{
	ev("partition_changed", "ledger", 0, 32, map[string]any{"isr": []any{4.0}, "leader": -1.0, "leader_epoch": 0.0, "unclean": false}),
	ev("partition_changed", "ledger", 0, 40, map[string]any{"isr": []any{3.0}, "leader": 3.0, "leader_epoch": 1.0, "unclean": true}),
}

func producers() view.Snapshot {
	return view.Snapshot{Producers: []view.ProducerSnapshot{
		{Name: "p-one", Acked: 5000, Metrics: map[string]float64{"produce-latency-p99-ms": 7.88, "batch-size-avg": 320}},
		{Name: "p-all", Acked: 4990, Metrics: map[string]float64{"produce-latency-p99-ms": 13.19}},
		{Name: "p-new"},
	}}
}

func recAt(off int64, epoch int32) view.RecordView {
	return view.RecordView{Offset: off, LeaderEpoch: epoch, Value: str("v")}
}

// ledgers: ledger-0 is led by broker 3 in epoch 1 after an unclean election:
// offsets 0–1 come from epoch 0, 2–5 from epoch 1. ledger-safe-0 is led by
// broker 2 in epoch 1 and holds offsets 0–2 of epoch 0.
func ledgers() view.Snapshot {
	return view.Snapshot{
		Topics: []view.TopicSnapshot{{Name: "ledger", Partitions: 1}, {Name: "ledger-safe", Partitions: 1}},
		Partitions: []view.PartitionState{
			{Topic: "ledger", Partition: 0, Leader: 3, LeaderEpoch: 1, ISR: []int32{3}, HWM: 6,
				Replicas: []view.ReplicaSnapshot{replica(3, "leader", 6)},
				Records:  []view.RecordView{recAt(0, 0), recAt(1, 0), recAt(2, 1), recAt(3, 1), recAt(4, 1), recAt(5, 1)}},
			{Topic: "ledger-safe", Partition: 0, Leader: 2, LeaderEpoch: 1, ISR: []int32{2, 3}, HWM: 3,
				Replicas: []view.ReplicaSnapshot{replica(2, "leader", 3), replica(3, "follower", 3)},
				Records:  []view.RecordView{recAt(0, 0), recAt(1, 0), recAt(2, 0)}},
		},
	}
}

func appended(topic string, base, n int64, epoch int32) view.Event {
	return ev("appended", topic, 0, 1, map[string]any{"base_offset": base, "records": n, "leader_epoch": epoch, "acks": 1})
}

func acked(producer, topic string, base, n int64) view.Event {
	e := ev("produce_acked", "", -1, 1, map[string]any{"topic": topic, "partition": 0.0, "base_offset": float64(base), "records": float64(n)})
	e.Node = "producer-" + producer
	return e
}

// ackEvents: p-fast had offsets 0–1 and 2–4 acknowledged in epoch 0, then
// 2–5 in epoch 1 (the new leader reused 2–4); p-safe had 0–2 acknowledged.
var ackEvents = []view.Event{
	appended("ledger", 0, 2, 0), acked("p-fast", "ledger", 0, 2),
	appended("ledger", 2, 3, 0), acked("p-fast", "ledger", 2, 3),
	appended("ledger", 2, 4, 1), acked("p-fast", "ledger", 2, 4),
	appended("ledger-safe", 0, 3, 0), acked("p-safe", "ledger-safe", 0, 3),
	acked("p-zero", "ledger", -1, 5),
}

func quorumDown() view.Snapshot {
	return view.Snapshot{Controller: view.ControllerSnapshot{ID: -1, State: "no leader"}, Quorum: []view.VoterSnapshot{
		{ID: 1, State: "down"}, {ID: 2, State: "down"}, {ID: 3, State: "up", Role: "candidate", Epoch: 7}}}
}

func quorumUp() view.Snapshot {
	return view.Snapshot{Controller: view.ControllerSnapshot{ID: 3, State: "active", Epoch: 1}, Quorum: []view.VoterSnapshot{
		{ID: 1, State: "up"}, {ID: 2, State: "up"}, {ID: 3, State: "up", Role: "leader"}}}
}

var quorumEvents = []view.Event{
	ev("controller_crashed", "", -1, 3, map[string]any{"controller": 1.0}),
	ev("topic_created", "payments", -1, 8, map[string]any{"topic": "payments"}),
	ev("controller_crashed", "", -1, 15, map[string]any{"controller": int32(2)}),
	ev("controller_restarted", "", -1, 35, map[string]any{"controller": 1.0}),
	ev("topic_created", "refunds", -1, 35.2, map[string]any{"topic": "refunds"}),
}

func eventCases() []eventCase {
	r, l := replicated(), ledgers()
	noRecs := ledgers()
	noRecs.Partitions[0].Records = nil
	offline := ledgers()
	offline.Partitions[1].Leader = -1
	offline.Partitions[1].Replicas[0].State = "offline"
	uncommitted := ledgers()
	uncommitted.Partitions[1].HWM = 2
	return []eventCase{
		{"consumer_at_hwm", `{"consumer":"c1","topic":"orders","partition":0,"min_gap":100}`, r, nil, true, "consumer c1 waits at the high watermark 98 of orders-0; the leader's log end offset is 258, 160 records it cannot read yet"},
		{"consumer_at_hwm", `{"consumer":"c1","topic":"orders","partition":0,"min_gap":200}`, r, nil, false, "consumer c1 is at the high watermark 98 of orders-0, but the leader's log end offset is only 160 records past it (the goal needs 200)"},
		{"consumer_at_hwm", `{"consumer":"c2","topic":"orders","partition":0}`, r, nil, false, "consumer c2 is at offset 50 of orders-0; the high watermark is 98"},
		{"consumer_at_hwm", `{"consumer":"c9","topic":"orders","partition":0}`, r, nil, false, "consumer c9 is not started yet"},
		{"consumer_at_hwm", `{"consumer":"c1","topic":"ledger","partition":0}`, r, nil, false, "consumer c1 has not read ledger-0 yet"},

		{"isr_rejoined", `{"topic":"orders"}`, r, isrEvents, true, "broker 3 left the ISR of orders-0 at 45s and rejoined it at 1m7s"},
		{"isr_rejoined", `{"topic":"orders","partition":0}`, r, isrEvents[:1], false, "out of the ISR, not back yet: broker 3 (orders-0)"},
		{"isr_rejoined", `{"topic":"orders"}`, r, electionEvents, false, "no replica of orders has left the ISR yet"},

		{"election_seen", `{"topic":"ledger","unclean":true}`, r, electionEvents, true, "an unclean election made broker 3 the leader of ledger-0 in leader epoch 1 at 40s"},
		{"election_seen", `{"topic":"ledger","partition":0}`, r, electionEvents, true, "an unclean election made broker 3 the leader of ledger-0 in leader epoch 1 at 40s"},
		{"election_seen", `{"topic":"ledger","unclean":false}`, r, electionEvents, false, "no clean election of ledger yet; 1 election of the other kind happened"},
		{"election_seen", `{"topic":"orders"}`, r, append(isrEvents, electionEvents...), false, "no election of orders yet: every partition keeps its first leader"},

		{"partition_offline", `{"topic":"ledger"}`, r, nil, true, "ledger-0 has no leader; its ISR is [4]"},
		{"partition_offline", `{"topic":"ledger","replica_up":true}`, r, nil, true, "ledger-0 has no leader although broker 3 is up: it is not in the ISR [4]"},
		{"partition_offline", `{"topic":"ledger","partition":1,"replica_up":true}`, r, nil, false, "1 partition of ledger without a leader, but no broker holding a replica is up"},
		{"partition_offline", `{"topic":"orders","partition":0}`, r, nil, false, "orders-0 is led by broker 1"},
		{"partition_offline", `{"topic":"clicks"}`, r, nil, false, "topic clicks does not exist yet"},

		{"producer_compare", `{"producer":"p-all","than":"p-one","metric":"produce-latency-p99-ms","op":">"}`, producers(), nil, true, "produce-latency-p99-ms: p-all 13.19, p-one 7.88 (1.67× p-one); the goal is p-all > p-one"},
		{"producer_compare", `{"producer":"p-all","than":"p-one","metric":"acked","op":">=","factor":0.95,"min_acked":1000}`, producers(), nil, true, "acked: p-all 4990, p-one 5000 (1× p-one); the goal is p-all >= 0.95× p-one"},
		{"producer_compare", `{"producer":"p-one","than":"p-all","metric":"produce-latency-p99-ms","op":">","factor":2}`, producers(), nil, false, "produce-latency-p99-ms: p-one 7.88, p-all 13.19 (0.6× p-all); the goal is p-one > 2× p-all"},
		{"producer_compare", `{"producer":"p-all","than":"p-new","metric":"acked","op":">="}`, producers(), nil, false, "producer p-new has 0 of 1 records acknowledged; compare once both have enough"},
		{"producer_compare", `{"producer":"p-all","than":"p-one","metric":"produce-latency-p99-ms","op":">","min_acked":4995}`, producers(), nil, false, "producer p-all has 4990 of 4995 records acknowledged; compare once both have enough"},
		{"producer_compare", `{"producer":"p-all","than":"p-one","metric":"produce-latency-p50-ms","op":">"}`, producers(), nil, false, "neither p-all nor p-one has measured produce-latency-p50-ms yet"},
		{"producer_compare", `{"producer":"p-all","than":"p-one","metric":"batch-size-avg","op":">"}`, producers(), nil, false, "producer p-all has not measured batch-size-avg yet"},
		{"producer_compare", `{"producer":"p-one","than":"p-all","metric":"batch-size-avg","op":">"}`, producers(), nil, false, "producer p-all has not measured batch-size-avg yet"},
		{"producer_compare", `{"producer":"p-all","than":"p-one","metric":"retries","op":">"}`, producers(), nil, false, "retries of p-one is 0; there is nothing to compare with yet"},
		{"producer_compare", `{"producer":"p-all","than":"p-x","metric":"acked","op":">"}`, producers(), nil, false, "producer p-x is not started yet"},

		{"acked_records_lost", `{"producer":"p-fast","topic":"ledger"}`, l, ackEvents, true, "3 of the 9 records p-fast had acknowledged are lost: offsets 2–4 of ledger-0 (the leader's log now holds other records there)"},
		{"acked_records_lost", `{"producer":"p-fast","topic":"ledger","min":4}`, l, ackEvents, false, "3 of the 9 records p-fast had acknowledged are lost"},
		{"acked_records_lost", `{"producer":"p-safe","topic":"ledger-safe"}`, l, ackEvents, false, "0 of the 3 records p-safe had acknowledged are lost"},
		{"acked_records_lost", `{"producer":"p-safe","topic":"ledger-safe"}`, offline, ackEvents, false, "0 of the 3 records p-safe had acknowledged are lost; ledger-safe-0 has no leader, so its log cannot be checked now"},
		{"acked_records_lost", `{"producer":"p-zero","topic":"ledger"}`, l, ackEvents, false, "producer p-zero has no records acknowledged on ledger yet"},
		{"acked_records_lost", `{"producer":"p-fast","topic":"ledger"}`, noRecs, ackEvents, false, `the snapshot lists no records of ledger-0 (take it with "records": true)`},
		{"acked_records_kept", `{"producer":"p-safe","topic":"ledger-safe","min":3,"min_leader_epoch":1}`, l, ackEvents, true, "all 3 records p-safe had acknowledged on ledger-safe are in the log"},
		{"acked_records_kept", `{"producer":"p-safe","topic":"ledger-safe","min_leader_epoch":2}`, l, ackEvents, false, "all 3 acknowledged records are there, but ledger-safe is still in leader epoch 1: no leader change yet"},
		{"acked_records_kept", `{"producer":"p-safe","topic":"ledger-safe","min":5}`, l, ackEvents, false, "producer p-safe has 3 of 5 records acknowledged on ledger-safe"},
		{"acked_records_kept", `{"producer":"p-safe","topic":"ledger-safe"}`, offline, ackEvents, false, "ledger-safe-0 has no leader, so its log cannot be checked now"},
		{"acked_records_kept", `{"producer":"p-safe","topic":"ledger-safe"}`, uncommitted, ackEvents, false, "1 of the 3 acknowledged records are in the leader's log but above its high watermark"},
		{"acked_records_kept", `{"producer":"p-fast","topic":"ledger"}`, l, ackEvents, false, "3 of the 9 records p-fast had acknowledged are lost: offsets 2–4 of ledger-0 (the leader's log now holds other records there)"},

		{"quorum_state", `{"down":2,"active":false}`, quorumDown(), nil, true, "voters 1 and 2 of 3 are down; no controller is active"},
		{"quorum_state", `{"active":true}`, quorumDown(), nil, false, "voters 1 and 2 of 3 are down; no controller is active"},
		{"quorum_state", `{"down":1}`, quorumUp(), nil, false, "all 3 voters are up; controller 3 is active in epoch 1"},
		{"quorum_state", `{"down":0,"active":true}`, quorumUp(), nil, true, "all 3 voters are up; controller 3 is active in epoch 1"},
		{"quorum_state", `{"down":0}`, view.Snapshot{}, nil, false, "the snapshot shows no controller quorum"},

		{"topic_created_while_voters_down", `{"topic":"payments"}`, quorumUp(), quorumEvents, true, "topic payments was created at 8s with 1 of 3 voters down"},
		{"topic_created_while_voters_down", `{"topic":"refunds","min_down":2}`, quorumUp(), quorumEvents, false, "topic refunds was created at 35.2s with 1 of 3 voters down; the goal needs 2 down"},
		{"topic_created_while_voters_down", `{"topic":"orders"}`, quorumUp(), quorumEvents, false, "topic orders has not been created yet"},

		{"event_seen", `{"kind":"leader_elected","after":{"kind":"topic_created"}}`, r, events, true, "2 matching events leader_elected seen since the topic_created event at 0s"},
		{"event_seen", `{"kind":"leader_elected","after":{"kind":"leader_elected","data":{"unclean":false}}}`, r, events, true, "1 matching event leader_elected seen since the leader_elected event at 0s"},
		{"event_seen", `{"kind":"leader_elected","min":2,"after":{"kind":"leader_elected"}}`, r, events, false, "1 of 2 leader_elected events seen since the leader_elected event at 0s"},
		{"event_seen", `{"kind":"leader_elected","after":{"kind":"broker_fenced"}}`, r, events, false, "waiting for a broker_fenced event first"},
	}
}

func TestEventPredicates(t *testing.T) {
	for _, c := range eventCases() {
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

// TestAckedRecordsSurviveJSON feeds the acked-records predicates events as
// the engine's API delivers them: every number a float64.
func TestAckedRecordsSurviveJSON(t *testing.T) {
	b, err := json.Marshal(ackEvents)
	if err != nil {
		t.Fatal(err)
	}
	var decoded []view.Event
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	p := LookupPredicate("acked_records_lost")
	params, _ := p.ParseParams(json.RawMessage(`{"producer":"p-fast","topic":"ledger"}`))
	if ok, detail := p.Eval(ledgers(), decoded, params); !ok || !strings.Contains(detail, "offsets 2–4 of ledger-0") {
		t.Errorf("acked_records_lost on decoded events = %v, %q", ok, detail)
	}
}

func TestRanges(t *testing.T) {
	for _, c := range []struct {
		offs []int64
		want string
	}{{[]int64{3}, "3"}, {[]int64{3, 4, 5}, "3–5"}, {[]int64{1, 3, 4, 9}, "1, 3–4, 9"}, {nil, ""}} {
		if got := ranges(c.offs); got != c.want {
			t.Errorf("ranges(%v) = %q, want %q", c.offs, got, c.want)
		}
	}
}

func TestEventParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"consumer_at_hwm", `{"topic":"t","partition":0}`, `missing "consumer"`},
		{"consumer_at_hwm", `{"consumer":"c","topic":"t"}`, `"partition" must be given and not negative`},
		{"consumer_at_hwm", `{"consumer":"c","topic":"t","partition":0,"min_gap":-1}`, `"min_gap" must be at least 1, got -1`},
		{"isr_rejoined", `{}`, `missing "topic"`},
		{"election_seen", `{"topic":"t","unclean":"yes"}`, `"unclean" must be true or false, not JSON string`},
		{"partition_offline", `{"topic":"t","partition":-2}`, `"partition" must not be negative, got -2`},
		{"producer_compare", `{"producer":"a","metric":"acked","op":">"}`, `"producer" and "than" must name two producers`},
		{"producer_compare", `{"producer":"a","than":"a","metric":"acked","op":">"}`, `"than" must name another producer than "a"`},
		{"producer_compare", `{"producer":"a","than":"b","op":">"}`, `missing "metric"`},
		{"producer_compare", `{"producer":"a","than":"b","metric":"acked","op":"=="}`, `"op" must be one of <, <=, >=, >; got "=="`},
		{"producer_compare", `{"producer":"a","than":"b","metric":"acked","op":">","factor":-1}`, `"factor" must be positive, got -1`},
		{"producer_compare", `{"producer":"a","than":"b","metric":"acked","op":">","min_acked":-1}`, `"min_acked" must be at least 1, got -1`},
		{"acked_records_lost", `{"topic":"t"}`, `missing "producer"`},
		{"acked_records_kept", `{"producer":"p","topic":"t","min_leader_epoch":-1}`, `"min_leader_epoch" must not be negative, got -1`},
		{"quorum_state", `{}`, `give "down", "active" or both`},
		{"quorum_state", `{"down":-1}`, `"down" must not be negative, got -1`},
		{"topic_created_while_voters_down", `{"topic":"t","min_down":-1}`, `"min_down" must be at least 1, got -1`},
		{"event_seen", `{"kind":"x","after":{}}`, `after: missing "kind"`},
		{"event_seen", `{"kind":"x","after":{"kind":"y","colour":1}}`, `unknown field "colour"`},
	} {
		_, err := LookupPredicate(c.check).ParseParams(json.RawMessage(c.params))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %s: err = %v, want it to contain %q", c.check, c.params, err, c.err)
		}
	}
}

func TestEventTimesRound(t *testing.T) {
	e := view.Event{TimeUS: int64(45007513)}
	if got := at(e); got != (45008 * time.Millisecond).String() {
		t.Errorf("at = %q", got)
	}
}
