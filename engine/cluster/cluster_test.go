package cluster

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

func run(t *testing.T, file string) *Cluster {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.KeepRecords = true
	c.Sim.RunUntil(s.End)
	return c
}

func TestExampleScenarioCarriesDataEndToEnd(t *testing.T) {
	c := run(t, "example.json")
	snap := c.Snapshot(SnapshotOptions{Records: true})
	p := snap.Producers[0]
	if p.Sent != 1001 {
		t.Fatalf("sent %d records, want 1001", p.Sent)
	}
	// Broker 2 crashed for a second with RF=1: produces to its partitions
	// fail or retry; everything acknowledged must be readable.
	if p.Acked == 0 || p.Acked+sum(p.Failed)+int64(p.Queued) != p.Sent {
		t.Fatalf("acked %d + failed %v + queued %d != sent %d", p.Acked, p.Failed, p.Queued, p.Sent)
	}
	var total int64
	for _, ps := range snap.Partitions {
		if ps.Leader < 1 {
			t.Fatalf("partition %d has no leader at the end: %+v", ps.Partition, ps)
		}
		total += ps.HWM - ps.LogStartOffset
		if len(ps.Replicas) != 1 || ps.Replicas[0].LEO != ps.HWM {
			t.Fatalf("RF=1 replica LEO should equal HWM: %+v", ps)
		}
		if len(ps.Replicas[0].Segments) < 2 {
			t.Errorf("partition %d: internal.segment.bytes=4096 should have rolled segments, got %d", ps.Partition, len(ps.Replicas[0].Segments))
		}
	}
	cons := snap.Consumers[0]
	if cons.Consumed != total {
		t.Fatalf("consumer read %d records, the logs hold %d", cons.Consumed, total)
	}
	// The keyed record with a header is there, with its timestamp.
	found := false
	for _, ps := range snap.Partitions {
		for _, r := range ps.Records {
			if r.Key != nil && *r.Key == "user-1" && r.Headers["trace"] == "a1" {
				found = true
				if r.Timestamp < EpochMs+10 || r.Timestamp > EpochMs+100 {
					t.Errorf("timestamp %d is not about 10 ms after the epoch", r.Timestamp)
				}
			}
		}
	}
	if !found {
		t.Fatal("the record with header trace=a1 is missing")
	}
}

func TestReplicatedClusterSurvivesLeaderCrash(t *testing.T) {
	c := run(t, "replicated.json")
	snap := c.Snapshot(SnapshotOptions{})
	p := snap.Producers[0]
	if p.Acked != 400 {
		t.Fatalf("acks=all with RF=3 should ack all 400 records despite a crash, got acked=%d failed=%v queued=%d", p.Acked, p.Failed, p.Queued)
	}
	for _, ps := range snap.Partitions {
		if len(ps.ISR) != 3 {
			t.Errorf("partition %d: ISR %v should be whole again after the restart", ps.Partition, ps.ISR)
		}
		for _, r := range ps.Replicas {
			if r.LEO != ps.HWM {
				t.Errorf("partition %d: replica %d LEO %d != HWM %d", ps.Partition, r.Broker, r.LEO, ps.HWM)
			}
		}
	}
	if snap.Consumers[0].Consumed != 400 {
		t.Fatalf("consumer read %d, want 400", snap.Consumers[0].Consumed)
	}
	// Every acknowledged record is in the log at its acknowledged offset.
	for _, a := range c.Producers["p1"].AckedRecords() {
		if a.Offset < 0 {
			t.Fatalf("acks=all record without offset: %+v", a)
		}
	}
	_ = time.Second
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}
