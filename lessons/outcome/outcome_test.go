package outcome

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/wasm/host"
)

// run plays a scenario natively to untilUS and returns its outcome, as the
// page computes it: the tally reads the events of Kinds, then a snapshot.
func run(t *testing.T, scenario string, untilUS int64) Outcome {
	return runFrom(t, scenario, 0, untilUS)
}

// runFrom is run with the unowned time counted from fromUS.
func runFrom(t *testing.T, scenario string, fromUS, untilUS int64) Outcome {
	o, _ := runSnap(t, scenario, fromUS, untilUS)
	return o
}

// runSnap is runFrom that also returns the final snapshot, with records.
func runSnap(t *testing.T, scenario string, fromUS, untilUS int64) (Outcome, view.Snapshot) {
	t.Helper()
	eng := host.NewNative(api.Options{})
	call := func(method string, params, out any) {
		t.Helper()
		req, err := json.Marshal(contract.Request{Method: method, Params: params})
		if err != nil {
			t.Fatal(err)
		}
		reply, _ := eng.Call(req)
		if err := contract.Decode(reply, out); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	call("open", json.RawMessage(scenario), nil)
	tally := NewTally(fromUS)
	// The page reads the events each frame: the engine keeps only the
	// newest 20,000, so read them every simulated second.
	for at := int64(1_000_000); ; at += 1_000_000 {
		call("advance", contract.AdvanceParams{To: fmt.Sprintf("%dus", min(at, untilUS))}, nil)
		for {
			var evs contract.EventsReply[contract.RawEvent]
			call("events", contract.EventsParams{After: tally.LastSeq, Kinds: Kinds}, &evs)
			if evs.Dropped > tally.LastSeq {
				tally.Dropped()
			}
			for _, e := range evs.Events {
				tally.Observe(e)
			}
			tally.LastSeq = max(tally.LastSeq, evs.Last)
			if evs.Last >= evs.Total || len(evs.Events) == 0 && !evs.Truncated {
				break
			}
		}
		if at >= untilUS {
			break
		}
	}
	var snap view.Snapshot
	call("snapshot", contract.SnapshotParams{Records: true, MaxRecords: 100_000}, &snap)
	return tally.Outcome(snap), snap
}

// leaderFailure is lesson 10's timeline on one topic: its followers
// crash (the leader, broker 2, is alone in the ISR), then the leader, then
// a stale follower comes back. Branch "1" produces with acks=1 and allows
// unclean elections; branch "all" with acks=all, min.insync.replicas=2 and
// clean elections only (Kafka's defaults).
func leaderFailure(acks string) string {
	configs := `{"unclean.leader.election.enable":"true"}`
	if acks == "all" {
		configs = `{"min.insync.replicas":"2"}`
	}
	return `{"seed":1,"cluster":{"brokers":3},"steps":[
{"at":"0s","op":"create_topic","topic":"ledger","partitions":1,"replication_factor":3,"configs":` + configs + `},
{"at":"0s","op":"producer_start","producer":"p","configs":{"acks":"` + acks + `"}},
{"at":"1s","op":"produce","producer":"p","topic":"ledger","count":1200,"rate":"20/s","value":"entry-{i}"},
{"at":"5s","op":"broker_crash","broker":3},
{"at":"6s","op":"broker_crash","broker":1},
{"at":"45s","op":"broker_crash","broker":2},
{"at":"60s","op":"broker_restart","broker":3},
{"at":"70s","op":"broker_restart","broker":2},
{"at":"75s","op":"broker_restart","broker":1}]}`
}

// TestAcksOneLosesWhatAcksAllKeeps: under the same crashes, acks=1 loses
// acknowledged records and acks=all loses none; the diff says so.
func TestAcksOneLosesWhatAcksAllKeeps(t *testing.T) {
	one := run(t, leaderFailure("1"), 90_000_000)
	all := run(t, leaderFailure("all"), 90_000_000)
	if one.Partial || all.Partial {
		t.Error("the tally missed events")
	}
	t.Logf("acks=1: %+v", one)
	t.Logf("acks=all: %+v", all)
	if one.Lost == 0 {
		t.Error("acks=1 lost nothing: the checker is blind")
	}
	if all.Lost != 0 {
		t.Errorf("acks=all lost %d records", all.Lost)
	}
	if all.P99MS <= one.P99MS {
		t.Errorf("produce p99 %.0f ms under acks=all, %.0f under acks=1: acks=all waits while the ISR is short", all.P99MS, one.P99MS)
	}
	rows := Differing(Diff(one, all))
	found := false
	for _, r := range rows {
		found = found || r.Figure == Lost && r.A == float64(one.Lost) && r.B == 0
	}
	if !found {
		t.Errorf("the diff %+v does not name the lost records", rows)
	}
}

func ev(seq, us int64, kind, node, topic string, part int32, data string) contract.RawEvent {
	p := part
	return contract.RawEvent{Seq: seq, TimeUS: us, Kind: kind, Node: node, Topic: topic, Partition: &p, Data: json.RawMessage(data)}
}

func snapshot(us, leo int64, epochs ...view.EpochEntry) view.Snapshot {
	return view.Snapshot{TimeUS: us, Partitions: []view.PartitionState{{Topic: "t", Partition: 0, Leader: 1,
		Replicas: []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: leo, Epochs: epochs}}}}}
}

// TestLostByEpoch: an acknowledged batch is lost when the leader's log ends
// before it or a later leader epoch wrote its offsets; not when the
// partition has no leader online (unknown).
func TestLostByEpoch(t *testing.T) {
	tl := NewTally(0)
	tl.Observe(ev(1, 10, "appended", "broker-1", "t", 0, `{"acks":1,"base_offset":0,"leader_epoch":0,"records":5}`))
	tl.Observe(ev(2, 20, "produce_acked", "producer-p", "", 0, `{"attempts":1,"base_offset":0,"partition":0,"records":5,"topic":"t"}`))
	tl.Observe(ev(3, 30, "appended", "broker-1", "t", 0, `{"acks":1,"base_offset":5,"leader_epoch":0,"records":5}`))
	tl.Observe(ev(4, 40, "produce_acked", "producer-p", "", 0, `{"attempts":1,"base_offset":5,"partition":0,"records":5,"topic":"t"}`))
	for _, c := range []struct {
		name string
		snap view.Snapshot
		lost int64
	}{
		{"kept", snapshot(50, 10, view.EpochEntry{Epoch: 0}), 0},
		{"log ends early", snapshot(50, 7, view.EpochEntry{Epoch: 0}), 3},
		{"overwritten by epoch 1", snapshot(50, 12, view.EpochEntry{Epoch: 0}, view.EpochEntry{Epoch: 1, StartOffset: 6}), 4},
		{"no leader", view.Snapshot{TimeUS: 50, Partitions: []view.PartitionState{{Topic: "t", Leader: -1}}}, 0},
	} {
		if got := tl.Outcome(c.snap).Lost; got != c.lost {
			t.Errorf("%s: lost %d, want %d", c.name, got, c.lost)
		}
	}
}

// TestDuplicateRetry: a batch appended, then retried and appended again is
// a duplicate while both are in the log; an append still awaiting its
// acknowledgement is not.
func TestDuplicateRetry(t *testing.T) {
	tl := NewTally(0)
	tl.Observe(ev(1, 10, "appended", "broker-1", "t", 0, `{"acks":1,"base_offset":0,"leader_epoch":0,"records":4}`))
	tl.Observe(ev(2, 90, "appended", "broker-1", "t", 0, `{"acks":1,"base_offset":4,"leader_epoch":0,"records":4}`))
	tl.Observe(ev(3, 95, "produce_acked", "producer-p", "", 0, `{"attempts":2,"base_offset":4,"partition":0,"records":4,"topic":"t"}`))
	tl.Observe(ev(4, 99, "appended", "broker-1", "t", 0, `{"acks":1,"base_offset":8,"leader_epoch":0,"records":4}`))
	if o := tl.Outcome(snapshot(100, 12, view.EpochEntry{Epoch: 0})); o.Duplicated != 4 || o.Lost != 0 {
		t.Errorf("duplicated %d lost %d, want 4 and 0", o.Duplicated, o.Lost)
	}
	if o := tl.Outcome(snapshot(100, 3, view.EpochEntry{Epoch: 0})); o.Duplicated != 0 {
		t.Errorf("the first attempt is truncated away: duplicated %d, want 0", o.Duplicated)
	}
}

// TestUnownedPartitionSeconds: partitions count from the tally's start
// while no member of their group owns them.
func TestUnownedPartitionSeconds(t *testing.T) {
	tl := NewTally(2_000_000)
	tl.Observe(ev(1, 1_000_000, "partitions_assigned", "consumer-a", "", 0, `{"group":"g","partitions":["t-0","t-1"]}`))
	tl.Observe(ev(2, 3_000_000, "partitions_revoked", "consumer-a", "", 0, `{"group":"g","partitions":["t-0","t-1"]}`))
	tl.Observe(ev(3, 5_000_000, "partitions_assigned", "consumer-a", "", 0, `{"group":"g","partitions":["t-0"]}`))
	tl.Observe(ev(4, 6_000_000, "consumer_crashed", "consumer-a", "", 0, `{"group":"g"}`))
	o := tl.Outcome(view.Snapshot{TimeUS: 7_000_000})
	// 2 partitions × 2 s (3–5 s) + 1 × 1 s (5–6 s) + 2 × 1 s (6–7 s).
	if o.UnownedPartitionS != 7 {
		t.Errorf("unowned %.2f partition-seconds, want 7", o.UnownedPartitionS)
	}
}

// TestDiffPrecision: figures differ at the precision the page shows.
func TestDiffPrecision(t *testing.T) {
	rows := Diff(Outcome{Acked: 5, P99MS: 10.2, UnownedPartitionS: 1.01}, Outcome{Acked: 5, P99MS: 10.4, UnownedPartitionS: 1.3})
	want := map[Figure]bool{Unowned: true}
	for _, r := range rows {
		if r.Differs != want[r.Figure] {
			t.Errorf("%s: differs %v", r.Figure, r.Differs)
		}
	}
}

// rebalance is BenchmarkRebalanceProtocols' run (engine/cluster): 12
// partitions, three consumers of group g, a fourth joining at 30 s.
func rebalance(configs string) string {
	consumer := func(name, at string) string {
		return fmt.Sprintf(`{"at": %q, "op": "consumer_start", "consumer": %q, "topics": ["t"], "configs": {"group.id": "g", "auto.offset.reset": "earliest", %s}}`, at, name, configs)
	}
	return `{"seed": 21, "cluster": {"brokers": 3, "configs": {"offsets.topic.num.partitions": "3"}},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 12, "replication_factor": 3},
	  {"at": "0s", "op": "producer_start", "producer": "p"},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 9000, "rate": "100/s", "key": "k{i}", "value": "v{i}"},
	  ` + consumer("c1", "1s") + `, ` + consumer("c2", "2s") + `, ` + consumer("c3", "3s") + `, ` + consumer("c4", "30s") + `]}`
}

// TestUnownedMatchesTheEngine: the partition-seconds unowned that a tally
// reads from the events are the engine's own measure (engine/cluster's
// RebalanceMeter, the reference), for eager and cooperative rebalancing;
// and eager leaves partitions unowned longer.
func TestUnownedMatchesTheEngine(t *testing.T) {
	got := map[string]float64{}
	for _, c := range []struct{ name, configs string }{
		{"eager", `"partition.assignment.strategy": "range"`},
		{"cooperative", `"partition.assignment.strategy": "cooperative-sticky"`},
	} {
		sc := rebalance(c.configs)
		s, err := scenario.Parse([]byte(sc))
		if err != nil {
			t.Fatal(err)
		}
		cl, err := cluster.New(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		m := cl.WatchRebalance("g", map[string]int32{"t": 12}, 30*time.Second, 90*time.Second)
		cl.Sim.RunUntil(90 * time.Second)
		want := m.Result().UnownedPartitionS
		o := runFrom(t, sc, 30_000_000, 90_000_000)
		t.Logf("%s: %.2f partition-seconds unowned (the engine's meter: %.2f)", c.name, o.UnownedPartitionS, want)
		if d := o.UnownedPartitionS - want; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s: tally %.4f, engine %.4f", c.name, o.UnownedPartitionS, want)
		}
		got[c.name] = o.UnownedPartitionS
	}
	if got["eager"] <= got["cooperative"] {
		t.Errorf("eager %.2f partition-seconds unowned, cooperative %.2f: eager revokes everything first", got["eager"], got["cooperative"])
	}
	if d := Differing(Diff(Outcome{UnownedPartitionS: got["eager"]}, Outcome{UnownedPartitionS: got["cooperative"]})); len(d) == 0 || d[len(d)-1].Figure != Unowned {
		t.Errorf("the diff %+v does not name the unowned time", d)
	}
}

// TestDuplicatesMatchTheLog: responses delayed past request.timeout.ms make
// a producer without idempotence retry batches the leader had appended;
// the tally counts as many records written twice as the log holds twice
// (the reference: the records' values, unique per send), and none with
// idempotence (the leader drops the retries).
func TestDuplicatesMatchTheLog(t *testing.T) {
	for _, idem := range []string{"false", "true"} {
		sc := `{"seed":1,"cluster":{"brokers":3},"steps":[
{"at":"0s","op":"create_topic","topic":"t","partitions":1,"replication_factor":3},
{"at":"0s","op":"producer_start","producer":"p","configs":{"enable.idempotence":"` + idem + `","request.timeout.ms":"1000"}},
{"at":"1s","op":"produce","producer":"p","topic":"t","count":50,"rate":"10/s","value":"v{i}"},
{"at":"2s","op":"link_fault","from":"broker-1","to":"producer-p","delay":"1500ms"},
{"at":"2s","op":"link_fault","from":"broker-2","to":"producer-p","delay":"1500ms"},
{"at":"2s","op":"link_fault","from":"broker-3","to":"producer-p","delay":"1500ms"},
{"at":"4s","op":"heal"}]}`
		o, snap := runSnap(t, sc, 0, 20_000_000)
		twice := int64(0)
		seen := map[string]bool{}
		for _, p := range snap.Partitions {
			for _, r := range p.Records {
				if p.Topic == "t" && r.Value != nil {
					if seen[*r.Value] {
						twice++
					}
					seen[*r.Value] = true
				}
			}
		}
		t.Logf("enable.idempotence=%s: %d records written twice (the log holds %d twice)", idem, o.Duplicated, twice)
		if o.Duplicated != twice {
			t.Errorf("enable.idempotence=%s: tally %d duplicated, the log %d", idem, o.Duplicated, twice)
		}
		if (idem == "false") != (twice > 0) {
			t.Errorf("enable.idempotence=%s: %d records twice in the log", idem, twice)
		}
	}
}
