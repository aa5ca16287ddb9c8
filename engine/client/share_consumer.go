package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
	"github.com/brokerlab/brokerlab/engine/view"
)

// ShareConsumerOptions configure a share consumer (KIP-932).
type ShareConsumerOptions struct {
	Name      string
	Config    config.Values // consumer configs; share.acknowledgement.mode among them
	Bootstrap []int32
	Group     string
	Topics    []string
	// The application: how long it works on each record, and a poison
	// value it cannot process, which it rejects (OnPoison "reject") or
	// releases for another try (OnPoison "release"), explicit mode only.
	Process  time.Duration
	Poison   string
	OnPoison string
	// Renew makes the application renew the locks of the records it works
	// on every half acquisition lock timeout (RENEW, KIP-1222; explicit mode).
	Renew bool
	// Previous is the crashed or closed share consumer of the same name
	// this one replaces (its member id changes).
	Previous *ShareConsumer
	// KeepRecords keeps every delivery the application saw (Deliveries).
	KeepRecords bool
}

// ShareDelivery is one record a share consumer's poll returned.
type ShareDelivery struct {
	Topic         string `json:"topic"`
	Partition     int32  `json:"partition"`
	Offset        int64  `json:"offset"`
	Value         string `json:"value"`
	DeliveryCount int16  `json:"delivery_count"`
	Member        string `json:"member_id"`
}

// ShareStats count what a share consumer did.
type ShareStats struct {
	Delivered    int64 `json:"delivered"`
	Accepted     int64 `json:"accepted"`
	Released     int64 `json:"released"`
	Rejected     int64 `json:"rejected"`
	AckRefused   int64 `json:"ack_refused"`  // acknowledgements refused with INVALID_RECORD_STATE
	Redeliveries int64 `json:"redeliveries"` // deliveries with a delivery count above 1
}

// ShareConsumer is Kafka's KafkaShareConsumer (ShareConsumerImpl with its
// ShareConsumeRequestManager and ShareMembershipManager): it joins a share
// group with ShareGroupHeartbeat, fetches from the leaders of the
// partitions the group assigns it with ShareFetch, and acknowledges what
// its application processed — all of a poll's records on the next poll
// with share.acknowledgement.mode=implicit, or each record as the
// application decides with explicit. Simplified: one poll loop that
// fetches, processes and acknowledges in turn (acknowledgements travel
// with the next ShareFetch), no share sessions.
type ShareConsumer struct {
	o        ShareConsumerOptions
	name     string
	group    string
	ep       *rpc.Endpoint
	trace    *trace.Trace
	cfg      config.Values
	meta     *metaCache
	stopped  bool
	explicit bool

	memberID   string
	epoch      int32
	coord      int32 // -1: unknown
	hbInterval time.Duration
	hbInflight bool
	hbTok      int
	leaving    bool
	assigned   []names.TopicPartition

	pending    map[names.TopicPartition][]proto.AcknowledgementBatch
	held       map[names.TopicPartition][]int64 // offsets of the current poll not yet acknowledged
	fetching   int
	processing bool
	closeAsked bool
	ended      string // "crashed" or "closed"
	pollTok    int
	lockMs     int32 // the acquisition lock timeout the leaders announced (KIP-1222)

	Stats      ShareStats
	deliveries []ShareDelivery
}

// StartShareConsumer validates the options and starts a share consumer.
func StartShareConsumer(o ShareConsumerOptions, s *sim.Sim, n *sim.Network, tr *trace.Trace) (*ShareConsumer, error) {
	if o.Group == "" {
		return nil, fmt.Errorf("client: share consumer %s needs a group", o.Name)
	}
	c := &ShareConsumer{o: o, name: o.Name, group: o.Group, trace: tr, cfg: o.Config, coord: -1, explicit: o.Config.String("share.acknowledgement.mode") == "explicit",
		pending: map[names.TopicPartition][]proto.AcknowledgementBatch{}, held: map[names.TopicPartition][]int64{},
		hbInterval: 5 * time.Second}
	if o.Poison != "" && !c.explicit && o.OnPoison != "" && o.OnPoison != "accept" {
		return nil, fmt.Errorf("client: share consumer %s: rejecting or releasing a poison record needs share.acknowledgement.mode=explicit (implicit mode accepts every record on the next poll)", o.Name)
	}
	c.ep = rpc.NewEndpoint(s, n, names.Consumer(o.Name))
	c.meta = newMetaCache(c.ep, o.Bootstrap, &c.stopped)
	n.SetDown(c.ep.ID, false)
	n.Register(c.ep.ID, func(from sim.NodeID, msg any) {
		if !c.stopped {
			c.ep.Deliver(from, msg)
		}
	})
	stream := string(c.ep.ID) + "/member-id"
	for p, k := o.Previous, 0; p != nil; p, k = p.o.Previous, k+1 {
		stream = fmt.Sprintf("%s/%d", string(c.ep.ID)+"/member-id", k+1)
	}
	c.memberID = fmt.Sprintf("%s-%08x", o.Name, uint32(s.Rand(stream).Uint64())) // short for the learner; Kafka uses a UUID
	mode := "implicit: a poll's records are accepted on the next poll"
	if c.explicit {
		mode = "explicit: the application acknowledges each record"
	}
	c.emit("share_consumer_started", fmt.Sprintf("share consumer %s joins share group %s as member %s, subscribed to %v (share.acknowledgement.mode=%s)", c.name, c.group, c.memberID, o.Topics, mode),
		map[string]any{"group": c.group, "member_id": c.memberID, "topics": o.Topics, "acknowledgement_mode": o.Config.String("share.acknowledgement.mode"),
			"process_ms": o.Process.Milliseconds(), "poison": o.Poison, "on_poison": o.OnPoison, "renew": o.Renew})
	c.meta.refresh(nil)
	c.findCoordinator()
	c.poll()
	return c, nil
}

func (c *ShareConsumer) emit(kind, msg string, data map[string]any) {
	c.trace.Emit(trace.Event{Kind: kind, Node: string(c.ep.ID), Msg: msg, Data: data})
}

func (c *ShareConsumer) after(d time.Duration, fn func()) {
	c.ep.Sim.After(d, func() {
		if !c.stopped {
			fn()
		}
	})
}

func (c *ShareConsumer) requestTimeout() time.Duration {
	return time.Duration(c.cfg.Int64("request.timeout.ms")) * time.Millisecond
}

// Name is the consumer's name.
func (c *ShareConsumer) Name() string { return c.name }

// Group is its share group.
func (c *ShareConsumer) Group() string { return c.group }

// MemberID is its member id.
func (c *ShareConsumer) MemberID() string { return c.memberID }

// MemberEpoch is the member epoch it heard last.
func (c *ShareConsumer) MemberEpoch() int32 { return c.epoch }

// Assigned lists the partitions the group gave it.
func (c *ShareConsumer) Assigned() []names.TopicPartition { return c.assigned }

// Previous is the share consumer of the same name this one replaced, or nil.
func (c *ShareConsumer) Previous() *ShareConsumer { return c.o.Previous }

// View describes the share consumer for the snapshot.
func (c *ShareConsumer) View() view.ShareConsumerSnapshot {
	v := view.ShareConsumerSnapshot{Name: c.name, Group: c.group, MemberID: c.memberID, MemberEpoch: c.epoch, State: "running",
		AckMode: c.cfg.String("share.acknowledgement.mode"), Assigned: tpNames(c.assigned), Processing: c.processing, ProcessMs: c.o.Process.Milliseconds(),
		Poison: c.o.Poison, OnPoison: c.o.OnPoison, Renew: c.o.Renew, Delivered: c.Stats.Delivered, Accepted: c.Stats.Accepted, Released: c.Stats.Released,
		Rejected: c.Stats.Rejected, AckRefused: c.Stats.AckRefused, Redeliveries: c.Stats.Redeliveries}
	if c.ended != "" {
		v.State = c.ended
	}
	for _, offs := range c.held {
		v.Holding += len(offs)
	}
	for _, bs := range c.pending {
		for _, b := range bs {
			v.Holding += int(b.LastOffset - b.FirstOffset + 1)
		}
	}
	return v
}

// Stopped reports whether it was closed or crashed.
func (c *ShareConsumer) Stopped() bool { return c.stopped }

// Deliveries lists every record its polls returned (KeepRecords only).
func (c *ShareConsumer) Deliveries() []ShareDelivery {
	if !c.o.KeepRecords {
		panic(fmt.Sprintf("client: share consumer %s: Deliveries needs KeepRecords", c.name))
	}
	return c.deliveries
}

// findCoordinator asks a broker for the share group's coordinator.
func (c *ShareConsumer) findCoordinator() {
	id, ok := c.meta.leastLoaded()
	if !ok {
		c.after(100*time.Millisecond, c.findCoordinator)
		return
	}
	c.ep.Call(nodeOf(id), proto.FindCoordinatorRequest{Key: c.group, KeyType: proto.CoordinatorGroup}, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		resp, ok := body.(proto.FindCoordinatorResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			c.after(100*time.Millisecond, c.findCoordinator)
			return
		}
		c.coord = resp.NodeID
		c.heartbeat()
	})
}

// heartbeat sends ShareGroupHeartbeat and schedules the next one.
func (c *ShareConsumer) heartbeat() {
	if c.hbInflight || c.coord < 0 {
		return
	}
	c.hbTok++
	tok := c.hbTok
	c.hbInflight = true
	req := proto.ShareGroupHeartbeatRequest{GroupID: c.group, MemberID: c.memberID, MemberEpoch: c.epoch, SubscribedTopicNames: c.o.Topics}
	if c.leaving {
		req.MemberEpoch = proto.LeaveGroupMemberEpoch
	}
	c.ep.Call(nodeOf(c.coord), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		c.hbInflight = false
		resp, ok := body.(proto.ShareGroupHeartbeatResponse)
		if code == proto.None && ok {
			code = resp.ErrorCode
		}
		switch {
		case code == proto.None:
			c.heard(resp)
		case code == proto.NotCoordinator || code == proto.CoordinatorNotAvailable || code == proto.CoordinatorLoadInProgress || code.Retriable() || code == proto.ClientTimeout:
			c.coord = -1
			c.after(100*time.Millisecond, c.findCoordinator)
			return
		case code == proto.UnknownMemberID || code == proto.FencedMemberEpoch:
			c.emit("share_member_rejoining", fmt.Sprintf("share consumer %s: the coordinator answered %s; it joins again at member epoch 0", c.name, code),
				map[string]any{"group": c.group, "member_id": c.memberID, "error": code.String()})
			c.epoch = 0
			c.after(0, c.heartbeat)
			return
		default:
			c.emit("consumer_error", fmt.Sprintf("share consumer %s: ShareGroupHeartbeat failed with %s: %s", c.name, code, resp.ErrorMessage),
				map[string]any{"error": code.String()})
		}
		c.after(c.hbInterval, func() {
			if tok == c.hbTok {
				c.heartbeat()
			}
		})
	})
}

func (c *ShareConsumer) heard(resp proto.ShareGroupHeartbeatResponse) {
	if resp.HeartbeatIntervalMs > 0 {
		c.hbInterval = time.Duration(resp.HeartbeatIntervalMs) * time.Millisecond
	}
	if resp.Assignment == nil {
		return
	}
	var tps []names.TopicPartition
	for _, t := range resp.Assignment.TopicPartitions {
		for _, p := range t.Partitions {
			tps = append(tps, names.TopicPartition{Topic: t.Topic, Partition: p})
		}
	}
	names.Sort(tps)
	if resp.MemberEpoch != c.epoch || !sameTPs(tps, c.assigned) {
		c.emit("share_assignment_received", fmt.Sprintf("share consumer %s: member epoch %d, assigned %v", c.name, resp.MemberEpoch, tpNames(tps)),
			map[string]any{"group": c.group, "member_id": c.memberID, "member_epoch": resp.MemberEpoch, "assignment": tpNames(tps)})
	}
	c.epoch, c.assigned = resp.MemberEpoch, tps
}
