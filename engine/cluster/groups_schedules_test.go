package cluster

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/view"
)

// step is one scenario step for the generated schedules.
type step map[string]any

func at(d time.Duration, op string, kv ...any) step {
	s := step{"at": d.String(), "op": op}
	for i := 0; i+1 < len(kv); i += 2 {
		s[kv[i].(string)] = kv[i+1]
	}
	return s
}

func scenarioJSON(seed uint64, brokers int, configs map[string]string, steps []step) []byte {
	sort.SliceStable(steps, func(i, j int) bool {
		a, _ := time.ParseDuration(steps[i]["at"].(string))
		b, _ := time.ParseDuration(steps[j]["at"].(string))
		return a < b
	})
	data, err := json.Marshal(map[string]any{"seed": seed, "cluster": map[string]any{"brokers": brokers, "configs": configs}, "steps": steps})
	if err != nil {
		panic(err)
	}
	return data
}

func dur(r *sim.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(r.Int63n(int64(hi-lo)))
}

// atLeastOnceSchedule is a seeded schedule: three consumers with a random
// commit strategy and processing time read a 3-partition topic while some
// crash (at a random point of their loop) and restart, and the group's
// coordinator broker crashes and restarts.
func atLeastOnceSchedule(seed uint64) (data []byte, coordCrash, coordBack time.Duration) {
	r := sim.NewRand(seed)
	commit := []string{"auto", "sync", "async"}[r.Intn(3)]
	protocol := []string{"range,cooperative-sticky", "cooperative-sticky"}[r.Intn(2)]
	cfg := map[string]string{"group.id": "g", "auto.offset.reset": "earliest", "session.timeout.ms": "1500", "heartbeat.interval.ms": "300",
		"auto.commit.interval.ms": "400", "max.poll.interval.ms": "3000", "request.timeout.ms": "3000", "max.poll.records": fmt.Sprint(5 + r.Intn(30)), "partition.assignment.strategy": protocol}
	start := func(name string, t time.Duration) step {
		return at(t, "consumer_start", "consumer", name, "topics", []string{"t"}, "configs", cfg, "mode", commit, "delay", dur(r, 0, 8*time.Millisecond).String())
	}
	steps := []step{
		at(0, "create_topic", "topic", "t", "partitions", 3, "replication_factor", 3, "configs", map[string]string{"min.insync.replicas": "2"}),
		at(0, "producer_start", "producer", "p"),
		at(100*time.Millisecond, "produce", "producer", "p", "topic", "t", "count", 300, "rate", "100/s", "key", "k{i%17}", "value", "v{i}"),
	}
	for i, name := range []string{"c1", "c2", "c3"} {
		steps = append(steps, start(name, time.Duration(200*i)*time.Millisecond+time.Second))
		if r.Intn(3) > 0 {
			crash := dur(r, 1500*time.Millisecond, 6*time.Second)
			mode := []string{"now", "before_commit", "before_process"}[r.Intn(3)]
			steps = append(steps, at(crash, "consumer_crash", "consumer", name, "mode", mode), start(name, crash+dur(r, 300*time.Millisecond, 3*time.Second)))
		}
	}
	steps = append(steps, at(25*time.Second, "end"))
	coordCrash = dur(r, 1500*time.Millisecond, 7*time.Second)
	coordBack = coordCrash + dur(r, 2*time.Second, 6*time.Second)
	return scenarioJSON(seed, 3, map[string]string{"offsets.topic.num.partitions": "3", "group.initial.rebalance.delay.ms": "0", "group.min.session.timeout.ms": "500"}, steps), coordCrash, coordBack
}

// coordinatorBroker is the broker leading the group's offsets partition.
func (c *Cluster) coordinatorBroker(group string) int32 {
	img := c.metadataImage().CommittedImage()
	t := img.Topics[coordinator.OffsetsTopic]
	if t == nil {
		return -1
	}
	p := t.Partitions[coord.Partition(group, len(t.Partitions))]
	if p == nil {
		return -1
	}
	return p.Leader
}

// crashCoordinatorAt crashes the group's coordinator broker at t and restarts it at back.
func (c *Cluster) crashCoordinatorAt(group string, t, back time.Duration, power bool) {
	var crashed int32 = -1
	c.Sim.Schedule(t, func() {
		if id := c.coordinatorBroker(group); id > 0 {
			crashed = id
			mode := "process"
			if power {
				mode = "power"
			}
			id := int(id)
			c.Apply([]scenario.Command{{Op: "broker_crash", Broker: &id, Mode: mode}})
		}
	})
	c.Sim.Schedule(back, func() {
		if crashed > 0 {
			id := int(crashed)
			c.Apply([]scenario.Command{{Op: "broker_restart", Broker: &id}})
		}
	})
}

// committedHistory checks that no committed offset of a group ever moved
// back, over every coordinator that served it; it returns the last ones.
func committedHistory(t *testing.T, evs []view.Event, seed uint64, group string) map[string]int64 {
	last := map[string]int64{}
	for _, e := range evs {
		if e.Kind != "offsets_committed" || e.Data["group"] != group {
			continue
		}
		offs, _ := e.Data["offsets"].(map[string]any)
		for tp, v := range offs {
			f, _ := v.(float64)
			off := int64(f)
			if prev, ok := last[tp]; ok && off < prev {
				t.Errorf("seed %d: the committed offset of %s went back from %d to %d at %v (%s)", seed, tp, prev, off, e.At(), e.Msg)
			}
			last[tp] = off
		}
	}
	return last
}

// committedLog replays the group's offsets partition as its leader has it
// at the end: each partition's committed offsets, in log order, must never
// go back (this also sees commits that became durable without an answer).
func committedLog(t *testing.T, c *Cluster, seed uint64, group string) map[string]int64 {
	img := c.metadataImage().CommittedImage()
	p := int32(coord.Partition(group, c.offsetsPartitions(img)))
	_, r := c.leaderReplica(img, coordinator.OffsetsTopic, p)
	if r == nil {
		t.Fatalf("seed %d: %s-%d has no leader at the end", seed, coordinator.OffsetsTopic, p)
	}
	last := map[string]int64{}
	for _, rec := range replicaRecords(r) {
		var k struct {
			Version   int    `json:"version"`
			Group     string `json:"group"`
			Topic     string `json:"topic"`
			Partition int32  `json:"partition"`
		}
		var v struct {
			Offset int64 `json:"offset"`
		}
		if json.Unmarshal(rec.Key, &k) != nil || k.Version != 1 || k.Group != group || rec.Value == nil || json.Unmarshal(rec.Value, &v) != nil {
			continue
		}
		tp := fmt.Sprintf("%s-%d", k.Topic, k.Partition)
		if prev, ok := last[tp]; ok && v.Offset < prev {
			t.Errorf("seed %d: in %s-%d the committed offset of %s goes back from %d to %d", seed, coordinator.OffsetsTopic, p, tp, prev, v.Offset)
		}
		last[tp] = v.Offset
	}
	return last
}

// TestAtLeastOnceSchedules runs seeded crash schedules (consumer crashes at
// any point of the poll loop, coordinator failover): committed offsets
// never go back, no record below the final committed offset went
// unprocessed, and in the end every record was processed.
func TestAtLeastOnceSchedules(t *testing.T) {
	t.Parallel()
	n := 240
	if testing.Short() {
		n = 40
	}
	dups := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		data, crash, back := atLeastOnceSchedule(seed)
		s, err := scenario.Parse(data)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		c, err := New(s, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		c.KeepRecords = true
		var evs []view.Event
		c.Trace.SetSink(func(line []byte) {
			if strings.Contains(string(line), `"kind":"offsets_committed"`) {
				var e view.Event
				if json.Unmarshal(line, &e) == nil {
					evs = append(evs, e)
				}
			}
		})
		c.crashCoordinatorAt("g", crash, back, seed%2 == 0)
		c.Sim.RunUntil(s.End)
		committedHistory(t, evs, seed, "g")
		last := committedLog(t, c, seed, "g")
		seen := map[string]int{}
		for _, name := range sortedKeys(c.Consumers) {
			for _, rec := range c.Consumers[name].History() {
				seen[fmt.Sprintf("%s-%d@%d", rec.Topic, rec.Partition, rec.Offset)]++
			}
		}
		for p := int32(0); p < 3; p++ {
			tp := fmt.Sprintf("t-%d", p)
			_, r := c.leaderReplica(c.metadataImage().CommittedImage(), "t", p)
			if r == nil {
				t.Fatalf("seed %d: %s has no leader at the end", seed, tp)
			}
			if last[tp] != r.HWM {
				t.Errorf("seed %d: %s committed %d at the end, HWM %d: the group did not finish (reproduce with seed=%d)", seed, tp, last[tp], r.HWM, seed)
			}
			for _, off := range logOffsets(r) {
				if off >= last[tp] {
					break
				}
				k := fmt.Sprintf("%s@%d", tp, off)
				if seen[k] == 0 {
					t.Errorf("seed %d: %s was skipped: committed offset %d, never processed (reproduce with seed=%d)", seed, k, last[tp], seed)
				}
				if seen[k] > 1 {
					dups++
				}
			}
		}
		if t.Failed() {
			logScheduleTrace(t, data, func(c *Cluster) { c.crashCoordinatorAt("g", crash, back, seed%2 == 0) }, func(e view.Event) bool {
				return groupKinds[e.Kind] || e.Kind == "offsets_committed" || e.Kind == "commit_failed" || e.Kind == "coordinator_found" || e.Kind == "broker_crashed"
			})
			return
		}
	}
	t.Logf("%d schedules: %d records were processed more than once (at-least-once allows it)", n, dups)
	if dups == 0 {
		t.Error("no schedule reprocessed a record: the crashes do not bite")
	}
}

// logOffsets lists the data record offsets of a replica.
func logOffsets(r *broker.Replica) []int64 {
	var out []int64
	l := r.Log()
	for off := l.LogStartOffset(); off < l.LEO(); {
		batches, err := l.Read(off, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		for _, bt := range batches {
			off = bt.NextOffset()
			if bt.IsControl() {
				continue
			}
			for _, rec := range bt.Records {
				out = append(out, bt.BaseOffset+int64(rec.OffsetDelta))
			}
		}
	}
	return out
}

// exactlyOnceSchedule is a tiny consume-transform-produce run on one
// broker: one or two exactly-once application instances copy "in" to
// "out" in transactions and crash at random points, a read_committed
// consumer reads "out".
func exactlyOnceSchedule(seed uint64) []byte {
	r := sim.NewRand(seed)
	cfg := map[string]string{"group.id": "g", "auto.offset.reset": "earliest", "enable.auto.commit": "false", "isolation.level": "read_committed",
		"max.poll.records": fmt.Sprint(2 + r.Intn(8)), "session.timeout.ms": "800", "heartbeat.interval.ms": "200",
		"max.poll.interval.ms": "1500", "request.timeout.ms": "1500"}
	start := func(name string, t time.Duration) step {
		return at(t, "consumer_start", "consumer", name, "topics", []string{"in"}, "configs", cfg, "mode", "txn", "topic", "out", "delay", dur(r, 0, 6*time.Millisecond).String())
	}
	steps := []step{
		at(0, "create_topic", "topic", "in", "partitions", 2),
		at(0, "create_topic", "topic", "out", "partitions", 2),
		at(0, "producer_start", "producer", "p"),
		at(50*time.Millisecond, "produce", "producer", "p", "topic", "in", "count", 40, "rate", "200/s", "key", "k{i%7}", "value", "v{i}"),
		at(0, "consumer_start", "consumer", "rc", "topics", []string{"out"}, "configs", map[string]string{"auto.offset.reset": "earliest", "isolation.level": "read_committed"}),
		start("app1", 100*time.Millisecond),
	}
	apps := []string{"app1"}
	if r.Intn(2) == 0 {
		apps = append(apps, "app2")
		steps = append(steps, start("app2", dur(r, 100*time.Millisecond, 600*time.Millisecond)))
	}
	free := map[string]time.Duration{"app1": 150 * time.Millisecond, "app2": 700 * time.Millisecond}
	for i := 0; i < 1+r.Intn(2); i++ {
		name := apps[r.Intn(len(apps))]
		crash := free[name] + dur(r, 50*time.Millisecond, 1200*time.Millisecond)
		mode := []string{"now", "before_commit", "before_process"}[r.Intn(3)]
		back := crash + dur(r, 50*time.Millisecond, 900*time.Millisecond)
		free[name] = back + time.Millisecond
		steps = append(steps, at(crash, "consumer_crash", "consumer", name, "mode", mode), start(name, back))
	}
	steps = append(steps, at(9*time.Second, "end"))
	return scenarioJSON(seed, 1, map[string]string{"offsets.topic.num.partitions": "1", "offsets.topic.replication.factor": "1",
		"transaction.state.log.num.partitions": "1", "transaction.state.log.replication.factor": "1", "transaction.state.log.min.isr": "1",
		"group.initial.rebalance.delay.ms": "0", "group.min.session.timeout.ms": "500"}, steps)
}

// TestExactlyOnceSchedules runs 1,000 seeded crash schedules of an
// exactly-once application: the read_committed reader of its output sees
// every input record exactly once, although the log holds aborted copies.
func TestExactlyOnceSchedules(t *testing.T) {
	t.Parallel()
	n := 1000
	if testing.Short() {
		n = 100
	}
	aborted := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		s, err := scenario.Parse(exactlyOnceSchedule(seed))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		c, err := New(s, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		c.KeepRecords = true
		c.Sim.RunUntil(s.End)
		got := map[string]int{}
		for _, rec := range c.Consumers["rc"].Records() {
			got[rec.Value]++
		}
		for i := 0; i < 40; i++ {
			v := fmt.Sprintf("v%d", i)
			switch got[v] {
			case 1:
			case 0:
				t.Errorf("seed %d: %s never reached the read_committed output (reproduce with seed=%d)", seed, v, seed)
			default:
				t.Errorf("seed %d: the read_committed reader saw %s %d times (reproduce with seed=%d)", seed, v, got[v], seed)
			}
		}
		if len(got) != 40 {
			t.Errorf("seed %d: the reader saw %d distinct values, want 40", seed, len(got))
		}
		img := c.metadataImage().CommittedImage()
		raw := 0
		for p := int32(0); p < 2; p++ {
			if _, r := c.leaderReplica(img, "out", p); r != nil {
				raw += len(logOffsets(r))
			}
		}
		if raw > 40 {
			aborted++
		}
		if t.Failed() {
			logScheduleTrace(t, exactlyOnceSchedule(seed), nil, func(e view.Event) bool {
				return e.Kind != "appended" && e.Kind != "hwm_advanced" && e.Kind != "produce_acked"
			})
			return
		}
	}
	t.Logf("%d schedules: %d left aborted copies in the output log that read_committed hid", n, aborted)
	if aborted == 0 {
		t.Error("no schedule aborted a transaction with output: the crashes do not bite")
	}
}

// logScheduleTrace replays a failed schedule (the same seed gives the same
// run) and logs the events keep accepts, so the failure carries its story.
func logScheduleTrace(t *testing.T, data []byte, setup func(*Cluster), keep func(view.Event) bool) {
	t.Helper()
	s, err := scenario.Parse(data)
	if err != nil {
		return
	}
	c, err := New(s, nil)
	if err != nil {
		return
	}
	if setup != nil {
		setup(c)
	}
	var b strings.Builder
	c.Trace.SetSink(func(line []byte) {
		var e view.Event
		if json.Unmarshal(line, &e) == nil && keep(e) {
			fmt.Fprintf(&b, "%9.3fs %-12s %-22s %s\n", float64(e.TimeUS)/1e6, e.Node, e.Kind, e.Msg)
		}
	})
	c.Sim.RunUntil(s.End)
	t.Logf("the failed schedule:\n%s\n%s", data, b.String())
}
