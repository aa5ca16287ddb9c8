package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// producerMetadata is Kafka's ProducerMetadata: the cluster view the
// producer sends by (meta), kept fresh by one Metadata request at a time,
// at least every metadata.max.age.ms. Its methods are the Producer's.
// Simplified: it asks for every topic, not only the ones the producer uses.
type producerMetadata struct {
	meta           *metaCache
	metadataMaxAge time.Duration
	metaInflight   bool
	metaWaiters    []func()
	metaSeen       bool // a response arrived: metadata-age is meaningful
	metaTimer      *sim.Timer
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
			p.refreshMetadata(p.onMetadata)
		}
		p.scheduleMetadataRefresh()
	})
}

// refreshMetadata is the producer's Metadata request: one at a time, to
// the next known broker, bounded by request.timeout.ms like every request
// of Kafka's NetworkClient; the waiters run when it ends, however it ends.
// It fills the same cache as metaCache.refresh.
func (p *Producer) refreshMetadata(done func()) {
	if done != nil {
		p.metaWaiters = append(p.metaWaiters, done)
	}
	m := p.meta
	c := m.candidates()
	if p.metaInflight || len(c) == 0 {
		return
	}
	id := p.leastLoaded(c)
	p.metaInflight = true
	p.ep.Call(nodeOf(id), proto.MetadataRequest{}, p.requestTimeout, func(body any, code proto.ErrorCode) {
		if p.stopped {
			return
		}
		p.metaInflight = false
		if resp, ok := body.(proto.MetadataResponse); ok && code == proto.None {
			m.lastAt = p.now()
			m.brokers = nil
			for _, b := range resp.Brokers {
				m.brokers = append(m.brokers, b.NodeID)
			}
			m.topics = map[string]proto.TopicMetadata{}
			m.gen++
			for _, t := range resp.Topics {
				if t.ErrorCode == proto.None {
					m.topics[t.Name] = t
				}
			}
		} else {
			p.connFailed[id] = p.now()
			m.brokers = nil // fall back to the bootstrap brokers
		}
		ws := p.metaWaiters
		p.metaWaiters = nil
		for _, w := range ws {
			w()
		}
	})
}

// leastLoaded picks the broker for a metadata request, in turn, skipping
// brokers whose connection failed within reconnect.backoff.max.ms (1 s).
// Simplified from NetworkClient.leastLoadedNode, which also weighs
// in-flight requests.
func (p *Producer) leastLoaded(c []int32) int32 {
	for i := range c {
		id := c[(p.meta.next+i)%len(c)]
		if at, failed := p.connFailed[id]; !failed || p.now()-at >= time.Second {
			p.meta.next += i + 1
			return id
		}
	}
	p.meta.next++
	return c[(p.meta.next-1)%len(c)]
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
