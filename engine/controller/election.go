package controller

import (
	"fmt"

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

// electOffline elects a leader for every partition that has none, if it
// can (Kafka's handleBrokerUnfenced runs the election over the partitions
// without a leader): see partitionChange.elect for the order of the rules.
func (c *Controller) electOffline() {
	for _, tn := range c.image.TopicNames() {
		t := c.image.Topics[tn]
		for _, p := range t.Partitions {
			if p.Leader >= 0 && c.usable(p.Leader) {
				continue
			}
			c.applyChange(p, c.newChange(t, p, c.usable).build(), "")
		}
	}
}

// applyChange appends a built change, if any, and emits its event:
// leader_elected, partition_offline or partition_changed. cause says what
// started the change ("" for an election on its own); the event adds
// which rule picked the leader.
func (c *Controller) applyChange(p *metadata.Partition, r result, cause string) {
	ch := r.rec
	if ch == nil {
		return
	}
	oldLeader, oldISR := p.Leader, p.ISR // p is updated in place by append below
	c.append(metadata.Record{PartitionChange: ch})
	kind := "partition_changed"
	why := cause
	if ch.Leader != oldLeader {
		kind = "leader_elected"
		if ch.Leader < 0 {
			kind = "partition_offline"
		}
		why = join(cause, c.electionWhy(p, r.rule, ch, oldISR))
	}
	isr := append([]int32{}, ch.ISR...) // [] rather than null when ELR empties it
	data := map[string]any{"leader": ch.Leader, "previous_leader": oldLeader, "leader_epoch": ch.LeaderEpoch, "isr": isr, "unclean": ch.Unclean}
	if r.rule != "" {
		data["election"] = r.rule
	}
	if len(ch.ELR) > 0 {
		data["elr"] = ch.ELR
	}
	if l := p.LastKnownLeader(); l >= 0 {
		data["last_known_leader"] = l
	}
	c.trace.Emit(traceEvent(c, kind, p, why, data))
}

// electionWhy says in plain words which rule picked the new leader, or
// why there is none.
func (c *Controller) electionWhy(p *metadata.Partition, rule string, ch *metadata.PartitionChange, oldISR []int32) string {
	l := ch.Leader
	switch rule {
	case RuleISR:
		return fmt.Sprintf("broker %d is the first in-sync, unfenced replica", l)
	case RulePreferred:
		return fmt.Sprintf("preferred leader election: broker %d is the preferred replica and in sync", l)
	case RuleELR:
		return fmt.Sprintf("the ISR is empty, and broker %d is an unfenced eligible leader replica (ELR, KIP-966): it left the ISR while the ISR was below min.insync.replicas, so it holds every committed record", l)
	case RuleLastKnownLeader:
		return fmt.Sprintf("the ISR and the ELR are empty, and broker %d, the last known leader, is back and leads again (unclean recovery: records it lost in its crash are gone)", l)
	case RuleUnclean:
		return fmt.Sprintf("UNCLEAN election: broker %d was not in the ISR %v; records it never received are lost", l, oldISR)
	}
	if len(p.ELR) > 0 {
		return fmt.Sprintf("no in-sync replica is available and no eligible leader replica %v is unfenced: the partition is offline", p.ELR)
	}
	return "no in-sync replica is available: the partition is offline"
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
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
		t := c.image.Topics[tn]
		for _, p := range t.Partitions {
			pref := p.Replicas[0]
			if p.Leader != pref && metadata.Contains(p.ISR, pref) && c.usable(pref) {
				b := c.newChange(t, p, c.usable)
				b.preferred = true
				c.applyChange(p, b.build(), "")
			}
		}
	}
}
