package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// ConsumerOptions configure a consumer.
type ConsumerOptions struct {
	Name      string
	Config    config.Values
	Bootstrap []int32
	Topics    []string
}

// Consumed is one record a consumer read.
type Consumed struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Key       string `json:"key"`
	Value     string `json:"value"`
	Timestamp int64  `json:"timestamp"`
}

// Consumer reads every partition of its topics (manual assignment, no
// group yet): it finds each start position with ListOffsets by
// auto.offset.reset and then fetches from partition leaders in a loop.
type Consumer struct {
	name    string
	ep      *rpc.Endpoint
	trace   *trace.Trace
	cfg     config.Values
	meta    *metaCache
	topics  []string
	stopped bool

	positions map[tpKey]int64
	resetting map[tpKey]bool
	failed    map[tpKey]string
	fetching  map[int32]bool
	consumed  []Consumed
	Count     int64
	hwm       map[tpKey]int64
}

// ConsumerNode is the network name of a consumer.
func ConsumerNode(name string) sim.NodeID { return sim.NodeID("consumer-" + name) }

// NewConsumer starts a consumer.
func NewConsumer(o ConsumerOptions, s *sim.Sim, n *sim.Network, tr *trace.Trace) *Consumer {
	c := &Consumer{name: o.Name, trace: tr, cfg: o.Config, topics: append([]string(nil), o.Topics...),
		positions: map[tpKey]int64{}, resetting: map[tpKey]bool{}, failed: map[tpKey]string{}, fetching: map[int32]bool{}, hwm: map[tpKey]int64{}}
	c.ep = rpc.NewEndpoint(s, n, ConsumerNode(o.Name))
	c.meta = newMetaCache(c.ep, o.Bootstrap, &c.stopped)
	n.Register(c.ep.ID, func(from sim.NodeID, msg any) { c.ep.Deliver(from, msg) })
	c.emit("consumer_started", fmt.Sprintf("consumer %s reads %v with auto.offset.reset=%s", o.Name, o.Topics, o.Config.String("auto.offset.reset")), nil)
	c.meta.refresh(c.poll)
	c.refreshLoop()
	return c
}

func (c *Consumer) emit(kind, msg string, data map[string]any) {
	c.trace.Emit(trace.Event{Kind: kind, Node: string(c.ep.ID), Msg: msg, Data: data})
}

func (c *Consumer) backoff() time.Duration {
	return time.Duration(c.cfg.Int64("retry.backoff.ms")) * time.Millisecond
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

// Name is the consumer's name.
func (c *Consumer) Name() string { return c.name }

// Records lists consumed records in order.
func (c *Consumer) Records() []Consumed { return c.consumed }

// Positions returns the next offset per partition, as "topic-p" keys.
func (c *Consumer) Positions() map[string]int64 {
	out := map[string]int64{}
	for k, v := range c.positions {
		out[fmt.Sprintf("%s-%d", k.topic, k.part)] = v
	}
	return out
}

// Close stops the consumer.
func (c *Consumer) Close() {
	c.stopped = true
	c.ep.Reset()
	c.emit("consumer_closed", fmt.Sprintf("consumer %s closed after %d records", c.name, c.Count), nil)
}

func (c *Consumer) assigned() []tpKey {
	var out []tpKey
	for _, t := range c.topics {
		for i := 0; i < c.meta.partitions(t); i++ {
			out = append(out, tpKey{t, int32(i)})
		}
	}
	return out
}

// poll is the consumer's loop body: reset positions, then fetch from every
// leader that has no fetch in flight.
func (c *Consumer) poll() {
	if c.stopped {
		return
	}
	byLeader := map[int32][]tpKey{}
	var leaders []int32
	for _, k := range c.assigned() {
		if _, bad := c.failed[k]; bad {
			continue
		}
		leader := c.meta.leader(k.topic, k.part)
		if leader < 0 {
			continue
		}
		if _, ok := c.positions[k]; !ok {
			c.resetPosition(k, leader)
			continue
		}
		if len(byLeader[leader]) == 0 {
			leaders = append(leaders, leader)
		}
		byLeader[leader] = append(byLeader[leader], k)
	}
	sort.Slice(leaders, func(i, j int) bool { return leaders[i] < leaders[j] })
	for _, id := range leaders {
		if !c.fetching[id] {
			c.fetch(id, byLeader[id])
		}
	}
}

func (c *Consumer) resetPosition(k tpKey, leader int32) {
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
		c.emit("consumer_error", fmt.Sprintf("consumer %s has no offset for %s-%d and auto.offset.reset=none: NoOffsetForPartitionException", c.name, k.topic, k.part),
			map[string]any{"topic": k.topic, "partition": k.part, "error": "NoOffsetForPartitionException"})
		return
	}
	c.resetting[k] = true
	req := proto.ListOffsetsRequest{ReplicaID: -1, Topics: []proto.ListOffsetsTopic{{Name: k.topic,
		Partitions: []proto.ListOffsetsPartition{{Index: k.part, CurrentLeaderEpoch: -1, Timestamp: ts}}}}}
	c.ep.Call(nodeOf(leader), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		c.resetting[k] = false
		resp, ok := body.(proto.ListOffsetsResponse)
		if code != proto.None || !ok || len(resp.Topics) == 0 || len(resp.Topics[0].Partitions) == 0 || resp.Topics[0].Partitions[0].ErrorCode != proto.None {
			c.meta.refresh(nil)
			c.ep.Sim.After(c.backoff(), c.poll)
			return
		}
		off := resp.Topics[0].Partitions[0].Offset
		c.positions[k] = off
		c.emit("position_reset", fmt.Sprintf("consumer %s starts %s-%d at offset %d (auto.offset.reset=%s)", c.name, k.topic, k.part, off, c.cfg.String("auto.offset.reset")),
			map[string]any{"topic": k.topic, "partition": k.part, "offset": off})
		c.poll()
	})
}

func (c *Consumer) requestTimeout() time.Duration {
	return time.Duration(c.cfg.Int64("request.timeout.ms")) * time.Millisecond
}

func (c *Consumer) fetch(leader int32, parts []tpKey) {
	req := proto.FetchRequest{ReplicaID: -1, MaxWaitMs: int32(c.cfg.Int64("fetch.max.wait.ms")), MinBytes: int32(c.cfg.Int64("fetch.min.bytes")),
		MaxBytes: int32(c.cfg.Int64("fetch.max.bytes"))}
	if c.cfg.String("isolation.level") == "read_committed" {
		req.IsolationLevel = 1
	}
	idx := map[string]int{}
	for _, k := range parts {
		i, ok := idx[k.topic]
		if !ok {
			i = len(req.Topics)
			idx[k.topic] = i
			req.Topics = append(req.Topics, proto.FetchTopic{Name: k.topic})
		}
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, proto.FetchPartition{Index: k.part, CurrentLeaderEpoch: -1,
			FetchOffset: c.positions[k], LastFetchedEpoch: -1, PartitionMaxBytes: int32(c.cfg.Int64("max.partition.fetch.bytes"))})
	}
	c.fetching[leader] = true
	c.ep.Call(nodeOf(leader), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		c.fetching[leader] = false
		resp, ok := body.(proto.FetchResponse)
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
	})
}

func (c *Consumer) handleFetch(resp proto.FetchResponse) (retryLater bool) {
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			k := tpKey{t.Name, pr.Index}
			switch pr.ErrorCode {
			case proto.None:
			case proto.OffsetOutOfRange:
				c.emit("offset_out_of_range", fmt.Sprintf("consumer %s: offset %d of %s-%d is out of range (log start %d); auto.offset.reset=%s decides", c.name, c.positions[k], k.topic, k.part, pr.LogStartOffset, c.cfg.String("auto.offset.reset")),
					map[string]any{"topic": k.topic, "partition": k.part, "offset": c.positions[k], "error": "OFFSET_OUT_OF_RANGE"})
				delete(c.positions, k)
				continue
			default:
				c.meta.refresh(nil)
				retryLater = true
				continue
			}
			c.hwm[k] = pr.HighWatermark
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
					c.consumed = append(c.consumed, Consumed{Topic: k.topic, Partition: k.part, Offset: off, Key: string(r.Key), Value: string(r.Value), Timestamp: bt.RecordTimestamp(i)})
					c.Count++
					pos = off + 1
				}
				if bt.NextOffset() > pos {
					pos = bt.NextOffset()
				}
			}
			if pos != c.positions[k] {
				c.emit("consumed", "", map[string]any{"topic": k.topic, "partition": k.part, "from": c.positions[k], "to": pos})
			}
			c.positions[k] = pos
		}
	}
	return retryLater
}

// Lag returns per-partition HWM − position as last seen.
func (c *Consumer) Lag() map[string]int64 {
	out := map[string]int64{}
	for k, h := range c.hwm {
		out[fmt.Sprintf("%s-%d", k.topic, k.part)] = h - c.positions[k]
	}
	return out
}
