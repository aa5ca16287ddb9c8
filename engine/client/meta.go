// Package client holds Kafka's client nodes as the engine runs them: the
// producer (KafkaProducer's application thread holding one struct per
// Kafka class: accumulator, sender, txnManager, producerMetadata), the
// consumers, and the admin client. Each keeps a metadata cache refreshed
// from the brokers like Kafka's NetworkClient, through one path
// (metaCache.refresh).
package client

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// metaCache is a client's view of the cluster from Metadata responses, and
// the one path that refreshes it: one Metadata request at a time, its
// waiters run once the cache is updated. Clients differ in a few settings
// (metaPolicy); the consumers and the admin client use newMetaCache's,
// the producer its own (producer_metadata.go).
type metaCache struct {
	ep        *rpc.Endpoint
	bootstrap []int32
	next      int // round-robin over bootstrap brokers for the next refresh
	brokers   []int32
	topics    map[string]proto.TopicMetadata
	gen       uint64 // changes whenever topics is replaced
	inflight  bool
	waiters   []func()
	lastAt    time.Duration
	stopped   *bool
	failedAt  map[int32]time.Duration // brokers whose connection failed, for the reconnect backoff
	metaPolicy
}

// metaPolicy is how a client's metadata requests go.
type metaPolicy struct {
	// timeout bounds each Metadata request.
	timeout time.Duration
	// inTurn picks brokers in turn, skipping those in reconnect backoff
	// (pickInTurn), instead of by requests in flight (leastLoaded).
	inTurn bool
	// retryAfter: a failed request is tried again on another broker after
	// this long while someone waits, and the waiters run only once it
	// succeeds; 0 runs the waiters on failure too (they decide).
	retryAfter time.Duration
	// keepEpochs keeps a cached partition whose leader epoch is newer than
	// the response's (keepNewerEpochs).
	keepEpochs bool
}

// consumerMetaPolicy is the consumers' and the admin client's. Simplified:
// a fixed 5 s timeout and 100 ms retry instead of their configs.
var consumerMetaPolicy = metaPolicy{timeout: 5 * time.Second, retryAfter: 100 * time.Millisecond, keepEpochs: true}

func newMetaCache(ep *rpc.Endpoint, bootstrap []int32, stopped *bool) *metaCache {
	return &metaCache{ep: ep, bootstrap: bootstrap, topics: map[string]proto.TopicMetadata{}, gen: 1, stopped: stopped,
		failedAt: map[int32]time.Duration{}, metaPolicy: consumerMetaPolicy}
}

// candidates are brokers to ask: known live ones first, then bootstrap.
func (m *metaCache) candidates() []int32 {
	if len(m.brokers) > 0 {
		return m.brokers
	}
	return m.bootstrap
}

// refresh asks one broker for metadata of all topics and calls done after
// the cache was updated (or the attempt failed).
func (m *metaCache) refresh(done func()) {
	if done != nil {
		m.waiters = append(m.waiters, done)
	}
	if m.inflight {
		return
	}
	var id int32
	if c := m.candidates(); m.inTurn && len(c) > 0 {
		id = m.pickInTurn(c)
	} else if best, ok := m.leastLoaded(); ok {
		id = best
	} else {
		return
	}
	m.inflight = true
	m.ep.Call(names.Broker(id), proto.MetadataRequest{}, m.timeout, func(body any, code proto.ErrorCode) {
		if *m.stopped {
			return
		}
		m.inflight = false
		if resp, ok := body.(proto.MetadataResponse); ok && code == proto.None {
			m.lastAt = m.ep.Sim.Now()
			m.brokers = m.brokers[:0]
			for _, b := range resp.Brokers {
				m.brokers = append(m.brokers, b.NodeID)
			}
			old := m.topics
			m.topics = map[string]proto.TopicMetadata{}
			m.gen++
			for _, t := range resp.Topics {
				if t.ErrorCode != proto.None {
					continue
				}
				if m.keepEpochs {
					t = keepNewerEpochs(old[t.Name], t)
				}
				m.topics[t.Name] = t
			}
			if len(m.brokers) == 0 {
				m.brokers = nil
			}
		} else {
			m.failedAt[id] = m.ep.Sim.Now()
			m.brokers = nil // fall back to bootstrap brokers
			if len(m.waiters) > 0 && m.retryAfter > 0 {
				// Someone still needs metadata: try another broker after retry.backoff.ms.
				m.ep.Sim.After(m.retryAfter, func() {
					if !*m.stopped {
						m.refresh(nil)
					}
				})
				return
			}
		}
		ws := m.waiters
		m.waiters = nil
		for _, w := range ws {
			w()
		}
	})
}

// partitions returns the number of partitions of topic (0 if unknown).
func (m *metaCache) partitions(topic string) int { return len(m.topics[topic].Partitions) }

// leader returns the leader of a partition, or -1.
func (m *metaCache) leader(topic string, p int32) int32 {
	t, ok := m.topics[topic]
	if !ok || int(p) >= len(t.Partitions) {
		return -1
	}
	return t.Partitions[p].Leader
}

// leaderEpoch returns the leader epoch of a partition, or -1.
func (m *metaCache) leaderEpoch(topic string, p int32) int32 {
	t, ok := m.topics[topic]
	if !ok || int(p) >= len(t.Partitions) {
		return -1
	}
	return t.Partitions[p].LeaderEpoch
}

func nodeOf(id int32) sim.NodeID { return names.Broker(id) }

const reconnectBackoffMax = time.Second

// leastLoaded picks the broker to ask, like Kafka's NetworkClient
// leastLoadedNode: the candidate with the fewest requests in flight from
// this client (so a broker that stopped answering is avoided), ties broken
// round-robin.
func (m *metaCache) leastLoaded() (int32, bool) {
	c := m.candidates()
	if len(c) == 0 {
		return 0, false
	}
	best, bestLoad := int32(-1), 0
	for pass := 0; pass < 2 && best < 0; pass++ {
		for i := range c {
			id := c[(m.next+i)%len(c)]
			// Kafka skips nodes in reconnect backoff (reconnect.backoff.max.ms = 1 s).
			if t, failed := m.failedAt[id]; pass == 0 && failed && m.ep.Sim.Now()-t < reconnectBackoffMax {
				continue
			}
			load := m.ep.InFlight(nodeOf(id))
			if best < 0 || load < bestLoad {
				best, bestLoad = id, load
			}
		}
	}
	m.next++
	return best, true
}

// pickInTurn picks the broker for a metadata request in turn, skipping
// brokers whose connection failed within reconnect.backoff.max.ms.
// Simplified from NetworkClient.leastLoadedNode, which also weighs
// in-flight requests (leastLoaded).
func (m *metaCache) pickInTurn(c []int32) int32 {
	for i := range c {
		id := c[(m.next+i)%len(c)]
		if at, failed := m.failedAt[id]; !failed || m.ep.Sim.Now()-at >= reconnectBackoffMax {
			m.next += i + 1
			return id
		}
	}
	m.next++
	return c[(m.next-1)%len(c)]
}

// keepNewerEpochs refuses to go back in time (KIP-320): a partition whose
// cached leader epoch is newer than the one a (stale) broker reports keeps
// the cached leader.
func keepNewerEpochs(old, t proto.TopicMetadata) proto.TopicMetadata {
	if len(old.Partitions) == 0 {
		return t
	}
	parts := append([]proto.PartitionMetadata(nil), t.Partitions...)
	for i, p := range parts {
		if i < len(old.Partitions) && old.Partitions[i].LeaderEpoch > p.LeaderEpoch {
			parts[i] = old.Partitions[i]
		}
	}
	t.Partitions = parts
	return t
}
