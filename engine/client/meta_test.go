package client

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// TestMetadataPolicies: the one refresh path, with a bootstrap broker 9
// that never answers before broker 1. The producer's policy runs its
// waiter when the request times out (it retries itself, after
// retry.backoff.ms) and then skips broker 9 in turn; the consumers'
// retries on broker 1 after 100 ms and runs the waiter once it answered.
func TestMetadataPolicies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy metaPolicy
		// when the first waiter runs, and whether the topic is known then
		doneAt time.Duration
		known  bool
	}{
		{"producer", metaPolicy{timeout: 30 * ms, inTurn: true}, 30 * ms, false},
		{"consumer", metaPolicy{timeout: 30 * ms, retryAfter: 100 * ms, keepEpochs: true}, 132 * ms, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCluster(t, 1, 2)
			ep := rpc.NewEndpoint(f.s, f.n, names.Producer("x"))
			f.n.Register(ep.ID, func(from sim.NodeID, msg any) { ep.Deliver(from, msg) })
			stopped := false
			m := newMetaCache(ep, []int32{9, 1}, &stopped)
			m.metaPolicy = tc.policy
			doneAt := time.Duration(-1)
			known := false
			m.refresh(func() { doneAt, known = f.s.Now(), m.partitions("t") == 2 })
			f.run(200 * ms)
			if doneAt != tc.doneAt || known != tc.known {
				t.Fatalf("waiter ran at %v with topic known %v; want %v, %v", doneAt, known, tc.doneAt, tc.known)
			}
			if _, failed := m.failedAt[9]; !failed {
				t.Fatalf("broker 9's failure not noted: %v", m.failedAt)
			}
			// broker 9 comes first again, but is in reconnect backoff: the
			// next refresh asks broker 1, which answers in 2 ms
			m.next, doneAt, known = 0, -1, false
			m.refresh(func() { doneAt, known = f.s.Now(), m.partitions("t") == 2 })
			f.run(200 * ms)
			if doneAt != 202*ms || !known {
				t.Fatalf("second refresh: ran at %v, topic known %v; want 202ms, true", doneAt, known)
			}
		})
	}
}
