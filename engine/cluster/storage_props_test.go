package cluster

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// Storage tests that are properties, not golden scripts: recovery from
// power loss and torn segments, determinism, the log start offset
// checkpoint and ListOffsets by timestamp.

func storCluster(t *testing.T, js string, store log.Store) *Cluster {
	t.Helper()
	s, err := scenario.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, store)
	if err != nil {
		t.Fatal(err)
	}
	c.KeepRecords = true
	return c
}

// TestPowerLossWithReplicationLosesNothingAcknowledged crashes a leader of
// an RF=3, acks=all topic with everything still in its page cache: the
// crashed broker loses its unflushed records, yet every acknowledged
// record stays readable at its offset, and the restarted broker copies the
// log back from the new leader.
func TestPowerLossWithReplicationLosesNothingAcknowledged(t *testing.T) {
	c := storCluster(t, `{"seed": 11, "cluster": {"brokers": 3, "os_writeback": "0s"},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 2, "replication_factor": 3, "configs": {"min.insync.replicas": "2"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "0", "request.timeout.ms": "1500"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 200, "rate": "400/s", "key": "k{i}", "value": "v{i}"}]}`, nil)
	c.Sim.RunUntil(400 * time.Millisecond)
	victim := c.Broker(1)
	leads := false
	for _, r := range victim.Replicas() {
		leads = leads || r.IsLeader
		if r.Log().UnflushedBytes() == 0 {
			t.Fatalf("nothing unflushed in %s on the victim: the test would prove nothing", r.TP)
		}
	}
	if !leads {
		t.Fatal("broker 1 leads no partition: the test would not crash a leader")
	}
	victim.Crash(true)
	if victim.Metrics.LostUnflushedRecords == 0 {
		t.Fatal("the power loss lost nothing")
	}
	c.Sim.RunUntil(2 * time.Second)
	victim.Restart()
	c.Sim.RunUntil(6 * time.Second)
	acked := c.Producers["p"].AckedRecords()
	if len(acked) != 200 {
		t.Fatalf("acks=all with two live in-sync replicas should ack all 200 records, got %d", len(acked))
	}
	snap := c.Snapshot(SnapshotOptions{Records: true})
	for _, ps := range snap.Partitions {
		byOffset := map[int64]string{}
		for _, r := range ps.Records {
			byOffset[r.Offset] = *r.Value
		}
		for _, a := range acked {
			if a.Partition == ps.Partition {
				if _, ok := byOffset[a.Offset]; !ok {
					t.Errorf("acknowledged record at %s-%d offset %d was lost", ps.Topic, ps.Partition, a.Offset)
				}
			}
		}
		for _, r := range ps.Replicas {
			if r.LEO != ps.HWM {
				t.Errorf("%s-%d: broker %d has LEO %d, the HWM is %d: it did not catch up", ps.Topic, ps.Partition, r.Broker, r.LEO, ps.HWM)
			}
		}
	}
}

// TestRecoveryFromTruncatedSegments cuts one broker's segment files at 200
// random byte positions (restoring them between tries) and restarts the
// broker each time: it must never panic, must keep exactly the batches
// that are intact on disk — a prefix of the log when the cut tears a batch,
// since everything after a torn batch is deleted — and must report every
// dropped byte in log_recovered events.
func TestRecoveryFromTruncatedSegments(t *testing.T) {
	store := log.NewMemStore()
	c := storCluster(t, `{"seed": 12, "cluster": {"brokers": 1},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "configs": {"internal.segment.bytes": "700", "flush.messages": "1"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "0"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 60, "rate": "100/s", "key": "k{i}", "value": "value {i}"}]}`, store)
	c.Sim.RunUntil(time.Second)
	b := c.Broker(1)
	tp := names.TopicPartition{Topic: "t", Partition: 0}
	want := storReadAll(t, b.Replica(tp))
	b.Crash(false)
	dir := "broker-1/t-0"
	names, _ := store.List(dir)
	orig := map[string][]byte{}
	var segs []string
	for _, n := range names {
		if strings.HasSuffix(n, ".log") {
			data, err := log.ReadFile(store, n)
			if err != nil {
				t.Fatal(err)
			}
			orig[n] = data
			segs = append(segs, n)
		}
	}
	var total int64
	for _, n := range segs {
		total += int64(len(orig[n]))
	}
	if len(segs) < 3 || len(want) != 60 {
		t.Fatalf("want several segments and 60 records, got %d segments, %d records", len(segs), len(want))
	}
	rng := rand.New(rand.NewPCG(12, 0))
	torn := 0
	for try := 0; try < 200; try++ {
		// Restore the original files, then cut one at a random byte.
		now, _ := store.List(dir)
		for _, n := range now {
			if _, ok := orig[n]; !ok {
				store.Remove(n)
			}
		}
		for _, n := range segs {
			if err := log.WriteFile(store, n, orig[n]); err != nil {
				t.Fatal(err)
			}
		}
		p := rng.Int64N(total)
		var cutFile string
		var cutAt int64
		for _, n := range segs {
			if p < int64(len(orig[n])) {
				cutFile, cutAt = n, p
				break
			}
			p -= int64(len(orig[n]))
		}
		f, _ := store.Open(cutFile)
		f.Truncate(cutAt)
		f.Close()
		keep, dropped, tornBatch := storExpectAfterCut(t, segs, orig, cutFile, cutAt)
		if tornBatch {
			torn++
		}
		seq := c.Trace.Count()
		b.Restart()
		c.Sim.RunUntil(c.Now() + 300*time.Millisecond)
		r := b.Replica(tp)
		if r == nil {
			t.Fatalf("try %d (cut %s at %d): the replica did not reopen", try, cutFile, cutAt)
		}
		got := storReadAll(t, r)
		for off, v := range got {
			if want[off] != v {
				t.Fatalf("try %d (cut %s at %d): offset %d reads %q, was %q", try, cutFile, cutAt, off, v, want[off])
			}
		}
		if len(got) != len(keep) {
			t.Fatalf("try %d (cut %s at %d): %d records survive, want %d", try, cutFile, cutAt, len(got), len(keep))
		}
		for off := range keep {
			if _, ok := got[off]; !ok {
				t.Fatalf("try %d (cut %s at %d): intact offset %d is missing", try, cutFile, cutAt, off)
			}
		}
		var reported int64
		evs, _ := c.Trace.Since(seq, 0)
		for _, e := range evs {
			if e.Kind == "log_recovered" {
				reported += e.Data["dropped_bytes"].(int64)
			}
		}
		if reported != dropped {
			t.Fatalf("try %d (cut %s at %d): log_recovered reports %d dropped bytes, want %d", try, cutFile, cutAt, reported, dropped)
		}
		b.Crash(false)
	}
	if torn < 150 {
		t.Fatalf("only %d of 200 cuts tore a batch: the positions are not spread over the batches", torn)
	}
}

// storExpectAfterCut says which offsets survive a cut and how many bytes
// recovery must drop: a cut inside a batch drops that batch's bytes and
// every later segment; a cut on a batch boundary leaves a shorter but valid
// segment, which recovery cannot tell from a complete one.
func storExpectAfterCut(t *testing.T, segs []string, orig map[string][]byte, cutFile string, cutAt int64) (keep map[int64]bool, dropped int64, torn bool) {
	keep = map[int64]bool{}
	after := false
	for _, n := range segs {
		data := orig[n]
		if after {
			if torn {
				dropped += int64(len(data))
				continue
			}
		}
		limit := int64(len(data))
		if n == cutFile {
			limit = cutAt
		}
		pos := int64(0)
		for pos < int64(len(data)) {
			bt, size, err := record.Decode(data[pos:])
			if err != nil {
				t.Fatal(err)
			}
			if pos+int64(size) > limit {
				if pos < limit {
					torn = true
					dropped += limit - pos
				}
				break
			}
			for _, r := range bt.Records {
				keep[bt.BaseOffset+int64(r.OffsetDelta)] = true
			}
			pos += int64(size)
		}
		if n == cutFile {
			after = true
		}
	}
	return keep, dropped, torn
}

func storReadAll(t *testing.T, r *broker.Replica) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	for _, rec := range records(r, 1<<20) {
		out[rec.Offset] = *rec.Value
	}
	return out
}

// TestStorageSnapshotAndDeterminism runs retention, compaction and reads
// twice with one seed: the traces must hash the same, and the snapshot
// must show the cleaner and read-path views with their JSON names.
func TestStorageSnapshotAndDeterminism(t *testing.T) {
	js := `{"seed": 13, "cluster": {"brokers": 2, "configs": {"log.retention.check.interval.ms": "500", "log.cleaner.backoff.ms": "500", "security.inter.broker.protocol": "SSL"}},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "c", "partitions": 2, "replication_factor": 2, "configs": {"cleanup.policy": "compact,delete", "internal.segment.bytes": "400", "retention.ms": "3000"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "0"}},
	  {"at": "0s", "op": "consumer_start", "consumer": "r", "topics": ["c"], "configs": {"auto.offset.reset": "earliest"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "c", "count": 300, "rate": "100/s", "key": "k{i%7}", "value": "v{i}"},
	  {"at": "5s", "op": "end"}]}`
	var hashes []string
	var snap Snapshot
	for i := 0; i < 2; i++ {
		c := storCluster(t, js, nil)
		c.Sim.RunUntil(c.Scenario.End)
		hashes = append(hashes, c.Trace.Hash())
		snap = c.Snapshot(SnapshotOptions{})
	}
	if hashes[0] != hashes[1] {
		t.Fatalf("same seed, different traces: %s vs %s", hashes[0], hashes[1])
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`"storage":`, `"cleanup_policy":"compact,delete"`, `"dirty_ratio":`, `"checkpoint":`, `"read_path":`, `"bytes_sent_copied":`, `"bytes_sent_zero_copy":`, `"cpu_busy_ms":`, `"model_note":"model, not a measurement`} {
		if !strings.Contains(string(raw), name) {
			t.Errorf("snapshot lacks %s", name)
		}
	}
	var cleaned, copied bool
	for _, ps := range snap.Partitions {
		for _, r := range ps.Replicas {
			if r.Storage == nil || r.Storage.Cleaner == nil {
				t.Fatalf("%s-%d broker %d: no cleaner view", ps.Topic, ps.Partition, r.Broker)
			}
			cleaned = cleaned || r.Storage.Cleaner.Cleanings > 0
			copied = copied || r.Storage.ReadPath != nil && r.Storage.ReadPath.BytesSentCopied > 0
		}
	}
	if !cleaned || !copied {
		t.Fatalf("cleaned %v, follower fetches over SSL copied %v: want both", cleaned, copied)
	}
}

// TestLogStartOffsetSurvivesARestart: the log start offset lives in the
// broker's log-start-offset-checkpoint, not in the log; a restarted broker
// reopens the log there, even in the middle of a segment, and a fetch
// below it gets OFFSET_OUT_OF_RANGE.
func TestLogStartOffsetSurvivesARestart(t *testing.T) {
	store := log.NewMemStore()
	c := storCluster(t, `{"seed": 14, "cluster": {"brokers": 1},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "0"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 20, "rate": "100/s", "key": "k", "value": "v{i}"}]}`, store)
	c.Sim.RunUntil(time.Second)
	b := c.Broker(1)
	b.Crash(false)
	if err := log.WriteFile(store, "broker-1/log-start-offset-checkpoint", []byte("0\n1\nt 0 7\n")); err != nil {
		t.Fatal(err)
	}
	b.Restart()
	c.Sim.RunUntil(c.Now() + 300*time.Millisecond)
	r := b.Replica(names.TopicPartition{Topic: "t", Partition: 0})
	if r == nil || r.Log().LogStartOffset() != 7 || r.LEO() != 20 {
		t.Fatalf("after restart: replica %v, want log start 7 and LEO 20", r != nil)
	}
	if got := len(records(r, 100)); got != 13 {
		t.Fatalf("%d records readable, want 13 (offsets 7–19)", got)
	}
	resp := b.ListOffset(names.TopicPartition{Topic: "t", Partition: 0}, proto.EarliestTimestamp)
	if resp.Offset != 7 {
		t.Fatalf("ListOffsets earliest = %d, want 7", resp.Offset)
	}
}

// TestListOffsetsByTimestampMatchesAScan checks ListOffsets by timestamp
// (answered from the log's time index) against a plain scan of the
// records, for many timestamps, on a log of many small segments whose high
// watermark lags its end (a paused follower, acks=1): nothing at or above
// the HWM may be an answer.
func TestListOffsetsByTimestampMatchesAScan(t *testing.T) {
	c := storCluster(t, `{"seed": 16, "cluster": {"brokers": 2, "configs": {"replica.lag.time.max.ms": "60000"}},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "replication_factor": 2, "configs": {"internal.segment.bytes": "300", "index.interval.bytes": "100"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "30", "acks": "1"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 120, "rate": "40/s", "key": "k{i}", "value": "v{i}"}]}`, nil)
	c.Sim.RunUntil(1500 * time.Millisecond)
	tp := names.TopicPartition{Topic: "t", Partition: 0}
	var leader, follower *broker.Broker
	for _, b := range c.Brokers {
		if r := b.Replica(tp); r != nil && r.IsLeader {
			leader = b
		} else {
			follower = b
		}
	}
	follower.Pause()
	c.Sim.RunUntil(4 * time.Second)
	r := leader.Replica(tp)
	if r.HWM >= r.LEO() || len(r.Log().Segments()) < 5 {
		t.Fatalf("HWM %d LEO %d, %d segments: want a lagging HWM and many segments", r.HWM, r.LEO(), len(r.Log().Segments()))
	}
	recs := records(r, 1<<20)
	for ts := EpochMs; ts <= EpochMs+3200; ts += 7 {
		want, wantTs := int64(-1), int64(-1)
		for _, rec := range recs {
			if rec.Timestamp >= ts && rec.Offset < r.HWM {
				want, wantTs = rec.Offset, rec.Timestamp
				break
			}
		}
		got := leader.ListOffset(tp, ts)
		if got.ErrorCode != proto.None || got.Offset != want || got.Timestamp != wantTs {
			t.Fatalf("timestamp %d: ListOffsets = offset %d ts %d (%v), the scan says offset %d ts %d", ts, got.Offset, got.Timestamp, got.ErrorCode, want, wantTs)
		}
	}
	if got := follower.ListOffset(tp, EpochMs); got.ErrorCode != proto.NotLeaderOrFollower {
		t.Fatalf("a follower answered ListOffsets: %+v", got)
	}
}
