package cluster

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/view"
)

// groupKinds are the events a group trace shows.
var groupKinds = map[string]bool{
	"consumer_started": true, "consumer_crashed": true, "consumer_closed": true, "consumer_poll_timeout": true, "consumer_error": true,
	"coordinator_loaded": true, "coordinator_lost": true, "group_joining": true, "group_joined": true, "rejoin_needed": true,
	"partitions_assigned": true, "partitions_revoked": true, "partitions_lost": true, "member_joined": true, "member_removed": true,
	"group_state_changed": true, "static_member_rejoined": true, "partitions_added": true, "subscription_changed": true,
	"commit_failed": true, "offset_commit_rejected": true, "crash_armed": true, "broker_crashed": true, "broker_restarted": true,
	"producer_fenced": true, "transaction_aborting": true, "transaction_completed": true, "txn_offsets_dropped": true,
}

func runGroupScenario(t testing.TB, data []byte) *Cluster {
	c, _ := runCollecting(t, data, nil)
	return c
}

// runCollecting plays a scenario and keeps every event (from time zero)
// whose kind keep accepts; the trace itself keeps only the recent ones.
func runCollecting(t testing.TB, data []byte, keep func(kind string) bool) (*Cluster, []view.Event) {
	t.Helper()
	s, err := scenario.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.KeepRecords = true
	var evs []view.Event
	if keep != nil {
		c.Trace.SetSink(func(line []byte) {
			var head struct {
				Kind string `json:"kind"`
			}
			if json.Unmarshal(line, &head) != nil || !keep(head.Kind) {
				return
			}
			var e view.Event
			if err := json.Unmarshal(line, &e); err != nil {
				t.Fatal(err)
			}
			evs = append(evs, e)
		})
	}
	c.Sim.RunUntil(s.End)
	return c, evs
}

// groupTrace renders the group events of a run and, per partition, how
// long no consumer owned it (consumption stopped).
func groupTrace(evs []view.Event) string {
	var b strings.Builder
	owner := map[string]string{}
	since := map[string]time.Duration{}
	paused := map[string]time.Duration{}
	pauses := map[string]int{}
	release := func(p string, at time.Duration) {
		if owner[p] != "" {
			owner[p] = ""
			since[p] = at
		}
	}
	for _, e := range evs {
		if !groupKinds[e.Kind] || e.TimeUS < 0 {
			continue
		}
		fmt.Fprintf(&b, "%9.3fs %-12s %-22s %s\n", float64(e.TimeUS)/1e6, e.Node, e.Kind, e.Msg)
		parts := view.Strings(e.Data["partitions"])
		switch e.Kind {
		case "partitions_revoked", "partitions_lost", "consumer_crashed":
			for _, p := range parts {
				release(p, e.At())
			}
		case "partitions_assigned":
			for _, p := range view.Strings(e.Data["added"]) {
				if s, ok := since[p]; ok && owner[p] == "" {
					paused[p] += e.At() - s
					pauses[p]++
				}
				owner[p] = e.Node
			}
		}
	}
	var names []string
	for p := range paused {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		fmt.Fprintf(&b, "paused %s: %d times, %v\n", p, pauses[p], paused[p].Round(time.Millisecond))
	}
	return b.String()
}

// TestGroupTraces plays testdata/groups/*.json and compares the group
// events with the .golden files (regenerate them with
// go test ./engine/cluster -run GroupTraces -args -rewrite).
func TestGroupTraces(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "groups", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in testdata/groups: %v", err)
	}
	for _, f := range files {
		f := f
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, evs := runCollecting(t, data, func(k string) bool { return groupKinds[k] })
			got := groupTrace(evs)
			golden := strings.TrimSuffix(f, ".json") + ".golden"
			if *rewrite {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -rewrite to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run with -rewrite to accept):\n%s", f, golden, firstDiff(string(want), got))
			}
		})
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, a, b)
		}
	}
	return ""
}

func groupOf(s view.Snapshot, id string) *view.GroupSnapshot {
	for i := range s.Groups {
		if s.Groups[i].GroupID == id {
			return &s.Groups[i]
		}
	}
	return nil
}

// TestCoordinatorIsLeaderOfHashedPartition checks Kafka's vector through
// the engine: "my-group" hashes to __consumer_offsets-12 (of 50), and the
// consumer finds that partition's leader as its coordinator.
func TestCoordinatorIsLeaderOfHashedPartition(t *testing.T) {
	c := runGroupScenario(t, []byte(`{"seed": 9, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 2, "replication_factor": 3},
	  {"at": "0s", "op": "consumer_start", "consumer": "c", "topics": ["t"], "configs": {"group.id": "my-group"}},
	  {"at": "6s", "op": "end"}]}`))
	snap := c.Snapshot(SnapshotOptions{})
	g := groupOf(snap, "my-group")
	if g == nil {
		t.Fatal("no group my-group in the snapshot")
	}
	if g.CoordinatorPartition != 12 {
		t.Fatalf("my-group maps to partition %d, want 12", g.CoordinatorPartition)
	}
	var leader int32 = -1
	for _, p := range snap.Partitions {
		if p.Topic == coordinator.OffsetsTopic && p.Partition == 12 {
			leader = p.Leader
		}
		if p.Topic == coordinator.OffsetsTopic && len(p.Replicas) != 3 {
			t.Errorf("__consumer_offsets-%d has %d replicas, want offsets.topic.replication.factor=3", p.Partition, len(p.Replicas))
		}
	}
	if leader < 1 || g.Coordinator != leader {
		t.Fatalf("coordinator %d, leader of __consumer_offsets-12 is %d", g.Coordinator, leader)
	}
	found := false
	evs, _ := c.Trace.Since(0, 0)
	for _, e := range evs {
		if e.Kind == "coordinator_found" {
			found = true
			if got, _ := e.Data["coordinator"].(int32); got != leader {
				t.Errorf("the consumer found coordinator %v, want broker %d", e.Data["coordinator"], leader)
			}
		}
		if e.Kind == "coordinator_loaded" && (e.Node != string(names.Broker(leader)) || e.Data["partition"] != int32(12)) {
			t.Errorf("coordinator loaded on %s partition %v, want broker-%d partition 12", e.Node, e.Data["partition"], leader)
		}
	}
	if !found || g.State != "Stable" || len(g.Members) != 1 {
		t.Fatalf("found=%v state=%s members=%d", found, g.State, len(g.Members))
	}
}

// TestGroupRunsAreDeterministic plays a group scenario with a crash and a
// coordinator failover twice: the traces must be identical.
func TestGroupRunsAreDeterministic(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "groups", "failover.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := runGroupScenario(t, data), runGroupScenario(t, data)
	if a.Trace.Hash() != b.Trace.Hash() || a.Trace.Count() != b.Trace.Count() {
		t.Fatalf("same seed, different traces: %s (%d events) vs %s (%d events)", a.Trace.Hash(), a.Trace.Count(), b.Trace.Hash(), b.Trace.Count())
	}
}

var rebalanceKinds = map[string]bool{"group_state_changed": true, "partitions_revoked": true, "partitions_lost": true, "partitions_assigned": true}

// rebalanceCost measures a rebalance in a finished run from its trace:
// from the first PreparingRebalance at or after from until the last time
// the group became Stable, and how long partitions had no owner meanwhile
// (summed, and the longest).
func rebalanceCost(evs []view.Event, from time.Duration) (took, paused, longest time.Duration) {
	var start, end time.Duration = -1, -1
	released := map[string]time.Duration{}
	for _, e := range evs {
		if e.At() < from {
			continue
		}
		switch e.Kind {
		case "group_state_changed":
			if e.Data["to"] == "PreparingRebalance" && start < 0 {
				start = e.At()
			}
			if e.Data["to"] == "Stable" {
				end = e.At()
			}
		case "partitions_revoked", "partitions_lost":
			for _, p := range view.Strings(e.Data["partitions"]) {
				released[p] = e.At()
			}
		case "partitions_assigned":
			for _, p := range view.Strings(e.Data["added"]) {
				at, ok := released[p]
				if !ok {
					continue
				}
				delete(released, p)
				d := e.At() - at
				paused += d
				longest = max(longest, d)
			}
		}
	}
	return end - start, paused, longest
}

// rebalanceBench is 10 consumers × 60 partitions: nine consumers (started
// 300 ms apart, so their heartbeats are not in step) share a topic that
// takes 60 records/s; at 30 s a tenth joins.
func rebalanceBench(strategy string) []byte {
	cfg := fmt.Sprintf(`{"group.id": "g", "auto.offset.reset": "earliest", "partition.assignment.strategy": %q, "max.poll.records": "50"}`, strategy)
	steps := []string{
		`{"at": "0s", "op": "create_topic", "topic": "t", "partitions": 60, "replication_factor": 1}`,
		`{"at": "0s", "op": "producer_start", "producer": "p"}`,
		`{"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 2400, "rate": "60/s", "key": "k{i%997}", "value": "v{i}"}`,
	}
	for i := 0; i < 10; i++ {
		t := time.Second + time.Duration(i)*300*time.Millisecond
		if i == 9 {
			t = 30 * time.Second
		}
		steps = append(steps, fmt.Sprintf(`{"at": %q, "op": "consumer_start", "consumer": "c%d", "topics": ["t"], "delay": "1ms", "configs": %s}`, t.String(), i, cfg))
	}
	steps = append(steps, `{"at": "40s", "op": "end"}`)
	return []byte(`{"seed": 16, "cluster": {"brokers": 3, "configs": {"offsets.topic.num.partitions": "5"}}, "steps": [` + strings.Join(steps, ",\n") + `]}`)
}

// BenchmarkRebalance reports, for a tenth consumer joining nine on 60
// partitions, the simulated rebalance time (first PreparingRebalance to
// the last Stable), the partition-seconds without an owner and the longest
// pause, eager ([range, cooperative-sticky]) against cooperative, and the
// wall time to simulate the 40 s run natively (ns/op).
func BenchmarkRebalance(b *testing.B) {
	for _, s := range []struct{ name, strategy string }{{"eager", "range,cooperative-sticky"}, {"cooperative", "cooperative-sticky"}} {
		b.Run(s.name, func(b *testing.B) {
			data := rebalanceBench(s.strategy)
			var evs []view.Event
			for b.Loop() {
				_, evs = runCollecting(b, data, func(k string) bool { return rebalanceKinds[k] })
			}
			took, paused, longest := rebalanceCost(evs, 30*time.Second)
			b.ReportMetric(float64(took.Milliseconds()), "rebalance-ms")
			b.ReportMetric(paused.Seconds(), "paused-partition-s")
			b.ReportMetric(float64(longest.Milliseconds()), "longest-pause-ms")
		})
	}
}

// TestCooperativeRebalanceStopsLess checks the benchmark's claim: when a
// member joins, eager rebalancing stops every partition while cooperative
// rebalancing pauses only the few that move.
func TestCooperativeRebalanceStopsLess(t *testing.T) {
	if testing.Short() {
		t.Skip("two 40 s runs of ten consumers")
	}
	keep := func(k string) bool { return rebalanceKinds[k] }
	_, e := runCollecting(t, rebalanceBench("range,cooperative-sticky"), keep)
	_, c := runCollecting(t, rebalanceBench("cooperative-sticky"), keep)
	_, eager, _ := rebalanceCost(e, 30*time.Second)
	_, coop, _ := rebalanceCost(c, 30*time.Second)
	t.Logf("partition-seconds without an owner: eager %v, cooperative %v", eager, coop)
	if coop <= 0 || eager < 3*coop {
		t.Fatalf("eager paused %v, cooperative %v: cooperative should pause far less", eager, coop)
	}
}
