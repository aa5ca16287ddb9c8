package client

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
)

// crash stops fake broker id's process: peers see their connections reset,
// and new connections to it are refused.
func (f *fakeCluster) crash(id int32) {
	f.n.SetDown(names.Broker(id), true)
	f.n.ResetConnections(names.Broker(id))
}

// TestRefusedConnectionKeepsBatchesQueued: with retries=0, a crashed leader
// fails no record (NetworkClient.ready). Batches wait under the reconnect
// backoff, 50 ms doubling per refused attempt up to 1 s with ±20 % jitter,
// count no retry, and go to the new leader once metadata names it.
func TestRefusedConnectionKeepsBatchesQueued(t *testing.T) {
	f := newFakeCluster(t, 2, 1)
	f.leader = func(int32) int32 { return 1 }
	p := f.producer(t, map[string]string{"acks": "1", "retries": "0", "linger.ms": "0"})
	f.warmUp(p)
	f.crash(1)
	f.run(10 * ms) // the reset arrives
	for i := range 5 {
		f.sendAt(p, time.Duration(i)*100*ms, msg(0, "", "v"))
	}
	f.run(3 * time.Second)
	if len(f.requests) != 0 {
		t.Fatalf("%d produce requests reached a broker while the leader was down; want none", len(f.requests))
	}
	if p.Queued() != 5 || len(p.Stats.Failed) != 0 || p.Stats.Retries != 0 || p.m.recordRetries != 0 {
		t.Fatalf("queued %d failed %v retries %d record-retry-total %d; want 5 queued, none failed or retried",
			p.Queued(), p.Stats.Failed, p.Stats.Retries, p.m.recordRetries)
	}
	var backoffs []int64
	for _, e := range f.events {
		if e.Kind == "producer_disconnected" {
			backoffs = append(backoffs, int64(e.Data["reconnect_backoff_ms"].(float64)))
		}
	}
	want := []int64{50, 100, 200, 400, 800, 1000}
	if len(backoffs) < len(want) {
		t.Fatalf("reconnect backoffs %v; want at least %d attempts in 3 s", backoffs, len(want))
	}
	for i, w := range want {
		if lo, hi := w*8/10, min(w*12/10, 1000); backoffs[i] < lo || backoffs[i] > hi {
			t.Errorf("backoff %d = %d ms; want %d ms ±20 %% (at most 1000)", i, backoffs[i], w)
		}
	}
	f.leader = func(int32) int32 { return 2 } // the controller elected broker 2
	f.run(2 * time.Second)
	if p.Stats.Acked != 6 || len(p.Stats.Failed) != 0 || p.Stats.Retries != 0 {
		t.Fatalf("acked %d failed %v retries %d; want every record acked by the new leader without a retry", p.Stats.Acked, p.Stats.Failed, p.Stats.Retries)
	}
	for _, r := range f.requests {
		if r.broker != 2 {
			t.Errorf("a produce request went to broker %d; want the new leader 2", r.broker)
		}
	}
}

// TestReconnectAfterRestart: once the broker is back, the next attempt's
// ApiVersions is answered, the connection is ready and the queued batches
// go to it; the backoff starts again from reconnect.backoff.ms.
func TestReconnectAfterRestart(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"acks": "1", "retries": "0", "linger.ms": "0"})
	f.warmUp(p)
	f.crash(1)
	f.run(10 * ms)
	p.Send(msg(0, "", "v"))
	f.run(500 * ms)
	f.n.SetDown(names.Broker(1), false)
	f.run(2 * time.Second)
	if p.Stats.Acked != 2 || len(p.Stats.Failed) != 0 || p.Stats.Retries != 0 {
		t.Fatalf("acked %d failed %v retries %d; want the queued record acked after the reconnect", p.Stats.Acked, p.Stats.Failed, p.Stats.Retries)
	}
	if c := p.nodes[1]; c == nil || c.phase != connReady || c.failures != 0 {
		t.Fatalf("connection state %+v; want ready with the failures reset", c)
	}
}
