package lessons

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func str(s string) *string { return &s }

func rec(off int64, key *string, headers map[string]string) view.RecordView {
	return view.RecordView{Offset: off, Key: key, Value: str("v"), Headers: headers}
}

// orders is a 3-partition topic: user-1 twice in partition 0, user-2 once
// in partition 2, a keyless record in partition 1 and one with a header.
func orders() view.Snapshot {
	return view.Snapshot{
		Topics: []view.TopicSnapshot{{Name: "orders", Partitions: 3, ReplicationFactor: 1}},
		Partitions: []view.PartitionState{
			{Topic: "orders", Partition: 0, Leader: 1, ISR: []int32{1}, HWM: 2, Records: []view.RecordView{rec(0, str("user-1"), nil), rec(1, str("user-1"), nil)},
				Replicas: []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 2}}},
			{Topic: "orders", Partition: 1, Leader: 2, LeaderEpoch: 1, ISR: []int32{2, 3}, HWM: 2, Records: []view.RecordView{rec(0, nil, nil), rec(1, nil, map[string]string{"trace-id": "abc"})},
				Replicas: []view.ReplicaSnapshot{{Broker: 2, State: "leader", LEO: 4}, {Broker: 3, State: "follower", LEO: 2}}},
			{Topic: "orders", Partition: 2, Leader: 3, ISR: []int32{3}, HWM: 3, LogStartOffset: 2, Records: []view.RecordView{rec(2, str("user-2"), nil)},
				Replicas: []view.ReplicaSnapshot{{Broker: 3, State: "leader", LEO: 3}}},
		},
		Brokers:   []view.BrokerSnapshot{{ID: 1, State: "up"}, {ID: 2, State: "down"}},
		Producers: []view.ProducerSnapshot{{Name: "p1", Acked: 5, Failed: map[string]int64{"NOT_ENOUGH_REPLICAS": 2, "TIMEOUT_EXCEPTION": 1}}},
		Consumers: []view.ConsumerSnapshot{{Name: "c1", Consumed: 3}},
	}
}

// spread has user-1 in two partitions (as after adding partitions).
func spread() view.Snapshot {
	return view.Snapshot{Partitions: []view.PartitionState{
		{Topic: "t", Partition: 0, Records: []view.RecordView{rec(0, str("user-1"), nil)}},
		{Topic: "t", Partition: 2, Records: []view.RecordView{rec(0, str("user-1"), nil), rec(1, str("user-1"), nil)}},
	}}
}

func p32(n int32) *int32 { return &n }

var events = []view.Event{
	{Seq: 1, Kind: "topic_created", Topic: "orders", Data: map[string]any{"partitions": 3, "topic": "orders"}},
	{Seq: 2, Kind: "leader_elected", Topic: "orders", Partition: p32(1), Node: "controller-1", Data: map[string]any{"leader": int32(2), "unclean": false, "isr": []int32{2, 3}}},
	{Seq: 3, Kind: "leader_elected", Topic: "orders", Partition: p32(0), Data: map[string]any{"leader": float64(1), "unclean": true}},
}

type predicateCase struct {
	check, params string
	snap          view.Snapshot
	ok            bool
	detail        string
}

func predicateCases() []predicateCase {
	o, empty := orders(), view.Snapshot{}
	noRecs := orders()
	for i := range noRecs.Partitions {
		noRecs.Partitions[i].Records = nil
	}
	return []predicateCase{
		{"record_with_header", `{"topic":"orders"}`, o, true, "the record at offset 1 of orders-1 has header trace-id=abc"},
		{"record_with_header", `{"topic":"orders","header":"trace-id","value":"abc"}`, o, true, "the record at offset 1 of orders-1 has header trace-id=abc"},
		{"record_with_header", `{"topic":"orders","header":"trace-id","value":"x"}`, o, false, "none of the 5 records in orders has header trace-id=x"},
		{"record_with_header", `{"topic":"orders","header":"span"}`, o, false, "none of the 5 records in orders has header span"},
		{"record_with_header", `{"topic":"orders"}`, noRecs, false, `orders has no records yet (the snapshot lists no records: take it with "records": true)`},
		{"record_with_header", `{"topic":"orders"}`, empty, false, "topic orders does not exist yet"},

		{"same_key_same_partition", `{"topic":"orders"}`, o, true, "key user-1 appears twice, all in partition 0"},
		{"same_key_same_partition", `{"topic":"orders","min":3}`, o, false, "no key appears 3 times yet; the most frequent, user-1, appears twice"},
		{"same_key_same_partition", `{"topic":"orders","key":"user-2"}`, o, false, "1 of 2 records with key user-2 found; they are in partition 2"},
		{"same_key_same_partition", `{"topic":"orders","key":"user-9"}`, o, false, "0 of 2 records with key user-9 found in orders"},
		{"same_key_same_partition", `{"topic":"t","min":3}`, spread(), false, "key user-1 appears 3 times but in partitions 0 and 2"},
		{"same_key_same_partition", `{"topic":"t","key":"user-1","min":4}`, spread(), false, "3 of 4 records with key user-1 found; they are in partitions 0 and 2"},
		{"same_key_same_partition", `{"topic":"orders"}`, noRecs, false, `orders has no records with a key yet (the snapshot lists no records: take it with "records": true)`},

		{"records_spread", `{"topic":"orders","min_partitions":3}`, o, true, "5 records are on partitions 0, 1 and 2"},
		{"records_spread", `{"topic":"orders","keys":"keyless","min_partitions":2}`, o, false, "2 keyless records are all on partition 1; they need 2 partitions"},
		{"records_spread", `{"topic":"orders","keys":"keyed","min_partitions":2}`, o, true, "3 keyed records are on partitions 0 and 2"},
		{"records_spread", `{"topic":"orders","keys":"keyless","min_partitions":1}`, noRecs, false, `orders has no keyless records yet (the snapshot lists no records: take it with "records": true)`},

		{"same_offset_in_partitions", `{"topic":"orders","min_partitions":2}`, o, true, "offset 0 exists in partitions 0 and 1"},
		{"same_offset_in_partitions", `{"topic":"orders","min_partitions":3}`, o, false, "offset 0 exists only in partitions 0 and 1; it needs 3 partitions"},
		{"same_offset_in_partitions", `{"topic":"orders","offset":5,"min_partitions":2}`, o, false, "no partition of orders holds a record at offset 5 yet"},

		{"topic_exists", `{"topic":"orders"}`, o, true, "topic orders exists with 3 partitions"},
		{"topic_exists", `{"topic":"orders","partitions":6}`, o, false, "topic orders has 3 partitions, not 6"},
		{"topic_exists", `{"topic":"clicks"}`, o, false, "topic clicks does not exist yet"},

		{"consumer_read", `{"consumer":"c1","min":3}`, o, true, "consumer c1 has read 3 of 3 records"},
		{"consumer_read", `{"consumer":"c1","min":4}`, o, false, "consumer c1 has read 3 of 4 records"},
		{"consumer_read", `{"consumer":"c2","min":1}`, o, false, "consumer c2 is not started yet"},

		{"producer_acked", `{"producer":"p1","min":5}`, o, true, "producer p1 has 5 of 5 records acknowledged"},
		{"producer_acked", `{"producer":"p1","min":6}`, o, false, "producer p1 has 5 of 6 records acknowledged"},
		{"producer_acked", `{"producer":"p2","min":1}`, o, false, "producer p2 is not started yet"},

		{"producer_failed_with", `{"producer":"p1","error":"NOT_ENOUGH_REPLICAS"}`, o, true, "producer p1 has 2 records failed with NOT_ENOUGH_REPLICAS"},
		{"producer_failed_with", `{"producer":"p1","error":"NOT_ENOUGH_REPLICAS","min":3}`, o, false, "producer p1 has 2 of 3 records failed with NOT_ENOUGH_REPLICAS; 1 failed with TIMEOUT_EXCEPTION"},
		{"producer_failed_with", `{"producer":"p1","error":"OUT_OF_ORDER_SEQUENCE_NUMBER"}`, o, false, "producer p1 has 0 of 1 records failed with OUT_OF_ORDER_SEQUENCE_NUMBER; 2 failed with NOT_ENOUGH_REPLICAS; 1 failed with TIMEOUT_EXCEPTION"},

		{"partition_leader_changed", `{"topic":"orders"}`, o, true, "orders-1 is led by broker 2 in leader epoch 1"},
		{"partition_leader_changed", `{"topic":"orders","partition":0}`, o, false, "orders-0 still has its first leader (broker 1)"},
		{"partition_leader_changed", `{"topic":"orders","partition":7}`, o, false, "topic orders has no partition 7"},

		{"isr_size", `{"topic":"orders","partition":1,"op":"<","n":3}`, o, true, "the ISR of orders-1 is [2 3]: 2 replicas; the goal is < 3"},
		{"isr_size", `{"topic":"orders","partition":0,"op":">=","n":2}`, o, false, "the ISR of orders-0 is [1]: 1 replica; the goal is >= 2"},
		{"isr_size", `{"topic":"orders","partition":0,"op":"==","n":1}`, o, true, "the ISR of orders-0 is [1]: 1 replica; the goal is == 1"},

		{"hwm_below_leo", `{"topic":"orders"}`, o, true, "orders-1: high watermark 2, leader log end offset 4"},
		{"hwm_below_leo", `{"topic":"orders","partition":0}`, o, false, "every selected partition of orders has its high watermark at the leader's log end offset"},

		{"broker_state", `{"broker":2,"state":"down"}`, o, true, "broker 2 is down"},
		{"broker_state", `{"broker":1,"state":"down"}`, o, false, "broker 1 is up"},
		{"broker_state", `{"broker":5,"state":"up"}`, o, false, "the cluster has no broker 5"},

		{"event_seen", `{"kind":"leader_elected"}`, empty, true, "2 matching events leader_elected seen"},
		{"event_seen", `{"kind":"leader_elected","data":{"unclean":true,"leader":1}}`, empty, true, "1 matching event leader_elected seen"},
		{"event_seen", `{"kind":"leader_elected","partition":1,"node":"controller-1","data":{"isr":[2,3]}}`, empty, true, "1 matching event leader_elected seen"},
		{"event_seen", `{"kind":"leader_elected","topic":"orders","min":3}`, empty, false, "2 of 3 leader_elected events seen"},
		{"event_seen", `{"kind":"leader_elected","data":{"leader":3}}`, empty, false, "0 of 1 leader_elected events seen; 2 other leader_elected events do not match"},
		{"event_seen", `{"kind":"broker_fenced"}`, empty, false, "0 of 1 broker_fenced events seen"},
	}
}

func TestPredicates(t *testing.T) {
	for _, c := range predicateCases() {
		p := LookupPredicate(c.check)
		if p == nil {
			t.Fatalf("no predicate %q", c.check)
		}
		params, err := p.ParseParams(json.RawMessage(c.params))
		if err != nil {
			t.Errorf("%s %s: params: %v", c.check, c.params, err)
			continue
		}
		ok, detail := p.Eval(c.snap, events, params)
		if ok != c.ok || detail != c.detail {
			t.Errorf("%s %s = %v, %q; want %v, %q", c.check, c.params, ok, detail, c.ok, c.detail)
		}
	}
}

func TestPredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"record_with_header", `{}`, `missing "topic"`},
		{"record_with_header", `{"topic":"t","value":"x"}`, `"value" needs "header"`},
		{"record_with_header", `{"topic":"t","colour":"red"}`, `unknown field "colour"`},
		{"record_with_header", `{"topic":3}`, `"topic" must be a string, not JSON number`},
		{"same_key_same_partition", `{"topic":"t","min":1}`, `"min" must be at least 2, got 1`},
		{"same_key_same_partition", `{"topic":"t","min":"2"}`, `"min" must be a whole number, not JSON string`},
		{"records_spread", `{"topic":"t"}`, `"min_partitions" must be at least 1, got 0`},
		{"records_spread", `{"topic":"t","min_partitions":2,"keys":"some"}`, `"keys" must be any, keyed or keyless, got "some"`},
		{"same_offset_in_partitions", `{"topic":"t","min_partitions":1}`, `"min_partitions" must be at least 2, got 1`},
		{"same_offset_in_partitions", `{"topic":"t","offset":-1,"min_partitions":2}`, `"offset" must not be negative, got -1`},
		{"topic_exists", `{"topic":"t","partitions":-1}`, `"partitions" must not be negative, got -1`},
		{"consumer_read", `{"min":1}`, `missing "consumer"`},
		{"consumer_read", `{"consumer":"c1"}`, `"min" must be at least 1, got 0`},
		{"producer_acked", `{"consumer":"c1","min":1}`, `unknown field "consumer"`},
		{"producer_failed_with", `{"producer":"p1","error":"timeout"}`, `"error" must be a Kafka error name such as NOT_ENOUGH_REPLICAS, got "timeout"`},
		{"producer_failed_with", `{"error":"TIMEOUT_EXCEPTION"}`, `missing "producer"`},
		{"partition_leader_changed", `{"topic":"t","partition":-1}`, `"partition" must not be negative, got -1`},
		{"isr_size", `{"topic":"t","op":"<","n":2}`, `"partition" must be given and not negative`},
		{"isr_size", `{"topic":"t","partition":0,"op":"=","n":2}`, `"op" must be one of <, <=, ==, !=, >=, >; got "="`},
		{"isr_size", `{"topic":"t","partition":0,"op":"<"}`, `"n" must be given and not negative`},
		{"broker_state", `{"broker":0,"state":"up"}`, `"broker" must be at least 1, got 0`},
		{"broker_state", `{"broker":1,"state":"crashed"}`, `"state" must be up or down, got "crashed"`},
		{"event_seen", `{}`, `missing "kind"`},
		{"event_seen", `{"kind":"x","min":-2}`, `"min" must be at least 1, got -2`},
		{"event_seen", `{"kind":"x"} {}`, `unexpected data after the params object`},
	} {
		_, err := LookupPredicate(c.check).ParseParams(json.RawMessage(c.params))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %s: err = %v, want it to contain %q", c.check, c.params, err, c.err)
		}
	}
}

// moreCases are the case tables of per-topic test files (producer_test.go,
// storage_test.go, ...), which add them from init and run them themselves.
var moreCases []func() []eventCase

func TestEveryPredicateIsDocumentedAndTested(t *testing.T) {
	pass, fail := map[string]bool{}, map[string]bool{}
	for _, c := range predicateCases() {
		if c.ok {
			pass[c.check] = true
		} else {
			fail[c.check] = true
		}
	}
	for _, c := range eventCases() {
		if c.ok {
			pass[c.check] = true
		} else {
			fail[c.check] = true
		}
	}
	for _, set := range moreCases {
		for _, c := range set() {
			if c.ok {
				pass[c.check] = true
			} else {
				fail[c.check] = true
			}
		}
	}
	for _, p := range Predicates() {
		if p.Doc == "" {
			t.Errorf("predicate %s has no doc", p.Name)
		}
		if !pass[p.Name] || !fail[p.Name] {
			t.Errorf("predicate %s needs table cases that pass (%v) and fail (%v)", p.Name, pass[p.Name], fail[p.Name])
		}
	}
	if p := LookupPredicate("record_with_header"); !p.Records || p.Events {
		t.Errorf("record_with_header: Records %v Events %v, want true false", p.Records, p.Events)
	}
	if p := LookupPredicate("event_seen"); p.Records || !p.Events {
		t.Errorf("event_seen: Records %v Events %v, want false true", p.Records, p.Events)
	}
}
