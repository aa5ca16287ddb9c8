package check

import "testing"

// TestAcksZeroBatchesAreSentOnce guards an engine bug this checker found:
// an acks=0 producer whose first sends waited for metadata drained batches
// for several leaders at once; sendRequest acknowledged the first leader's
// batches and re-entered drain(), which sent the batches still listed for
// the other leaders, and the outer loop then sent them again. Each record
// landed in the log once per resend (duplicates; "acked" above "sent").
func TestAcksZeroBatchesAreSentOnce(t *testing.T) {
	c, rec := runScenario(t, `{"seed": 1, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 3},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"acks": "0", "linger.ms": "0"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "partition": 0, "value": "a"},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "partition": 1, "value": "b"},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "partition": 2, "value": "c"},
	  {"at": "1s", "op": "end"}]}`)
	p := c.Producers["p"]
	if p.Stats.Acked != p.Stats.Sent {
		t.Errorf("sent %d records, %d acknowledged", p.Stats.Sent, p.Stats.Acked)
	}
	if res := Check(rec.History(c)); res.Count(Duplicate) > 0 {
		t.Errorf("%s\n%s", res.Summary(), list(res.Violations))
	}
}

// TestStaleFetchResponseLeavesNoHole is the repro of an engine bug found by
// the soak (seed 2045, unsafe): the storage layer's delivery hook of the
// time (cleaner.go afterFollowerFetchGaps; today the replica fetcher hands it
// only answers to its own current requests) acted on every FetchResponse a broker received,
// also on stale ones the rpc layer drops (a fetch sent by the broker's
// previous incarnation and answered late by a paused leader). Broker 3
// loses its log to a power loss while its fetch from offset 20 waits on the
// paused leader 2; after its restart that old response carries offsets
// 20–29, and the hook appends them "across a compaction gap" on a topic
// that is not compacted. Broker 3 then holds 20–29 only, rejoins the ISR
// with HWM 30, and would lose v0–v19 if it were elected.
func TestStaleFetchResponseLeavesNoHole(t *testing.T) {
	c, rec := runScenario(t, `{"seed": 1, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "replication_factor": 3},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"acks": "1", "linger.ms": "0"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 20, "value": "v{i}"},
	  {"at": "500ms", "op": "broker_pause", "broker": 2},
	  {"at": "550ms", "op": "produce", "producer": "p", "topic": "t", "count": 10, "value": "w{i}"},
	  {"at": "600ms", "op": "broker_crash", "broker": 3, "mode": "power"},
	  {"at": "700ms", "op": "broker_restart", "broker": 3},
	  {"at": "1s", "op": "broker_resume", "broker": 2},
	  {"at": "5s", "op": "end"}]}`)
	if res := Check(rec.History(c)); !res.OK() {
		t.Fatalf("%s\n%s", res.Summary(), list(res.Violations))
	}
}
