package cluster

import "testing"

// TestTornTailRecoversToTheLastValidBatch: a power loss, then a torn write
// of the last batch; the restarted broker drops exactly the torn bytes and
// says so, and the replica catches up again (RF=3: nothing acknowledged
// with acks=all is lost).
func TestTornTailRecoversToTheLastValidBatch(t *testing.T) {
	c := open(t, `{"seed": 8, "cluster": {"brokers": 3, "os_writeback": "0s"},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "replication_factor": 3, "configs": {"flush.messages": "1", "min.insync.replicas": "2"}},
	  {"at": "0s", "op": "producer_start", "producer": "p"},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 50, "rate": "100/s", "value": "v{i}"},
	  {"at": "1s", "op": "broker_crash", "broker": 2, "mode": "power"},
	  {"at": "1100ms", "op": "disk_fault", "broker": 2, "mode": "torn_tail"},
	  {"at": "1200ms", "op": "broker_restart", "broker": 2},
	  {"at": "4s", "op": "end"}]}`)
	c.Sim.RunUntil(c.Scenario.End)
	evs, _ := c.Trace.Since(0, 0)
	var cut, recovered bool
	for _, e := range evs {
		switch e.Kind {
		case "disk_fault":
			cut = true
		case "log_recovered":
			if n, _ := e.Data["dropped_bytes"].(int64); e.Node == "broker-2" && n > 0 {
				recovered = true
			}
		}
	}
	if !cut || !recovered {
		t.Fatalf("torn write cut=%v, recovery reported=%v", cut, recovered)
	}
	snap := c.Snapshot(SnapshotOptions{})
	if p := snap.Producers[0]; p.Acked != 50 {
		t.Fatalf("acked %d of 50", p.Acked)
	}
	for _, r := range snap.Partitions[0].Replicas {
		if r.LEO != snap.Partitions[0].HWM {
			t.Errorf("replica %d LEO %d, HWM %d: the torn replica should catch up", r.Broker, r.LEO, snap.Partitions[0].HWM)
		}
	}
}
