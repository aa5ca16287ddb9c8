package check

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

func runScenario(t *testing.T, js string) (*cluster.Cluster, *Recorder) {
	t.Helper()
	s, err := scenario.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := Watch(c)
	c.Sim.RunUntil(s.End)
	return c, rec
}

// A leader crash with acks=all, min.insync.replicas=2 and clean election
// loses nothing, and the consumer reads every record once, in order.
func TestFromClusterCleanFailover(t *testing.T) {
	c, rec := runScenario(t, `{"seed": 11, "cluster": {"brokers": 3},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "events", "partitions": 2, "replication_factor": 3, "configs": {"min.insync.replicas": "2"}},
	  {"at": "0s", "op": "producer_start", "producer": "p1"},
	  {"at": "0s", "op": "consumer_start", "consumer": "c1", "topics": ["events"], "configs": {"auto.offset.reset": "earliest"}},
	  {"at": "50ms", "op": "produce", "producer": "p1", "topic": "events", "count": 400, "rate": "200/s", "key": "k{i%7}", "value": "v{i}"},
	  {"at": "700ms", "op": "broker_crash", "broker": 1},
	  {"at": "1500ms", "op": "broker_restart", "broker": 1},
	  {"at": "12s", "op": "end"}]}`)
	h := rec.History(c)
	res := Check(h)
	if !res.OK() {
		t.Fatalf("%s\n%s", res.Summary(), list(res.Violations))
	}
	if res.Acked != 400 || res.Read != 400 {
		t.Fatalf("acked %d, read %d; want 400 and 400", res.Acked, res.Read)
	}
	if len(h.Partitions) != 2 || len(h.Partitions[0].Replicas) != 3 {
		t.Fatalf("want 2 partitions of 3 replicas, got %+v", h.Partitions)
	}
	leaders := 0
	for _, e := range h.Events {
		if e.Kind == "became_leader" {
			leaders++
		}
	}
	if leaders < 3 {
		t.Errorf("recorded %d became_leader events; the crash of broker 1 should add some", leaders)
	}
	// FromCluster (the trace's window) agrees with the recorder on a short run.
	if got := Check(FromCluster(c)); got.Summary() != res.Summary() {
		t.Errorf("FromCluster says %q, the recorder %q", got.Summary(), res.Summary())
	}
}

// Unclean election: brokers 2 and 3 die and leave the ISR, broker 1 takes
// acks=1 writes alone and dies too; when 2 and 3 return, one of them is
// elected without those writes. The checker must name exactly them.
func TestFromClusterUncleanElectionLosesWrites(t *testing.T) {
	c, rec := uncleanScenario(t)
	res := Check(rec.History(c))
	if res.Count(LostWrite) == 0 {
		t.Fatalf("the unclean election should lose the acks=1 writes broker 1 took alone: %s\n%s", res.Summary(), list(res.Violations))
	}
	for _, a := range res.Lost {
		if a.Value[:6] != "alone-" {
			t.Errorf("lost %+v, but only records written while broker 1 was alone can be lost", a)
		}
	}
	t.Logf("%s; lost %d records", res.Summary(), len(res.Lost))
}

// The unclean election of that scenario is among the recorded events, as a
// leader_elected event with unclean=true (lessons quote it).
func TestFromClusterRecordsTheUncleanElection(t *testing.T) {
	_, rec := uncleanScenario(t)
	elections := 0
	for _, e := range rec.Events() {
		if e.Kind == "leader_elected" {
			elections++
			if e.Data["unclean"] == true {
				return
			}
		}
	}
	t.Fatalf("%d leader_elected events, none with unclean=true", elections)
}

func uncleanScenario(t *testing.T) (*cluster.Cluster, *Recorder) {
	t.Helper()
	return runScenario(t, `{"seed": 7, "cluster": {"brokers": 3, "configs": {"replica.lag.time.max.ms": "1000", "broker.session.timeout.ms": "2000", "broker.heartbeat.interval.ms": "500"}},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "replication_factor": 3, "configs": {"unclean.leader.election.enable": "true"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"acks": "1", "linger.ms": "0", "request.timeout.ms": "500", "delivery.timeout.ms": "10000"}},
	  {"at": "100ms", "op": "produce", "producer": "p", "topic": "t", "count": 20, "rate": "100/s", "value": "before-{i}"},
	  {"at": "1s", "op": "broker_crash", "broker": 2},
	  {"at": "1s", "op": "broker_crash", "broker": 3},
	  {"at": "4s", "op": "produce", "producer": "p", "topic": "t", "count": 20, "rate": "100/s", "value": "alone-{i}"},
	  {"at": "5s", "op": "broker_crash", "broker": 1},
	  {"at": "5500ms", "op": "broker_restart", "broker": 2},
	  {"at": "5500ms", "op": "broker_restart", "broker": 3},
	  {"at": "9s", "op": "broker_restart", "broker": 1},
	  {"at": "9s", "op": "consumer_start", "consumer": "c", "topics": ["t"], "configs": {"auto.offset.reset": "earliest"}},
	  {"at": "14s", "op": "end"}]}`)
}
