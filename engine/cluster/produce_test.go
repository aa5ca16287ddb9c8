package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

// produceScenario sends 300 templated records at 1000/s from 10ms (more
// than one send-event slab and one key/value arena chunk), then, at 1s,
// five records at once with a constant key, an empty value and a header.
const produceScenario = `{"seed": 5, "cluster": {"brokers": 1},
 "steps": [
  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 3, "replication_factor": 1},
  {"at": "0s", "op": "producer_start", "producer": "p"},
  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 300, "rate": "1000/s",
   "key": "k{i%7}", "value": "payload-{i}-{i%3}"},
  {"at": "1s", "op": "produce", "producer": "p", "topic": "t", "partition": 2, "count": 5,
   "key": "same", "value": "", "headers": {"h": "x"}},
  {"at": "3s", "op": "end"}]}`

func TestProduceExpandsEveryRecord(t *testing.T) {
	c, _ := runJSON(t, produceScenario)
	acked := c.Producers["p"].AckedRecords()
	if len(acked) != 305 {
		t.Fatalf("%d records acknowledged, want 305", len(acked))
	}
	for _, a := range acked {
		i := int(a.Seq) - 1 // send() calls are numbered from 1 in record order
		want := [2]string{fmt.Sprintf("k%d", i%7), fmt.Sprintf("payload-%d-%d", i, i%3)}
		if i >= 300 {
			want = [2]string{"same", ""}
			if a.Partition != 2 {
				t.Errorf("record %d on partition %d, want 2", i, a.Partition)
			}
		}
		if got := [2]string{a.Key, a.Value}; got != want {
			t.Errorf("record %d: key/value %q, want %q", i, got, want)
		}
	}
	empty := 0
	for _, ps := range c.Snapshot(SnapshotOptions{Records: true, MaxRecords: 1 << 20}).Partitions {
		for _, r := range ps.Records {
			if r.Key == nil || r.Value == nil {
				t.Fatalf("partition %d offset %d: null key or value", ps.Partition, r.Offset)
			}
			if *r.Value == "" {
				empty++
				if r.Headers["h"] != "x" {
					t.Errorf("partition %d offset %d: headers %v", ps.Partition, r.Offset, r.Headers)
				}
			}
		}
	}
	if empty != 5 {
		t.Errorf("%d records with an empty (not null) value, want 5", empty)
	}
}

// TestProduceSendTimesAndOrder checks that record i is sent at exactly
// 500ms + i ms, and before any event scheduled later for that same
// instant. (The first send() waits for the topic's metadata; by record 20
// nothing blocks.)
func TestProduceSendTimesAndOrder(t *testing.T) {
	const start = 500 * time.Millisecond
	s, err := scenario.Parse([]byte(strings.Replace(produceScenario, `"10ms"`, `"500ms"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := func() int64 { return c.Producers["p"].Stats.Sent }
	c.Sim.RunUntil(start)
	sentAt := map[int]int64{}
	for _, i := range []int{20, 21, 127, 128, 129, 299} {
		c.Sim.Schedule(start+time.Duration(i)*time.Millisecond, func() { sentAt[i] = p() })
	}
	for _, i := range []int{20, 64, 128, 200, 299} {
		at := start + time.Duration(i)*time.Millisecond
		c.Sim.RunUntil(at - 1)
		if got := p(); got != int64(i) {
			t.Errorf("just before %v: %d records sent, want %d", at, got, i)
		}
		c.Sim.RunUntil(at)
		if got := p(); got != int64(i+1) {
			t.Errorf("at %v: %d records sent, want %d", at, got, i+1)
		}
	}
	c.Sim.RunUntil(s.End)
	for i, n := range sentAt {
		if n != int64(i+1) {
			t.Errorf("an event queued after the produce step for record %d's instant saw %d sends, want %d", i, n, i+1)
		}
	}
	if len(sentAt) != 6 {
		t.Errorf("%d probes ran, want 6", len(sentAt))
	}
}
