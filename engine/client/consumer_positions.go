package client

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// initPositions fetches committed offsets for owned partitions without a
// position; where none is committed, auto.offset.reset decides.
func (g *groupClient) initPositions() {
	c := g.c
	if g.positioned {
		return // nothing to look up, as the loop below would find
	}
	var need []names.TopicPartition
	missing := false
	for _, k := range g.ownedTPs() {
		if _, ok := c.positions[k]; ok {
			continue
		}
		missing = true
		if g.needReset[k] != 0 {
			g.resetPosition(k)
			continue
		}
		need = append(need, k)
	}
	if !missing {
		// Every owned partition has a position until one is dropped
		// (unposition) or the assignment grows (own).
		g.positioned = true
	}
	if len(need) == 0 || g.offsetsBusy || g.coordinator < 0 {
		return
	}
	g.offsetsBusy = true
	req := proto.OffsetFetchRequest{GroupID: g.groupID, RequireStable: g.readCommitted}
	for _, k := range need {
		if n := len(req.Topics); n > 0 && req.Topics[n-1].Name == k.Topic {
			req.Topics[n-1].PartitionIndexes = append(req.Topics[n-1].PartitionIndexes, k.Partition)
			continue
		}
		req.Topics = append(req.Topics, proto.OffsetFetchTopic{Name: k.Topic, PartitionIndexes: []int32{k.Partition}})
	}
	ce := g.coordEpoch
	c.ep.Call(nodeOf(g.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		g.offsetsBusy = false
		resp, ok := body.(proto.OffsetFetchResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			if ce == g.coordEpoch {
				g.coordinatorLost(fmt.Sprintf("OffsetFetch failed: %s", firstCode(code, resp.ErrorCode)))
			}
			return
		}
		retry := false
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				k := names.TopicPartition{Topic: t.Name, Partition: p.Index}
				if !g.owned[k] {
					continue
				}
				if _, has := c.positions[k]; has {
					continue
				}
				switch {
				case p.ErrorCode == proto.UnstableOffsetCommit:
					retry = true
				case p.ErrorCode != proto.None:
					retry = true
				case p.CommittedOffset >= 0:
					c.positions[k] = p.CommittedOffset
					g.committed[k] = p.CommittedOffset
					c.emit("position_restored", fmt.Sprintf("consumer %s resumes %s at the committed offset %d", c.name, k, p.CommittedOffset),
						map[string]any{"group": g.groupID, "topic": k.Topic, "partition": k.Partition, "offset": p.CommittedOffset})
				default:
					g.needReset[k] = noCommittedOffset
					g.positioned = false
				}
			}
		}
		if retry {
			g.after(c.backoff(), g.wake)
			return
		}
		g.wake()
	})
}

func firstCode(codes ...proto.ErrorCode) proto.ErrorCode {
	for _, c := range codes {
		if c != proto.None {
			return c
		}
	}
	return proto.None
}

// resetCause is why a partition's position needs auto.offset.reset.
type resetCause uint8

const (
	noCommittedOffset resetCause = iota + 1 // OffsetFetch found none for the group
	outOfRange                              // the fetch position left the log (OFFSET_OUT_OF_RANGE)
)

// why is the reset's reason as position_reset says it.
func (r resetCause) why() string {
	if r == outOfRange {
		return "its position was out of range"
	}
	return "no committed offset"
}

// resetPosition applies auto.offset.reset (ListOffsets on the leader); with
// "none" poll() throws NoOffsetForPartitionException (an out-of-range
// position never gets here with "none": fetchedOutOfRange throws).
func (g *groupClient) resetPosition(k names.TopicPartition) {
	c := g.c
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
		g.fail(fmt.Sprintf("NoOffsetForPartitionException: no committed offset for %s and auto.offset.reset=none", k))
		return
	}
	leader := c.meta.leader(k.Topic, k.Partition)
	if leader < 0 {
		g.retryLater()
		return
	}
	c.listOffset(k, leader, ts, func(off int64, ok bool) {
		if !ok {
			g.after(c.backoff(), g.wake)
			return
		}
		if !g.owned[k] || g.needReset[k] == 0 {
			return
		}
		why := g.needReset[k].why()
		delete(g.needReset, k)
		c.positions[k] = off
		c.emit("position_reset", fmt.Sprintf("consumer %s starts %s at offset %d (%s; auto.offset.reset=%s)", c.name, k, off, why, c.cfg.String("auto.offset.reset")),
			map[string]any{"group": g.groupID, "topic": k.Topic, "partition": k.Partition, "offset": off})
		g.wake()
	})
}

// fetchedOutOfRange handles OFFSET_OUT_OF_RANGE for a fetch from pos:
// with a reset policy the position is reset by it; with
// auto.offset.reset=none poll() throws OffsetOutOfRangeException (Kafka's
// FetchCollector), not NoOffsetForPartitionException: the group may well
// have a committed offset.
func (g *groupClient) fetchedOutOfRange(k names.TopicPartition, pos int64) {
	c := g.c
	if c.cfg.String("auto.offset.reset") == "none" {
		g.fail(fmt.Sprintf("OffsetOutOfRangeException: Fetch position %d is out of range for partition %s", pos, k))
		return
	}
	g.unposition(k)
	g.needReset[k] = outOfRange
}
