package client

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// A consumer without group.id reads every partition of its topics, like
// KafkaConsumer.assign() over all of them: no coordinator, no commits.

func (c *Consumer) startManual(o ConsumerOptions, s *sim.Sim, n *sim.Network) {
	c.ep = rpc.NewEndpoint(s, n, names.Consumer(o.Name))
	c.meta = newMetaCache(c.ep, o.Bootstrap, &c.stopped)
	n.Register(c.ep.ID, func(from sim.NodeID, msg any) { c.ep.Deliver(from, msg) })
	c.emit("consumer_started", fmt.Sprintf("consumer %s reads %v with auto.offset.reset=%s", o.Name, o.Topics, o.Config.String("auto.offset.reset")), nil)
	c.meta.refresh(c.poll)
	c.refreshLoop()
}

// refreshLoop refreshes metadata every second so new partitions and leader
// moves are seen (Kafka: metadata.max.age.ms or on errors; sped up here).
func (c *Consumer) refreshLoop() {
	c.ep.Sim.After(time.Second, func() {
		if c.stopped {
			return
		}
		c.meta.refresh(c.poll)
		c.refreshLoop()
	})
}

// assigned appends every partition of the consumer's topics to out.
func (c *Consumer) assigned(out []names.TopicPartition) []names.TopicPartition {
	for _, t := range c.topics {
		for i := 0; i < c.meta.partitions(t); i++ {
			out = append(out, names.TopicPartition{Topic: t, Partition: int32(i)})
		}
	}
	return out
}

// pollBuffers are poll's scratch slices, kept between polls.
type pollBuffers struct {
	assigned []names.TopicPartition
	ready    []leaderTP
	parts    []names.TopicPartition
}

// leaderTP is a partition ready to fetch from its leader.
type leaderTP struct {
	leader int32
	tp     names.TopicPartition
}

// poll is the manual consumer's loop body: reset positions, then fetch from
// every leader that has no fetch in flight.
func (c *Consumer) poll() {
	if c.stopped {
		return
	}
	buf := c.pollBuf
	c.pollBuf = pollBuffers{} // a poll run from inside this one gets its own
	buf.assigned = c.assigned(buf.assigned[:0])
	ready := buf.ready[:0]
	for _, k := range buf.assigned {
		if _, bad := c.failed[k]; bad {
			continue
		}
		leader := c.meta.leader(k.Topic, k.Partition)
		if leader < 0 {
			continue
		}
		if _, ok := c.positions[k]; !ok {
			c.resetPosition(k, leader)
			continue
		}
		ready = append(ready, leaderTP{leader, k})
	}
	// by leader; each leader's partitions stay in assignment order
	sort.SliceStable(ready, func(i, j int) bool { return ready[i].leader < ready[j].leader })
	for i := 0; i < len(ready); {
		id, j := ready[i].leader, i
		parts := buf.parts[:0]
		for ; j < len(ready) && ready[j].leader == id; j++ {
			parts = append(parts, ready[j].tp)
		}
		buf.parts = parts
		if !c.fetching[id] {
			c.fetch(id, parts)
		}
		i = j
	}
	buf.ready = ready
	c.pollBuf = buf
}

func (c *Consumer) resetPosition(k names.TopicPartition, leader int32) {
	if c.resetting[k] {
		return
	}
	var ts int64
	switch c.cfg.String("auto.offset.reset") {
	case "earliest":
		ts = proto.EarliestTimestamp
	case "latest":
		ts = proto.LatestTimestamp
	default:
		c.failed[k] = "NoOffsetForPartitionException"
		c.emit("consumer_error", fmt.Sprintf("consumer %s has no offset for %s and auto.offset.reset=none: NoOffsetForPartitionException", c.name, k),
			map[string]any{"topic": k.Topic, "partition": k.Partition, "error": "NoOffsetForPartitionException"})
		return
	}
	c.listOffset(k, leader, ts, func(off int64, ok bool) {
		if !ok {
			c.ep.Sim.After(c.backoff(), c.poll)
			return
		}
		c.positions[k] = off
		c.emit("position_reset", fmt.Sprintf("consumer %s starts %s at offset %d (auto.offset.reset=%s)", c.name, k, off, c.cfg.String("auto.offset.reset")),
			map[string]any{"topic": k.Topic, "partition": k.Partition, "offset": off})
		c.poll()
	})
}

func (c *Consumer) fetch(leader int32, parts []names.TopicPartition) {
	req := c.fetchRequest(parts)
	c.fetching[leader] = true
	done := c.fetchDone[leader] // one callback per leader, made once
	if done == nil {
		done = func(body any, code proto.ErrorCode) { c.fetched(leader, body, code) }
		c.fetchDone[leader] = done
	}
	c.ep.Call(nodeOf(leader), c.fetchCells.Put(req), c.requestTimeout(), done)
}

// fetched handles the answer to a fetch from leader.
func (c *Consumer) fetched(leader int32, body any, code proto.ErrorCode) {
	if c.stopped {
		return
	}
	c.fetching[leader] = false
	resp, ok := proto.TakeFetchResponse(body)
	if code != proto.None || !ok {
		c.meta.refresh(nil)
		c.ep.Sim.After(c.backoff(), c.poll)
		return
	}
	retryLater := c.handleFetch(resp)
	if retryLater {
		c.ep.Sim.After(c.backoff(), c.poll)
		return
	}
	c.poll()
}

// fetchRequest builds a consumer Fetch for parts at their positions: the
// topics in the order they first appear in parts, each with its
// partitions in parts' order. Its arrays are carved from slabs shared by
// many requests (the broker may hold a request in purgatory; carved
// arrays are never reused, only allocated together).
func (c *Consumer) fetchRequest(parts []names.TopicPartition) proto.FetchRequest {
	f := c.fetchSettings()
	req := proto.FetchRequest{ReplicaID: -1, MaxWaitMs: f.maxWait, MinBytes: f.minBytes, MaxBytes: f.maxBytes, IsolationLevel: f.isolation}
	if len(parts) == 0 {
		return req
	}
	// Count each topic's partitions, topics in order of first appearance.
	topicNames, counts := c.reqScratch.names[:0], c.reqScratch.counts[:0]
	for _, k := range parts {
		i := slices.Index(topicNames, k.Topic)
		if i < 0 {
			topicNames, counts = append(topicNames, k.Topic), append(counts, 0)
			i = len(topicNames) - 1
		}
		counts[i]++
	}
	req.Topics = c.reqScratch.topics.carve(len(topicNames))
	for i, name := range topicNames {
		req.Topics = append(req.Topics, proto.FetchTopic{Name: name, Partitions: c.reqScratch.parts.carve(counts[i])})
	}
	for _, k := range parts {
		i := 0
		if len(topicNames) > 1 {
			i = slices.Index(topicNames, k.Topic)
		}
		// The leader epoch from metadata fences a deposed leader (KIP-320):
		// it answers FENCED_LEADER_EPOCH instead of serving a stale log.
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, proto.FetchPartition{Index: k.Partition, CurrentLeaderEpoch: c.meta.leaderEpoch(k.Topic, k.Partition),
			FetchOffset: c.positions[k], LastFetchedEpoch: -1, PartitionMaxBytes: f.partitionMax})
	}
	clear(topicNames) // do not pin topic names
	c.reqScratch.names, c.reqScratch.counts = topicNames[:0], counts[:0]
	return req
}

// fetchScratch is fetchRequest's reused space and its slabs.
type fetchScratch struct {
	names  []string
	counts []int
	topics slab[proto.FetchTopic]
	parts  slab[proto.FetchPartition]
}

// slab hands out small arrays carved from larger allocations, for values
// that are written once and then only read (requests on the wire).
type slab[T any] struct{ buf []T }

// slabLen is how many items one slab allocation holds.
const slabLen = 128

// carve returns an empty slice with room for exactly n items.
func (s *slab[T]) carve(n int) []T {
	if n > cap(s.buf)-len(s.buf) {
		s.buf = make([]T, 0, max(n, slabLen))
	}
	start := len(s.buf)
	s.buf = s.buf[:start+n]
	return s.buf[start : start : start+n]
}

// fetchConfig is the consumer's fetch settings, read from its configs once
// (a consumer's configs do not change while it runs).
type fetchConfig struct {
	maxWait, minBytes, maxBytes, partitionMax int32
	isolation                                 int8
	maxPollRecords                            int
	requestTimeout                            time.Duration
	read                                      bool
}

func (c *Consumer) fetchSettings() *fetchConfig {
	f := &c.fetchCfg
	if !f.read {
		*f = fetchConfig{maxWait: int32(c.cfg.Int64("fetch.max.wait.ms")), minBytes: int32(c.cfg.Int64("fetch.min.bytes")),
			maxBytes: int32(c.cfg.Int64("fetch.max.bytes")), partitionMax: int32(c.cfg.Int64("max.partition.fetch.bytes")),
			maxPollRecords: int(c.cfg.Int64("max.poll.records")),
			requestTimeout: time.Duration(c.cfg.Int64("request.timeout.ms")) * time.Millisecond, read: true}
		if c.cfg.String("isolation.level") == "read_committed" {
			f.isolation = 1
		}
	}
	return f
}

func (c *Consumer) handleFetch(resp proto.FetchResponse) (retryLater bool) {
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			k := names.TopicPartition{Topic: t.Name, Partition: pr.Index}
			switch pr.ErrorCode {
			case proto.None:
			case proto.OffsetOutOfRange:
				c.emit("offset_out_of_range", fmt.Sprintf("consumer %s: offset %d of %s is out of range (log start %d); auto.offset.reset=%s decides", c.name, c.positions[k], k, pr.LogStartOffset, c.cfg.String("auto.offset.reset")),
					map[string]any{"topic": k.Topic, "partition": k.Partition, "offset": c.positions[k], "error": "OFFSET_OUT_OF_RANGE"})
				delete(c.positions, k)
				continue
			default:
				c.meta.refresh(nil)
				retryLater = true
				continue
			}
			c.hwm[k] = pr.HighWatermark
			if c.cfg.String("isolation.level") == "read_committed" {
				c.hwm[k] = pr.LastStableOffset // SubscriptionState.partitionLag: LSO − position
			}
			pos := c.positions[k]
			for _, bt := range pr.Batches {
				if bt.IsControl() {
					pos = bt.NextOffset()
					continue
				}
				for i, r := range bt.Records {
					off := bt.BaseOffset + int64(r.OffsetDelta)
					if off < pos {
						continue
					}
					if c.keep {
						key, value := keyValue(r.Key, r.Value)
						c.consumed.add(Consumed{Topic: k.Topic, Partition: k.Partition, Offset: off, Key: key, KeyNull: r.Key == nil, Value: value, Timestamp: bt.RecordTimestamp(i)})
					}
					c.Count++
					pos = off + 1
				}
				if bt.NextOffset() > pos {
					pos = bt.NextOffset()
				}
			}
			if pos != c.positions[k] {
				c.emit("consumed", "", map[string]any{"topic": k.Topic, "partition": k.Partition, "from": c.positions[k], "to": pos})
			}
			c.positions[k] = pos
		}
	}
	return retryLater
}

// listOffset asks a partition's leader for the offset at ts (earliest or
// latest), marking the partition as resetting meanwhile; on failure it
// refreshes metadata and reports ok=false.
func (c *Consumer) listOffset(k names.TopicPartition, leader int32, ts int64, done func(off int64, ok bool)) {
	c.resetting[k] = true
	req := proto.ListOffsetsRequest{ReplicaID: -1, Topics: []proto.ListOffsetsTopic{{Name: k.Topic,
		Partitions: []proto.ListOffsetsPartition{{Index: k.Partition, CurrentLeaderEpoch: c.meta.leaderEpoch(k.Topic, k.Partition), Timestamp: ts}}}}}
	c.ep.Call(nodeOf(leader), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		c.resetting[k] = false
		resp, ok := body.(proto.ListOffsetsResponse)
		if code != proto.None || !ok || len(resp.Topics) == 0 || len(resp.Topics[0].Partitions) == 0 || resp.Topics[0].Partitions[0].ErrorCode != proto.None {
			c.meta.refresh(nil)
			done(0, false)
			return
		}
		done(resp.Topics[0].Partitions[0].Offset, true)
	})
}
