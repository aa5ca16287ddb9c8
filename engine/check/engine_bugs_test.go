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
