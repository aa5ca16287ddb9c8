package cluster

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/view"
)

// runJSON builds and runs a scenario to its end and records every event.
func runJSON(t testing.TB, js string) (*Cluster, []view.Event) {
	t.Helper()
	s, err := scenario.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.KeepRecords = true
	c.Sim.RunUntil(s.End)
	events, _ := c.Trace.Since(0, 1<<30)
	return c, events
}

// logOrder reads partition p of topic t from its leader: the record values'
// numbers ("v17" → 17) in offset order.
func logOrder(t testing.TB, c *Cluster, topic string, p int32) []int {
	t.Helper()
	var out []int
	for _, ps := range c.Snapshot(SnapshotOptions{Records: true, MaxRecords: 1 << 20}).Partitions {
		if ps.Topic != topic || ps.Partition != p {
			continue
		}
		for _, r := range ps.Records {
			n, err := strconv.Atoi(strings.TrimPrefix(*r.Value, "v"))
			if err != nil {
				t.Fatalf("record value %q", *r.Value)
			}
			out = append(out, n)
		}
	}
	return out
}

// orderFaults reports, for a log of record numbers, whether a record sent
// earlier first appears after one sent later, and whether any appears twice.
func orderFaults(log []int) (reordered, duplicated bool) {
	seen := map[int]bool{}
	last := -1
	for _, n := range log {
		if seen[n] {
			duplicated = true
			continue
		}
		seen[n] = true
		if n < last {
			reordered = true
		}
		last = max(last, n)
	}
	return
}

// faultSchedule is a tiny lesson-4 experiment for one seed: 30 records at
// 2,000/s to a one-partition topic, five requests in flight, while the
// producer's link to the broker drops a share of messages for a few
// milliseconds; lost requests and answers time out after 100 ms and retry.
func faultSchedule(seed uint64, idempotence string) string {
	r := sim.NewRand(seed)
	at := 10 + r.Intn(12)
	width := 1 + r.Intn(6)
	drop := 0.2 + 0.5*r.Float64()
	return fmt.Sprintf(`{"seed": %d, "cluster": {"brokers": 1},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t"},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"enable.idempotence": "%s", "linger.ms": "0",
	    "max.in.flight.requests.per.connection": "5", "request.timeout.ms": "100", "delivery.timeout.ms": "5000",
	    "retry.backoff.ms": "10", "retry.backoff.max.ms": "50"}},
	  {"at": "5ms", "op": "produce", "producer": "p", "topic": "t", "count": 30, "rate": "2000/s", "value": "v{i}"},
	  {"at": "%dms", "op": "link_fault", "from": "producer-p", "to": "broker-1", "drop": %.3f},
	  {"at": "%dms", "op": "link_fault", "from": "producer-p", "to": "broker-1", "drop": 0},
	  {"at": "1s", "op": "end"}]}`, seed, idempotence, at, drop, at+width)
}

// TestReorderingNeedsIdempotenceOff: over 1,000 seeded fault schedules,
// retries with five requests in flight reorder (and duplicate) records
// without idempotence; with it the same schedules keep every record once,
// in send order.
func TestReorderingNeedsIdempotenceOff(t *testing.T) {
	const seeds = 1000
	reorders, dups, example := 0, 0, uint64(0)
	for seed := uint64(1); seed <= seeds; seed++ {
		c, _ := runJSON(t, faultSchedule(seed, "false"))
		re, dup := orderFaults(logOrder(t, c, "t", 0))
		if re {
			reorders++
			if example == 0 {
				example = seed
			}
			if c.Producers["p"].Stats.Reordered == 0 {
				t.Errorf("seed %d: the log is reordered but the producer reported no produce_reordered", seed)
			}
		}
		if dup {
			dups++
		}
		c, _ = runJSON(t, faultSchedule(seed, "true"))
		log := logOrder(t, c, "t", 0)
		if re, dup := orderFaults(log); re || dup || len(log) != 30 {
			t.Fatalf("seed %d with idempotence: reordered=%v duplicated=%v, %d records: %v\nreproduce with:\n%s", seed, re, dup, len(log), log, faultSchedule(seed, "true"))
		}
		if p := c.Producers["p"]; p.Stats.Acked != 30 || p.Stats.Reordered != 0 {
			t.Fatalf("seed %d with idempotence: acked %d, reordered %d", seed, p.Stats.Acked, p.Stats.Reordered)
		}
	}
	if reorders < seeds/20 || dups == 0 {
		t.Fatalf("without idempotence only %d of %d schedules reordered and %d duplicated; the faults should show both", reorders, seeds, dups)
	}
	t.Logf("without idempotence: %d of %d schedules reordered, %d duplicated (first reorder: seed %d); with it: none", reorders, seeds, dups, example)
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "producer", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestReorderScenario is lesson 4's experiment from testdata: a timed-out
// batch retried behind later ones; the same seed with idempotence keeps
// order and writes each record once.
func TestReorderScenario(t *testing.T) {
	js := readFile(t, "reorder.json")
	c, events := runJSON(t, js)
	if re, dup := orderFaults(logOrder(t, c, "t", 0)); !re || !dup {
		t.Fatalf("idempotence off: reordered=%v duplicated=%v, want both: %v", re, dup, logOrder(t, c, "t", 0))
	}
	if countKind(events, "produce_reordered") == 0 {
		t.Error("no produce_reordered event explains the reordering")
	}
	c, events = runJSON(t, strings.Replace(js, `"enable.idempotence": "false"`, `"enable.idempotence": "true"`, 1))
	log := logOrder(t, c, "t", 0)
	if re, dup := orderFaults(log); re || dup || len(log) != 30 {
		t.Fatalf("idempotence on: reordered=%v duplicated=%v, %d records", re, dup, len(log))
	}
	if countKind(events, "produce_retry") == 0 {
		t.Error("the same faults should make the idempotent producer retry too")
	}
}

func countKind(events []view.Event, kind string) int {
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// lostAnswerSeed makes the answer loss below hit requests in flight.
var lostAnswerSeed = "1"

// TestLostAnswerRetryIsDeduplicated: the broker's answers are lost for a
// moment, the requests time out and are retried; the broker recognises
// the retried batches (duplicate_dropped) and answers with their original
// offsets. Without idempotence the same schedule writes duplicates.
func TestLostAnswerRetryIsDeduplicated(t *testing.T) {
	run := func(idempotence string) (*Cluster, []view.Event) {
		s, err := scenario.Parse([]byte(`{"seed": ` + lostAnswerSeed + `, "cluster": {"brokers": 1},
		 "steps": [
		  {"at": "0s", "op": "create_topic", "topic": "t"},
		  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"enable.idempotence": "` + idempotence + `", "linger.ms": "0",
		    "request.timeout.ms": "100", "delivery.timeout.ms": "5000", "retry.backoff.ms": "10"}},
		  {"at": "50ms", "op": "produce", "producer": "p", "topic": "t", "count": 20, "rate": "1000/s", "value": "v{i}"},
		  {"at": "1s", "op": "end"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.KeepRecords = true
		// Answers are lost from 55 ms to 58 ms: the first requests are written
		// but their answers never come; later answers wait behind them on the
		// connection until the timeout closes it.
		c.Sim.Schedule(55*time.Millisecond, func() { c.Net.Block("broker-1", "producer-p") })
		c.Sim.Schedule(58*time.Millisecond, c.Net.Heal)
		c.Sim.RunUntil(s.End)
		events, _ := c.Trace.Since(0, 1<<30)
		return c, events
	}
	c, events := run("true")
	log := logOrder(t, c, "t", 0)
	if re, dup := orderFaults(log); re || dup || len(log) != 20 {
		t.Fatalf("idempotent: reordered=%v duplicated=%v, log %v", re, dup, log)
	}
	if countKind(events, "duplicate_dropped") == 0 {
		t.Fatal("the retried batches should be recognised as duplicates")
	}
	for _, a := range c.Producers["p"].AckedRecords() {
		if want := fmt.Sprintf("v%d", a.Offset); a.Value != want {
			t.Errorf("%s acknowledged at offset %d, where the log has %s", a.Value, a.Offset, want)
		}
	}
	c, _ = run("false")
	if _, dup := orderFaults(logOrder(t, c, "t", 0)); !dup {
		t.Fatal("without idempotence the retries should write duplicates; the fault did not bite")
	}
}

// TestIdempotenceConfigInScenarios: acks=1 turns idempotence off silently;
// asking for it explicitly with acks=1 fails the producer_start.
func TestIdempotenceConfigInScenarios(t *testing.T) {
	_, events := runJSON(t, `{"seed": 1, "cluster": {"brokers": 1}, "steps": [
	  {"at": "0s", "op": "producer_start", "producer": "quiet", "configs": {"acks": "1"}},
	  {"at": "0s", "op": "producer_start", "producer": "loud", "configs": {"acks": "1", "enable.idempotence": "true"}},
	  {"at": "10ms", "op": "end"}]}`)
	var quiet, loud bool
	for _, e := range events {
		switch {
		case e.Kind == "producer_started" && e.Node == "producer-quiet":
			quiet = e.Data["idempotent"] == false
		case e.Kind == "command_failed" && strings.Contains(e.Msg, "ConfigException") && strings.Contains(e.Msg, "acks must be all"):
			loud = true
		}
	}
	if !quiet || !loud {
		t.Fatalf("acks=1 silently off: %v; explicit enable.idempotence=true with acks=1 refused: %v", quiet, loud)
	}
}

// TestSendBlocksAndTimesOutScenario is lesson 2's buffer.memory experiment:
// the broker is paused, two batches fill the 32 KiB buffer, send() blocks
// and throws TimeoutException after max.block.ms; once the broker resumes
// the rest goes through.
func TestSendBlocksAndTimesOutScenario(t *testing.T) {
	c, events := runJSON(t, readFile(t, "buffer_timeout.json"))
	p := c.Producers["p"]
	timeouts := p.Stats.Failed["TIMEOUT_EXCEPTION"]
	if timeouts == 0 || int64(countKind(events, "send_timeout")) != timeouts {
		t.Fatalf("%d TimeoutExceptions, %d send_timeout events; want some, one each", timeouts, countKind(events, "send_timeout"))
	}
	for _, e := range events {
		if e.Kind == "send_timeout" && !strings.Contains(e.Msg, "Failed to allocate memory within the configured max blocking time 1000 ms") {
			t.Errorf("send_timeout: %s", e.Msg)
		}
	}
	if p.Stats.Acked+timeouts != 61 || p.Stats.Acked < 2 {
		t.Fatalf("acked %d + timed out %d, want 61 with some acknowledged after the resume", p.Stats.Acked, timeouts)
	}
}

// TestPartitionersScenario is lesson 3: keyed records go to murmur2 of the
// key over all partitions, even offline ones; keyless records stick to one
// partition and avoid offline ones; RoundRobinPartitioner deals records in
// turn; partitioner.ignore.keys places keyed records like keyless ones; an
// explicit partition wins.
func TestPartitionersScenario(t *testing.T) {
	c, _ := runJSON(t, readFile(t, "partitioners.json"))
	parts := func(producer, prefix string) (map[int32]int, []int32) {
		seen := map[int32]int{}
		var order []int32
		acked := append([]client.Acked(nil), c.Producers[producer].AckedRecords()...)
		sort.Slice(acked, func(i, j int) bool { return acked[i].Seq < acked[j].Seq }) // send order
		for _, a := range acked {
			if strings.HasPrefix(a.Value, prefix) {
				seen[a.Partition]++
				order = append(order, a.Partition)
			}
		}
		return seen, order
	}
	offline := map[int32]bool{}
	for _, ps := range c.Snapshot(SnapshotOptions{}).Partitions {
		offline[ps.Partition] = ps.Leader == 2 || ps.Leader < 0
	}
	for _, a := range c.Producers["sticky"].AckedRecords() {
		if strings.HasPrefix(a.Value, "keyed-") || strings.HasPrefix(a.Value, "offline-keyed-") {
			if want := int32(partition.ForKey([]byte(a.Key), 6)); a.Partition != want {
				t.Errorf("%s (key %s) on partition %d, want murmur2 %% 6 = %d", a.Value, a.Key, a.Partition, want)
			}
		}
	}
	if n, _ := parts("sticky", "keyed-"); len(n) < 4 {
		t.Errorf("12 keys used only partitions %v", n)
	}
	stuck := 0
	for k := 0; k < 12; k++ {
		if offline[int32(partition.ForKey([]byte(fmt.Sprintf("user-%d", k)), 6))] {
			stuck++
		}
	}
	acked, _ := parts("sticky", "offline-keyed-")
	total := 0
	for _, n := range acked {
		total += n
	}
	if stuck == 0 || total != 120-stuck*10 {
		t.Errorf("%d of 12 keys hash to offline partitions; %d of 120 keyed records acknowledged, want exactly the others", stuck, total)
	}
	// Keyless records stay on the sticky partition, even one that lost its
	// leader, until 2 × batch.size bytes went there (its last batch cannot
	// fill and be sent); then they switch to partitions with a leader. 400
	// records of ~250 bytes are 6 × batch.size.
	if n, _ := parts("sticky", "offline-keyless-"); sum32(n) < 250 || offline[maxKey(n)] {
		t.Errorf("keyless records should move off offline partitions: %d of 400 acknowledged (%v)", sum32(n), n)
	}
	if n, _ := parts("sticky", "keyless-"); len(n) != 1 {
		t.Errorf("40 small keyless records should stick to one partition, used %v", n)
	}
	if n, _ := parts("sticky", "explicit-"); n[4] != 5 || len(n) != 1 {
		t.Errorf("explicit partition 4: %v", n)
	}
	if _, order := parts("rr", "rr-"); len(order) != 24 {
		t.Errorf("round robin acked %d of 24", len(order))
	} else {
		for i, p := range order {
			if p != int32(i%6) {
				t.Fatalf("round robin: record %d on partition %d, want %d (order %v)", i, p, i%6, order)
			}
		}
	}
	hashed := 0
	for _, a := range c.Producers["ignore"].AckedRecords() {
		if a.Partition == int32(partition.ForKey([]byte(a.Key), 6)) {
			hashed++
		}
	}
	if n, _ := parts("ignore", "ignore-"); len(n) > 2 || hashed == 40 {
		t.Errorf("partitioner.ignore.keys: 40 keyed records on partitions %v, %d where their key hashes", n, hashed)
	}
}

func maxKey(m map[int32]int) int32 {
	best := int32(-1)
	for k, v := range m {
		if best < 0 || v > m[best] {
			best = k
		}
	}
	return best
}

func sum32(m map[int32]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// compressionRun sends 6,000 repetitive records at 30,000/s with a codec,
// batch.size and linger.ms to one partition of a 3-broker RF=3 topic (one
// partition, so batches are cut by size and linger, not by the sticky
// partitioner's switches), with a consumer.
func compressionRun(t *testing.T, codec, batchSize, linger string) *Cluster {
	c, _ := runJSON(t, `{"seed": 8, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 3, "replication_factor": 3},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"compression.type": "`+codec+`", "batch.size": "`+batchSize+`", "linger.ms": "`+linger+`"}},
	  {"at": "0s", "op": "consumer_start", "consumer": "c", "topics": ["t"], "configs": {"auto.offset.reset": "earliest"}},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "partition": 0, "count": 6000, "rate": "30000/s", "value": "user=u{i%100} event=page_view page=/products/{i%37} n={i}"},
	  {"at": "3s", "op": "end"}]}`)
	return c
}

func bytesIn(c *Cluster) int64 {
	var n int64
	for _, b := range c.Brokers {
		n += b.Metrics.BytesInTotal
	}
	return n
}

// TestCompressionScenario: gzip and zstd batches are stored, replicated and
// read back intact; they take a fraction of the bytes; and bigger batches
// compress better: compression-rate-avg (compressed over uncompressed)
// falls as batch.size grows.
func TestCompressionScenario(t *testing.T) {
	plain := compressionRun(t, "none", "16384", "20")
	for _, codec := range []string{"gzip", "zstd"} {
		c := compressionRun(t, codec, "16384", "20")
		p := c.Producers["p"]
		if p.Stats.Acked != 6000 || c.Consumers["c"].Count != 6000 {
			t.Fatalf("%s: acked %d, consumed %d; want 6000 each", codec, p.Stats.Acked, c.Consumers["c"].Count)
		}
		seen := map[string]bool{}
		for _, ps := range c.Snapshot(SnapshotOptions{Records: true, MaxRecords: 10000}).Partitions {
			for _, r := range ps.Records {
				seen[*r.Value] = true
			}
		}
		if len(seen) != 6000 || !seen["user=u42 event=page_view page=/products/5 n=42"] {
			t.Fatalf("%s: %d distinct records read back from the logs", codec, len(seen))
		}
		if ratio := float64(bytesIn(c)) / float64(bytesIn(plain)); ratio > 0.5 {
			t.Errorf("%s: brokers took in %.2f of the uncompressed bytes; want under half", codec, ratio)
		}
	}
	prev := 2.0
	for _, size := range []string{"1024", "16384", "262144"} {
		m := compressionRun(t, "gzip", size, "100").Producers["p"].Metrics()
		rate := m["compression-rate-avg"]
		if rate >= prev {
			t.Errorf("batch.size=%s: compression-rate-avg %.3f, not below %.3f for smaller batches", size, rate, prev)
		}
		t.Logf("gzip batch.size=%-6s batch-size-avg %7.0f B  compression-rate-avg %.3f", size, m["batch-size-avg"], rate)
		prev = rate
	}
}

// TestProducerSnapshotShowsTheAccumulator: the snapshot part shows a
// lingering batch with its fill and timer, a request in flight to a paused
// broker with its sequence numbers, and Kafka-named metrics afterwards.
func TestProducerSnapshotShowsTheAccumulator(t *testing.T) {
	s, err := scenario.Parse([]byte(`{"seed": 9, "cluster": {"brokers": 1},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t"},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "2000"}},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 10, "value": "v{i}"},
	  {"at": "1s", "op": "broker_pause", "broker": 1},
	  {"at": "1100ms", "op": "producer_flush", "producer": "p"},
	  {"at": "1500ms", "op": "broker_resume", "broker": 1},
	  {"at": "2s", "op": "end"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	state := func(at time.Duration) *view.ProducerState {
		c.Sim.RunUntil(at)
		ps := c.Snapshot(SnapshotOptions{}).Producers[0]
		if ps.State == nil {
			t.Fatal("no producer state in the snapshot")
		}
		return ps.State
	}
	st := state(500 * time.Millisecond)
	if len(st.Partitions) != 1 || len(st.Partitions[0].Queued) != 1 {
		t.Fatalf("want one lingering batch, got %+v", st.Partitions)
	}
	b := st.Partitions[0].Queued[0]
	age := time.Duration(b.AgeUS) * time.Microsecond
	left := time.Duration(b.SendableInUS) * time.Microsecond
	if b.Records != 10 || b.State != "open" || b.Capacity != 16384 || b.Bytes < 61+10*8 || age < 400*time.Millisecond ||
		(left+age-2*time.Second).Abs() > time.Microsecond {
		t.Fatalf("lingering batch %+v: want 10 records, open, linger.ms left = 2 s − age", b)
	}
	if st.BufferUsed != 16384 {
		t.Errorf("buffer used %d, want one batch.size", st.BufferUsed)
	}
	st = state(1200 * time.Millisecond)
	if len(st.InFlight) != 1 || st.InFlight[0].Requests != 1 || len(st.Partitions[0].InFlight) != 1 {
		t.Fatalf("flush to a paused broker: in flight %+v / %+v", st.InFlight, st.Partitions[0].InFlight)
	}
	if f := st.Partitions[0].InFlight[0]; f.BaseSequence != 0 || st.Partitions[0].NextSequence != 10 || st.Partitions[0].LastAckedSequence != -1 {
		t.Errorf("sequences: in flight %+v, next %d, last acked %d", f, st.Partitions[0].NextSequence, st.Partitions[0].LastAckedSequence)
	}
	st = state(2 * time.Second)
	snap := c.Snapshot(SnapshotOptions{})
	m := snap.Producers[0].Metrics
	if st.Partitions[0].LastAckedSequence != 9 || m["records-per-request-avg"] != 10 || m["batch-size-avg"] <= 0 || m["request-latency-avg"] < 300 {
		t.Errorf("after the resume: last acked %d, metrics %v", st.Partitions[0].LastAckedSequence, m)
	}
	var histo int64
	for _, h := range st.BatchSizeHisto {
		histo += h.Count
	}
	if histo != 1 {
		t.Errorf("batch size histogram holds %d batches, want 1", histo)
	}
	data, err := json.Marshal(snap)
	if err != nil || !strings.Contains(string(data), `"batch_size_histogram"`) || !strings.Contains(string(data), `"compression-rate-avg"`) {
		t.Errorf("snapshot JSON lacks the producer state: %v", err)
	}
}

// TestKeysMoveAfterAddPartitions is lesson 3's last step: after
// add_partitions the producer learns the new count at its next metadata
// refresh (metadata.max.age.ms) and keys hash over all partitions again,
// so some move.
func TestKeysMoveAfterAddPartitions(t *testing.T) {
	c, events := runJSON(t, `{"seed": 3, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 3},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"metadata.max.age.ms": "1000"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 12, "key": "user-{i}", "value": "before-{i}"},
	  {"at": "500ms", "op": "add_partitions", "topic": "t", "partitions": 6},
	  {"at": "2s", "op": "produce", "producer": "p", "topic": "t", "count": 12, "key": "user-{i}", "value": "after-{i}"},
	  {"at": "3s", "op": "end"}]}`)
	if countKind(events, "producer_metadata") != 1 {
		t.Fatalf("%d producer_metadata events; want one telling the keys move", countKind(events, "producer_metadata"))
	}
	moved := 0
	for _, a := range c.Producers["p"].AckedRecords() {
		n := 3
		if strings.HasPrefix(a.Value, "after-") {
			n = 6
		}
		if int(a.Partition) != partition.ForKey([]byte(a.Key), n) {
			t.Errorf("%s (key %s) on partition %d, want murmur2 %% %d", a.Value, a.Key, a.Partition, n)
		}
		if n == 6 && int(a.Partition) != partition.ForKey([]byte(a.Key), 3) {
			moved++
		}
	}
	if c.Producers["p"].Stats.Acked != 24 || moved == 0 {
		t.Errorf("acked %d, %d keys moved; want 24 and some", c.Producers["p"].Stats.Acked, moved)
	}
}
