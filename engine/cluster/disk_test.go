package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

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

// TestTruncateRestartsARunningBrokerAndRecovers: disk_fault mode
// "truncate" cuts one named segment of a running broker; the broker is
// killed, recovers to the last whole batch below the cut (reporting what it
// dropped) and, with RF=3, replication refills it.
func TestTruncateRestartsARunningBrokerAndRecovers(t *testing.T) {
	for _, rf := range []int{3, 1} {
		c := open(t, fmt.Sprintf(`{"seed": 8, "cluster": {"brokers": 3, "os_writeback": "0s"},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "replication_factor": %d, "configs": {"flush.messages": "1"}},
	  {"at": "0s", "op": "producer_start", "producer": "p"},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 50, "rate": "100/s", "value": "v{i}"},
	  {"at": "4s", "op": "end"}]}`, rf))
		c.Sim.RunUntil(time.Second)
		leader := int(c.Snapshot(SnapshotOptions{}).Partitions[0].Leader)
		file := "t-0/00000000000000000000.log"
		size, err := fileSize(c, fmt.Sprintf("broker-%d/%s", leader, file))
		if err != nil || size < 200 {
			t.Fatalf("rf=%d: leader %d's segment is %d bytes (%v)", rf, leader, size, err)
		}
		cut := size/2 + 3 // inside some batch
		bad := []string{
			`{"op": "disk_fault", "broker": %d, "mode": "truncate", "file": "t-0/00000000000000000099.log", "size": 1}`,
			`{"op": "disk_fault", "broker": %d, "mode": "truncate", "file": "t-0/00000000000000000000.log", "size": 99999999}`,
		}
		for _, b := range bad {
			if err := apply(c, fmt.Sprintf(b, leader)); err == nil {
				t.Fatalf("rf=%d: %s was accepted", rf, b)
			}
		}
		if err := apply(c, fmt.Sprintf(`{"op": "disk_fault", "broker": %d, "mode": "truncate", "file": %q, "size": %d}`, leader, file, cut)); err != nil {
			t.Fatal(err)
		}
		c.Sim.RunUntil(c.Scenario.End)
		evs, _ := c.Trace.Since(0, 0)
		var kinds []string
		var dropped int64
		for _, e := range evs {
			if e.Node != fmt.Sprintf("broker-%d", leader) {
				continue
			}
			switch e.Kind {
			case "broker_crashed", "disk_fault", "broker_started":
				kinds = append(kinds, e.Kind)
			case "log_recovered":
				dropped, _ = e.Data["dropped_bytes"].(int64)
				kinds = append(kinds, e.Kind)
			}
		}
		if got := strings.Join(kinds, ","); !strings.Contains(got, "broker_crashed,disk_fault") || !strings.Contains(got, "log_recovered") || dropped <= 0 {
			t.Fatalf("rf=%d: events %s, dropped %d bytes", rf, got, dropped)
		}
		p := c.Snapshot(SnapshotOptions{}).Partitions[0]
		for _, r := range p.Replicas {
			if rf == 3 && r.LEO != 50 {
				t.Errorf("rf=3: replica %d has LEO %d, want 50 (replication refills the cut)", r.Broker, r.LEO)
			}
			if rf == 1 && (r.LEO >= 50 || r.LEO == 0) {
				t.Errorf("rf=1: the only replica has LEO %d: the cut should lose the records past it, keep the ones before", r.LEO)
			}
		}
	}
}

// apply runs one command now and returns its validation error or the
// failure it reported in the trace.
func apply(c *Cluster, js string) error {
	cmd, err := scenario.ParseCommand([]byte(js))
	if err != nil {
		return err
	}
	cmds := []scenario.Command{cmd}
	if err := c.Validate(cmds); err != nil {
		return err
	}
	from := c.Trace.Count()
	c.Apply(cmds)
	evs, _ := c.Trace.Since(from, 0)
	for _, e := range evs {
		if e.Kind == "command_failed" {
			return fmt.Errorf("%s", e.Msg)
		}
	}
	return nil
}

// TestTornTailWithNothingOnDiskSaysSo: a broker whose appends all died in
// its page cache has nothing on disk to tear; the op says so.
func TestTornTailWithNothingOnDiskSaysSo(t *testing.T) {
	c := open(t, `{"seed": 8, "cluster": {"brokers": 1},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "replication_factor": 1},
	  {"at": "0s", "op": "producer_start", "producer": "p"},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 20, "rate": "100/s"},
	  {"at": "1s", "op": "broker_crash", "broker": 1, "mode": "power"},
	  {"at": "2s", "op": "end"}]}`)
	c.Sim.RunUntil(c.Scenario.End)
	if err := apply(c, `{"op": "disk_fault", "broker": 1, "mode": "torn_tail"}`); err != nil {
		t.Fatal(err)
	}
	evs, _ := c.Trace.Since(c.Trace.Count()-1, 0)
	if len(evs) != 1 || evs[0].Kind != "disk_fault" || !strings.Contains(evs[0].Msg, "nothing to tear") {
		t.Fatalf("events %+v", evs)
	}
}
