package controller

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/proto"
)

func (c *Controller) sessionTimeout() time.Duration {
	return time.Duration(c.cfg.Int64("broker.session.timeout.ms")) * time.Millisecond
}

func (c *Controller) handleRegistration(b proto.BrokerRegistrationRequest) proto.BrokerRegistrationResponse {
	prev := c.image.Brokers[b.BrokerID]
	epoch := c.LogEnd() // KRaft uses the registration record's offset as the broker epoch
	c.append(metadata.Record{RegisterBroker: &metadata.RegisterBroker{BrokerID: b.BrokerID, BrokerEpoch: epoch, Rack: b.Rack}})
	if old := c.brokers[b.BrokerID]; old != nil {
		old.deadline.Cancel()
	}
	s := &brokerSession{id: b.BrokerID, epoch: epoch}
	c.brokers[b.BrokerID] = s
	c.armSession(s)
	c.emit("broker_registered", fmt.Sprintf("broker %d registered with broker epoch %d; it stays fenced until it catches up on metadata", b.BrokerID, epoch),
		map[string]any{"broker": b.BrokerID, "broker_epoch": epoch})
	// A re-registering broker lost its session: it may not stay leader or in
	// any ISR. Kafka sees an unclean shutdown when the previous broker epoch
	// does not match the registered one (a crash): the broker also leaves
	// every ELR (handleBrokerUncleanShutdown).
	if prev != nil && b.PreviousBrokerEpoch != prev.Epoch {
		c.removeFromPartitions(b.BrokerID, "registered again after a crash (an unclean shutdown)", true)
	} else {
		c.removeFromPartitions(b.BrokerID, "registered again with a new broker epoch", false)
	}
	return proto.BrokerRegistrationResponse{BrokerEpoch: epoch}
}

func (c *Controller) armSession(s *brokerSession) {
	s.deadline.Cancel()
	s.deadline = c.ep.Sim.After(c.sessionTimeout(), func() { c.fence(s.id, "missed heartbeats for broker.session.timeout.ms") })
}

func (c *Controller) handleHeartbeat(b proto.BrokerHeartbeatRequest) proto.BrokerHeartbeatResponse {
	s := c.brokers[b.BrokerID]
	if s == nil || s.epoch != b.BrokerEpoch {
		return proto.BrokerHeartbeatResponse{ErrorCode: proto.StaleBrokerEpoch, IsFenced: true}
	}
	c.armSession(s)
	br := c.image.Brokers[b.BrokerID]
	if br.Fenced && !b.WantFence && b.CurrentMetadataOffset >= s.epoch {
		c.append(metadata.Record{UnfenceBroker: &metadata.UnfenceBroker{BrokerID: b.BrokerID, BrokerEpoch: s.epoch}})
		c.emit("broker_unfenced", fmt.Sprintf("broker %d caught up on metadata and is unfenced", b.BrokerID), map[string]any{"broker": b.BrokerID})
		c.electOffline()
	}
	return proto.BrokerHeartbeatResponse{IsFenced: c.image.Brokers[b.BrokerID].Fenced}
}

func (c *Controller) fence(id int32, why string) {
	br := c.image.Brokers[id]
	if c.down || c.role != Leader || br == nil || br.Fenced {
		return
	}
	c.append(metadata.Record{FenceBroker: &metadata.FenceBroker{BrokerID: id, BrokerEpoch: br.Epoch}})
	c.emit("broker_fenced", fmt.Sprintf("broker %d is fenced: %s (%v)", id, why, c.sessionTimeout()), map[string]any{"broker": id})
	c.removeFromPartitions(id, "was fenced", false)
}

// removeFromPartitions takes a broker out of every ISR and leadership, as
// KRaft does when a broker is fenced (handleBrokerFenced) or registers
// again after a crash (handleBrokerUncleanShutdown: it also leaves every
// ELR), and elects new leaders in the same change. Without ELR the last
// in-sync replica stays in the ISR so that it can come back as a clean
// leader; with ELR the ISR may become empty and the ELR keeps the replicas
// that may still lead. A fenced ELR member stays in the ELR: it cannot lead
// while fenced, but it still has every committed record.
func (c *Controller) removeFromPartitions(id int32, why string, uncleanShutdown bool) {
	for _, tn := range c.image.TopicNames() {
		t := c.image.Topics[tn]
		for _, p := range t.Partitions {
			inELR := uncleanShutdown && metadata.Contains(p.ELR, id)
			if p.Leader != id && !metadata.Contains(p.ISR, id) && !inELR {
				continue
			}
			ch := c.newChange(t, p, func(r int32) bool { return r != id && c.usable(r) })
			ch.targetISR = without(p.ISR, id)
			if uncleanShutdown {
				ch.uncleanShutdown = id
			}
			c.applyChange(p, ch.build(), fmt.Sprintf("broker %d %s", id, why))
		}
	}
}

func without(ids []int32, id int32) []int32 {
	out := make([]int32, 0, len(ids))
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}
