package broker

import (
	"errors"
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
)

const (
	retryControllerAfter = 100 * time.Millisecond
	startingHeartbeat    = 10 * time.Millisecond
)

func (b *Broker) heartbeatInterval() time.Duration {
	return time.Duration(b.opts.Config.Int64("broker.heartbeat.interval.ms")) * time.Millisecond
}

// register asks the controller for a broker epoch, retrying until it answers.
func (b *Broker) register() {
	req := proto.BrokerRegistrationRequest{BrokerID: b.opts.ID, Rack: b.opts.Rack, PreviousBrokerEpoch: b.prevEpoch}
	inc := b.incarnation
	b.callController(req, b.heartbeatInterval(), func(body any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		resp, ok := body.(proto.BrokerRegistrationResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			b.after(retryControllerAfter, b.register)
			return
		}
		b.epoch, b.prevEpoch = resp.BrokerEpoch, resp.BrokerEpoch
		b.registered = true
		b.fetchMetadata()
		b.heartbeat()
	})
}

func (b *Broker) heartbeat() {
	req := proto.BrokerHeartbeatRequest{BrokerID: b.opts.ID, BrokerEpoch: b.epoch, CurrentMetadataOffset: b.image.Offset}
	inc := b.incarnation
	b.callController(req, b.heartbeatInterval(), func(body any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		if resp, ok := body.(proto.BrokerHeartbeatResponse); ok {
			if resp.ErrorCode == proto.StaleBrokerEpoch {
				// The controller no longer knows this session: register again.
				b.registered = false
				b.register()
				return
			}
			if b.fenced != resp.IsFenced {
				b.fenced = resp.IsFenced
			}
		}
		next := b.heartbeatInterval()
		if b.fenced {
			// While starting, Kafka's BrokerLifecycleManager heartbeats
			// without waiting the full interval so it is unfenced promptly.
			next = startingHeartbeat
		}
		b.after(next, b.heartbeat)
	})
}

// fetchMetadata long-polls the controller for new metadata records.
func (b *Broker) fetchMetadata() {
	if b.metaPending {
		return
	}
	b.metaPending = true
	req := proto.MetadataFetchRequest{BrokerID: b.opts.ID, FetchOffset: b.image.Offset + 1, MaxWaitMs: 500}
	inc := b.incarnation
	b.callController(req, 2*time.Second, func(body any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		b.metaPending = false
		resp, ok := body.(proto.MetadataFetchResponse)
		if code != proto.None || !ok {
			b.after(retryControllerAfter, b.fetchMetadata)
			return
		}
		var removed []removedTopic
		for _, r := range resp.Records {
			if r.Offset == b.image.Offset+1 {
				if r.RemoveTopic != nil {
					removed = b.noteRemoved(removed, r.RemoveTopic.Name)
				}
				b.image.Apply(r)
			}
		}
		if len(removed) > 0 {
			b.deleteTopics(removed) // delete_topic.go
		}
		if len(resp.Records) > 0 {
			b.reconcile()
		}
		b.fetchMetadata()
	})
}

// reconcile makes hosted replicas match the metadata image: create logs for
// new assignments, become leader or follower on leader changes, and adopt
// the controller's ISR.
func (b *Broker) reconcile() {
	for _, tn := range b.image.TopicNames() {
		t := b.image.Topics[tn]
		for _, p := range t.Partitions {
			if p == nil || !metadata.Contains(p.Replicas, b.opts.ID) {
				continue
			}
			tp := names.TopicPartition{Topic: tn, Partition: p.Index}
			r := b.replicas.get(tp.Topic, tp.Partition)
			if r == nil {
				var err error
				r, err = b.openReplica(tp, t)
				if errors.Is(err, errNewerLog) {
					continue // the rest of the metadata log deletes this topic
				}
				if err != nil {
					b.emit("storage_error", &tp, fmt.Sprintf("broker %d cannot open the log of %s: %v", b.opts.ID, tp, err), nil)
					continue
				}
				b.replicas.put(r)
			}
			b.applyPartitionState(r, p)
		}
	}
	b.syncFetchers()
}

// callController sends a request to the active controller. A voter that is
// not the leader answers NOT_CONTROLLER with a hint; the broker follows the
// hint (or tries the next voter) and reports failure only after trying.
func (b *Broker) callController(body any, timeout time.Duration, cb rpc.Callback) {
	b.callControllerTry(body, timeout, cb, len(b.opts.Controllers)+1)
}

func (b *Broker) callControllerTry(body any, timeout time.Duration, cb rpc.Callback, tries int) {
	inc := b.incarnation
	target := b.controller % len(b.opts.Controllers)
	b.ep.Call(b.opts.Controllers[target], body, timeout, func(resp any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		nc, notController := resp.(proto.NotControllerResponse)
		if code == proto.None && !notController {
			cb(resp, code)
			return
		}
		if b.controller%len(b.opts.Controllers) == target {
			b.controller = target + 1
			if notController && nc.LeaderID >= 0 {
				for i, n := range b.opts.Controllers {
					if n == names.Controller(nc.LeaderID) {
						b.controller = i
					}
				}
			}
		}
		if tries > 1 && (code != proto.RequestTimedOut || notController) {
			// A refused connection or a hint: try the next voter right away.
			b.callControllerTry(body, timeout, cb, tries-1)
			return
		}
		if notController {
			code = proto.NotController
		}
		cb(nil, code)
	})
}
