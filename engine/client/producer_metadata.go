package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/sim"
)

// producerMetadata is Kafka's ProducerMetadata: the cluster view the
// producer sends by (meta), refreshed through metaCache.refresh like every
// client's, with the producer's policy (producerMetaPolicy), and at least
// every metadata.max.age.ms. Its methods are the Producer's. Simplified:
// it asks for every topic, not only the ones the producer uses.
type producerMetadata struct {
	meta           *metaCache
	metadataMaxAge time.Duration
	metaSeen       bool // a response arrived: metadata-age is meaningful
	metaTimer      *sim.Timer
}

// producerMetaPolicy is how the producer's metadata requests go, as
// Kafka's Sender and NetworkClient send them: bounded by
// request.timeout.ms, to brokers in turn skipping those whose connection
// (metadata or produce) failed within reconnect.backoff.max.ms; a failure
// runs the waiters at once, and they retry after retry.backoff.ms
// (requestMetadata, retryMetadata). Simplified: no KIP-320 epoch check.
func (p *Producer) producerMetaPolicy() {
	p.meta.metaPolicy = metaPolicy{timeout: p.requestTimeout, inTurn: true}
	p.meta.failedAt = p.connFailed // the sender's failed connections count too
}

// scheduleMetadataRefresh refreshes metadata at least every
// metadata.max.age.ms, as Kafka's Metadata does even when nothing fails.
// Simplified: ages below 100 ms count as 100 ms.
func (p *Producer) scheduleMetadataRefresh() {
	age := max(p.metadataMaxAge, 100*time.Millisecond)
	at := p.meta.lastAt + age
	if at <= p.now() {
		at = p.now() + age
	}
	p.metaTimer = p.ep.Sim.Schedule(at, func() {
		if p.stopped {
			return
		}
		if p.now()-p.meta.lastAt >= age {
			p.meta.refresh(p.onMetadata)
		}
		p.scheduleMetadataRefresh()
	})
}

// onMetadata runs after every metadata refresh: it notes partition count
// changes (keyed records now map over the new count) and wakes the sender.
func (p *Producer) onMetadata() {
	if p.stopped {
		return
	}
	p.metaSeen = p.metaSeen || p.meta.lastAt > 0 || len(p.meta.topics) > 0
	for _, topic := range sortedTopics(p.partCount) {
		was, now := p.partCount[topic], p.meta.partitions(topic)
		if now > 0 && now != was {
			p.partCount[topic] = now
			p.emit("producer_metadata", fmt.Sprintf("producer %s sees %d partitions of %s (was %d): keys now hash over %d partitions, so some keys move", p.name, now, topic, was, now),
				map[string]any{"topic": topic, "partitions": now, "was": was})
		}
	}
	p.wakeup()
}

func sortedTopics(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// metadata brings t's copy of the topic's metadata up to date.
func (m *producerMetadata) metadata(t *topicQueues) *topicQueues {
	if t.gen == m.meta.gen {
		return t
	}
	md := m.meta.topics[t.name]
	t.gen, t.n = m.meta.gen, len(md.Partitions)
	t.leaders, t.epochs, t.avail = t.leaders[:0], t.epochs[:0], t.avail[:0]
	for i, pm := range md.Partitions {
		t.leaders = append(t.leaders, pm.Leader)
		t.epochs = append(t.epochs, pm.LeaderEpoch)
		if pm.Leader >= 0 {
			t.avail = append(t.avail, i)
		}
	}
	return t
}
