package controller

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// ValidTopicName applies Kafka's topic name rules (Topic.validate).
func ValidTopicName(name string) error {
	if name == "" {
		return fmt.Errorf("topic name is empty")
	}
	if name == "." || name == ".." {
		return fmt.Errorf("topic name cannot be %q", name)
	}
	if len(name) > 249 {
		return fmt.Errorf("topic name is longer than 249 characters")
	}
	for _, r := range name {
		if !(r == '.' || r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return fmt.Errorf("topic name %q has %q: only ASCII letters, digits, '.', '_' and '-' are legal", name, r)
		}
	}
	return nil
}

func (c *Controller) handleCreateTopics(b proto.CreateTopicsRequest) proto.CreateTopicsResponse {
	var resp proto.CreateTopicsResponse
	for _, t := range b.Topics {
		code, msg := c.createTopic(t)
		resp.Topics = append(resp.Topics, proto.CreatableTopicResult{Name: t.Name, ErrorCode: code, ErrorMessage: msg})
	}
	return resp
}

func (c *Controller) createTopic(t proto.CreatableTopic) (proto.ErrorCode, string) {
	if err := ValidTopicName(t.Name); err != nil {
		return proto.InvalidTopicException, err.Error()
	}
	if c.image.Topics[t.Name] != nil {
		return proto.TopicAlreadyExists, fmt.Sprintf("topic %q already exists", t.Name)
	}
	n := t.NumPartitions
	if n == -1 {
		n = int32(c.cfg.Int64("num.partitions"))
	}
	rf := t.ReplicationFactor
	if rf == -1 {
		rf = int16(c.cfg.Int64("default.replication.factor"))
	}
	if n < 1 {
		return proto.InvalidPartitions, fmt.Sprintf("number of partitions must be at least 1, got %d", n)
	}
	live := c.unfencedBrokers()
	if rf < 1 || int(rf) > len(live) {
		return proto.InvalidReplicationFactor, fmt.Sprintf("replication factor %d is below 1 or larger than the %d available brokers", rf, len(live))
	}
	if _, err := config.Parse(config.Topic, t.Configs); err != nil {
		return proto.InvalidConfig, err.Error()
	}
	if v, ok := t.Configs["min.insync.replicas"]; ok {
		if m, _ := strconv.Atoi(v); m > int(rf) {
			// Kafka accepts this, but acks=all can then never succeed: say so.
			c.emit("config_warning", fmt.Sprintf("topic %s: min.insync.replicas=%d exceeds replication factor %d, so acks=all produce will always fail", t.Name, m, rf), nil)
		}
	}
	c.append(metadata.Record{Topic: &metadata.TopicRecord{Name: t.Name, Configs: t.Configs}})
	assignment := c.place(live, int(n), int(rf))
	for p, replicas := range assignment {
		c.append(metadata.Record{Partition: &metadata.PartitionRecord{Topic: t.Name, Partition: int32(p),
			Replicas: replicas, ISR: append([]int32(nil), replicas...), Leader: replicas[0]}})
	}
	c.trace.Emit(trace.Event{Kind: "topic_created", Node: string(c.ep.ID), Topic: t.Name,
		Msg:  fmt.Sprintf("topic %s created with %d partitions, replication factor %d (committed once a majority of controllers has it)", t.Name, n, rf),
		Data: map[string]any{"topic": t.Name, "partitions": n, "replication_factor": rf, "assignment": assignment}})
	return proto.None, ""
}

func (c *Controller) unfencedBrokers() []int32 {
	var out []int32
	for _, id := range c.image.BrokerIDs() {
		if c.usable(id) {
			out = append(out, id)
		}
	}
	return out
}

// place assigns replicas like Kafka's classic assignReplicasToBrokers: a
// random start and shift spread leaders and followers evenly, and brokers
// are interleaved by rack first so replicas of a partition land on
// different racks. (Simplified from KRaft's StripedReplicaPlacer.)
func (c *Controller) place(brokers []int32, partitions, rf int) [][]int32 {
	ordered := c.rackAlternated(brokers)
	nb := len(ordered)
	start := c.rand.Intn(nb)
	shift := c.rand.Intn(nb)
	out := make([][]int32, partitions)
	for p := 0; p < partitions; p++ {
		if p > 0 && p%nb == 0 {
			shift++
		}
		first := (p + start) % nb
		replicas := []int32{ordered[first]}
		for j := 0; j < rf-1; j++ {
			idx := (first + 1 + (shift+j)%(nb-1)) % nb
			replicas = append(replicas, ordered[idx])
		}
		out[p] = replicas
	}
	return out
}

func (c *Controller) rackAlternated(brokers []int32) []int32 {
	byRack := map[string][]int32{}
	var racks []string
	for _, id := range brokers {
		r := c.image.Brokers[id].Rack
		if _, ok := byRack[r]; !ok {
			racks = append(racks, r)
		}
		byRack[r] = append(byRack[r], id)
	}
	if len(racks) <= 1 {
		return brokers
	}
	sort.Strings(racks)
	var out []int32
	for i := 0; len(out) < len(brokers); i++ {
		for _, r := range racks {
			if i < len(byRack[r]) {
				out = append(out, byRack[r][i])
			}
		}
	}
	return out
}

func traceEvent(c *Controller, kind string, p *metadata.Partition, msg string, data map[string]any) trace.Event {
	return trace.Event{Kind: kind, Node: string(c.ep.ID), Topic: p.Topic, Partition: trace.P(p.Index), Msg: msg, Data: data}
}
