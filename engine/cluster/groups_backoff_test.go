package cluster

import (
	"fmt"
	"testing"
	"time"
)

// backoffScenario crashes the coordinator of group g (broker 3 leads its
// __consumer_offsets partition) and starts c2 half a second later: c2
// finds broker 3 from the metadata and cannot reach it until broker 2
// takes the partition over, about 7 s later. c2's configs are extra.
func backoffScenario(extra string) []byte {
	return []byte(fmt.Sprintf(`{"seed": 3, "cluster": {"brokers": 3, "configs": {"offsets.topic.num.partitions": "5", "group.initial.rebalance.delay.ms": "0"}},
 "steps": [
  {"at": "0s", "op": "create_topic", "topic": "orders", "partitions": 4, "replication_factor": 3},
  {"at": "1s", "op": "consumer_start", "consumer": "c1", "topics": ["orders"], "configs": {"group.id": "g"}},
  {"at": "12s", "op": "broker_crash", "broker": 3},
  {"at": "12.5s", "op": "consumer_start", "consumer": "c2", "topics": ["orders"], "configs": {"group.id": "g"%s}},
  {"at": "30s", "op": "end"}]}`, extra))
}

// joinsToDeadCoordinator returns the times c2 sent JoinGroup to broker 3.
func joinsToDeadCoordinator(t *testing.T, extra string) []time.Duration {
	t.Helper()
	_, evs := runCollecting(t, backoffScenario(extra), func(k string) bool { return k == "group_joining" })
	var at []time.Duration
	for _, e := range evs {
		if e.Node == "consumer-c2" && e.Data["reason"] == "it starts" && e.Msg == "consumer c2 sends JoinGroup to broker 3: it starts" {
			at = append(at, e.At())
		}
	}
	if len(at) < 3 {
		t.Fatalf("c2 sent JoinGroup to the crashed coordinator %d times; the scenario no longer keeps it unreachable", len(at))
	}
	return at
}

// TestCoordinatorLookupsBackOff: while the coordinator is unreachable the
// consumer looks it up again after retry.backoff.ms, doubling each time up
// to retry.backoff.max.ms (KIP-580, Kafka's ensureCoordinatorReady), instead
// of every 100 ms (issue 11 item 12: the log said "consumer c1 sends
// JoinGroup to broker 2" twice every ~110 ms).
func TestCoordinatorLookupsBackOff(t *testing.T) {
	at := joinsToDeadCoordinator(t, "")
	var gaps []time.Duration
	for i := 1; i < len(at); i++ {
		gaps = append(gaps, at[i]-at[i-1])
	}
	t.Logf("JoinGroup to the crashed coordinator at %v (gaps %v)", at, gaps)
	if len(at) > 12 {
		t.Errorf("%d JoinGroups to the crashed coordinator in %v; with backoff up to 1 s there should be at most 12", len(at), at[len(at)-1]-at[0])
	}
	if g := gaps[0]; g < 80*time.Millisecond || g > 150*time.Millisecond {
		t.Errorf("first retry after %v, want retry.backoff.ms=100 ±20 %%", g)
	}
	for i, g := range gaps {
		// Each retry waits one backoff, or two when the lookup itself went
		// to the crashed broker first; each backoff is at most 1 s.
		if g < 80*time.Millisecond || g > 2*time.Second+50*time.Millisecond {
			t.Errorf("gap %d is %v, want between 80 ms and two capped backoffs (2 s)", i, g)
		}
	}
	if last := gaps[len(gaps)-1]; last < 800*time.Millisecond {
		t.Errorf("the last gap is %v: the backoff did not grow to retry.backoff.max.ms=1000 (−20 %% jitter)", last)
	}

	// A cap equal to the start keeps the backoff flat (Kafka's rule): the
	// consumer retries every ~100 ms, many more times.
	flat := joinsToDeadCoordinator(t, `, "retry.backoff.max.ms": "100"`)
	if len(flat) < 3*len(at) {
		t.Errorf("retry.backoff.max.ms=100: %d JoinGroups, want many more than the %d with the default cap", len(flat), len(at))
	}
	for i := 1; i < len(flat); i++ {
		if g := flat[i] - flat[i-1]; g > 250*time.Millisecond {
			t.Errorf("retry.backoff.max.ms=100: gap %v, want about 100 ms", g)
			break
		}
	}
}
