package cluster

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/log/logtest"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// TestDiskFullSaysSoAndLosesNothingStored: when the disk fills up the
// broker says so in plain words; what was flushed before stays readable.
func TestDiskFullSaysSoAndLosesNothingStored(t *testing.T) {
	s, c, disk := diskFullCluster(t)
	c.Sim.RunUntil(1000 * 1000 * 1000) // 1 s: some records flushed
	flushed := c.Broker(1).Replicas()[0].Log().FlushedOffset()
	disk.Full.Store(true)
	c.Sim.RunUntil(s.End)
	evs, _ := c.Trace.Since(0, 0)
	said := false
	for _, e := range evs {
		if e.Kind == "storage_error" && strings.Contains(e.Msg, logtest.ErrNoSpace.Error()) && strings.Contains(e.Msg, "nothing already stored is lost") {
			said = true
		}
	}
	if !said {
		t.Fatal("no clear storage_error when the disk filled up")
	}
	r := c.Broker(1).Replicas()[0]
	if got := r.Log().FlushedOffset(); got < flushed || flushed == 0 {
		t.Fatalf("flushed offset went from %d to %d", flushed, got)
	}
	batches, err := r.Log().Read(0, 1<<20)
	if err != nil || len(batches) == 0 || string(batches[0].Records[0].Value) != "v0" {
		t.Fatalf("stored records are not readable: %v", err)
	}
}

// diskFullCluster is one broker on a disk that can be made full, writing
// 40 records flushed one by one (flush.messages 1) from 10 ms on.
func diskFullCluster(t *testing.T) (*scenario.Scenario, *Cluster, logtest.FullStore) {
	t.Helper()
	s, err := scenario.Parse([]byte(`{"seed": 2, "cluster": {"brokers": 1, "os_writeback": "0s"},
	 "steps": [
	  {"at": "0s", "op": "create_topic", "topic": "t", "configs": {"flush.messages": "1"}},
	  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "0"}},
	  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 40, "rate": "20/s", "value": "v{i}"},
	  {"at": "5s", "op": "end"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	disk := logtest.NewFullStore()
	c, err := New(s, disk)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, disk
}
