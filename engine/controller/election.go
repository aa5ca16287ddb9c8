package controller

import (
	"fmt"
	"sort"

	"github.com/brokerlab/brokerlab/engine/metadata"
)

func (c *Controller) usable(id int32) bool {
	b := c.image.Brokers[id]
	return b != nil && !b.Fenced
}

func (c *Controller) uncleanAllowed(t *metadata.Topic) bool {
	if v, ok := t.Configs["unclean.leader.election.enable"]; ok {
		return v == "true"
	}
	return c.cfg.Bool("unclean.leader.election.enable")
}

// electOffline elects a leader for every partition that has none, if it can:
// the first replica in assignment order that is in the ISR and unfenced;
// with unclean election allowed, failing that, the first unfenced replica.
func (c *Controller) electOffline() {
	for _, tn := range c.image.TopicNames() {
		t := c.image.Topics[tn]
		for _, p := range t.Partitions {
			if p.Leader >= 0 && c.usable(p.Leader) {
				continue
			}
			leader, isr, unclean := c.chooseLeader(t, p)
			if leader < 0 {
				if p.Leader >= 0 {
					c.changePartition(p, -1, p.ISR, "no in-sync replica is available: the partition is offline")
				}
				continue
			}
			why := fmt.Sprintf("broker %d is the first in-sync, unfenced replica", leader)
			if unclean {
				why = fmt.Sprintf("UNCLEAN election: broker %d was not in the ISR %v; records it never received are lost", leader, p.ISR)
			}
			c.changePartitionUnclean(p, leader, isr, why, unclean)
		}
	}
}

func (c *Controller) chooseLeader(t *metadata.Topic, p *metadata.Partition) (int32, []int32, bool) {
	for _, r := range p.Replicas {
		if metadata.Contains(p.ISR, r) && c.usable(r) {
			return r, p.ISR, false
		}
	}
	if c.uncleanAllowed(t) {
		for _, r := range p.Replicas {
			if c.usable(r) {
				return r, []int32{r}, true
			}
		}
	}
	return -1, nil, false
}

func (c *Controller) changePartition(p *metadata.Partition, leader int32, isr []int32, why string) {
	c.changePartitionUnclean(p, leader, isr, why, false)
}

func (c *Controller) changePartitionUnclean(p *metadata.Partition, leader int32, isr []int32, why string, unclean bool) {
	isr = append([]int32(nil), isr...)
	sort.Slice(isr, func(i, j int) bool { return isr[i] < isr[j] })
	oldLeader := p.Leader // p is updated in place by append below
	epoch := p.LeaderEpoch
	if leader != p.Leader && leader >= 0 {
		epoch++
	}
	ch := &metadata.PartitionChange{Topic: p.Topic, Partition: p.Index, Leader: leader, ISR: isr,
		LeaderEpoch: epoch, PartitionEpoch: p.PartitionEpoch + 1, Unclean: unclean}
	c.append(metadata.Record{PartitionChange: ch})
	kind := "partition_changed"
	if leader != oldLeader {
		kind = "leader_elected"
		if leader < 0 {
			kind = "partition_offline"
		}
	}
	c.trace.Emit(traceEvent(c, kind, p, why, map[string]any{"leader": leader, "previous_leader": oldLeader, "leader_epoch": epoch, "isr": isr, "unclean": unclean}))
}

// ElectPreferred moves leadership of every partition (of topic, or of all
// topics when empty) back to its preferred replica — the first in the
// assignment — when that replica is in the ISR and unfenced
// (kafka-leader-election --election-type PREFERRED; Kafka also does it
// every leader.imbalance.check.interval.seconds when
// auto.leader.rebalance.enable=true).
func (c *Controller) ElectPreferred(topic string) {
	if c.down || c.role != Leader {
		return
	}
	for _, tn := range c.image.TopicNames() {
		if topic != "" && tn != topic {
			continue
		}
		for _, p := range c.image.Topics[tn].Partitions {
			pref := p.Replicas[0]
			if p.Leader != pref && metadata.Contains(p.ISR, pref) && c.usable(pref) {
				c.changePartition(p, pref, p.ISR, fmt.Sprintf("preferred leader election: broker %d is the preferred replica and in sync", pref))
			}
		}
	}
}
