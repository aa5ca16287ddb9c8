package broker

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/config"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// The group and transaction coordinators a broker runs (group_*.go,
// txn_*.go). They live in a groupHost per broker process (Broker.host).

type groupHost struct {
	b      *Broker
	inc    int
	id     int32
	groups *coordinator.Coordinator
	txns   *coordinator.TxnCoordinator
	rand   *sim.Rand

	creating  map[string]bool // internal topics whose creation is in flight
	txnIndex  map[names.TopicPartition]*txnIndex
	rcFetches []*parkedFetch
	rcTicking bool
	verdicts  map[verdictKey]proto.ErrorCode // transaction verification (txn_verify.go)
	share     *shareHost                     // share-partitions and the share coordinator (share_host.go)
}

func setHost(b *Broker, h *groupHost) { b.host = h }

func hostOf(b *Broker) *groupHost { return b.host }

// startGroupHost gives a (re)started broker process empty coordinators:
// their state is rebuilt from the logs when a request needs it.
func startGroupHost(b *Broker) {
	h := &groupHost{b: b, inc: b.incarnation, id: b.opts.ID, creating: map[string]bool{}, txnIndex: map[names.TopicPartition]*txnIndex{}, verdicts: map[verdictKey]proto.ErrorCode{},
		rand: b.ep.Sim.Rand(string(b.ep.ID) + "/group-coordinator")}
	cfg := b.opts.Config
	ms := func(name string) time.Duration { return time.Duration(cfg.Int64(name)) * time.Millisecond }
	h.groups = coordinator.New(topicHost{h, coordinator.OffsetsTopic}, coordinator.Config{
		Partitions:            int(cfg.Int64("offsets.topic.num.partitions")),
		InitialRebalanceDelay: ms("group.initial.rebalance.delay.ms"),
		MinSessionTimeout:     ms("group.min.session.timeout.ms"),
		MaxSessionTimeout:     ms("group.max.session.timeout.ms"),
		EpochMs:               b.opts.EpochMs,

		ConsumerHeartbeatInterval: ms("group.consumer.heartbeat.interval.ms"),
		ConsumerSessionTimeout:    ms("group.consumer.session.timeout.ms"),
		ConsumerAssignors:         config.SplitList(cfg.String("group.consumer.assignors")),
		ShareHeartbeatInterval:    ms("group.share.heartbeat.interval.ms"),
		ShareSessionTimeout:       ms("group.share.session.timeout.ms"),
	}, h.rand.Uint64)
	h.txns = coordinator.NewTxn(txnHost{topicHost{h, coordinator.TransactionStateTopic}}, coordinator.TxnConfig{
		Partitions:      int(cfg.Int64("transaction.state.log.num.partitions")),
		MaxTimeout:      ms("transaction.max.timeout.ms"),
		CleanupInterval: ms("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
		Version:         int(cfg.Int64("transaction.version")),
	})
	h.share = newShareHost(b, h)
	setHost(b, h)
}

// live returns the broker if this host belongs to its running process.
func (h *groupHost) live() *Broker {
	b := h.b
	if b == nil || b.down || b.incarnation != h.inc {
		return nil
	}
	return b
}

func (h *groupHost) reply(from sim.NodeID, req proto.Request, body any) {
	if b := h.live(); b != nil {
		b.ep.Reply(from, req, body)
	}
}

// groupRequest serves a request of the group or transaction coordinator
// (deliver routes them here); a host from an earlier process drops it.
func (b *Broker) groupRequest(from sim.NodeID, req proto.Request) {
	h := hostOf(b)
	if h == nil || h.inc != b.incarnation {
		return
	}
	answer := func(body any) { h.reply(from, req, body) }
	switch body := req.Body.(type) {
	case proto.FindCoordinatorRequest:
		h.findCoordinator(b, body, answer)
	case proto.JoinGroupRequest:
		h.groups.JoinGroup(body, req.ClientID, func(r proto.JoinGroupResponse) { answer(r) })
	case proto.SyncGroupRequest:
		h.groups.SyncGroup(body, func(r proto.SyncGroupResponse) { answer(r) })
	case proto.HeartbeatRequest:
		h.groups.Heartbeat(body, func(r proto.HeartbeatResponse) { answer(r) })
	case proto.ConsumerGroupHeartbeatRequest:
		h.consumerGroupHeartbeat(body, req.ClientID, answer)
	case proto.ShareGroupHeartbeatRequest:
		h.groups.ShareGroupHeartbeat(body, req.ClientID, func(r proto.ShareGroupHeartbeatResponse) { answer(r) })
	case proto.ReadShareGroupStateRequest:
		answer(h.share.state.Read(body))
	case proto.WriteShareGroupStateRequest:
		h.share.state.Write(body, func(r proto.WriteShareGroupStateResponse) { answer(r) })
	case proto.ShareFetchRequest:
		b.shareFetch(from, req, body)
	case proto.ShareAcknowledgeRequest:
		answer(b.shareAcknowledge(body))
	case proto.LeaveGroupRequest:
		h.groups.LeaveGroup(body, func(r proto.LeaveGroupResponse) { answer(r) })
	case proto.OffsetCommitRequest:
		b.commitKnownTopics(body.Topics, func(ts []proto.OffsetCommitTopic, done func([]proto.OffsetCommitTopicResponse)) {
			body.Topics = ts
			h.groups.OffsetCommit(body, func(r proto.OffsetCommitResponse) { done(r.Topics) })
		}, func(rs []proto.OffsetCommitTopicResponse) { answer(proto.OffsetCommitResponse{Topics: rs}) })
	case proto.OffsetFetchRequest:
		h.groups.OffsetFetch(body, func(r proto.OffsetFetchResponse) { answer(r) })
	case proto.TxnOffsetCommitRequest:
		b.commitKnownTopics(body.Topics, func(ts []proto.OffsetCommitTopic, done func([]proto.OffsetCommitTopicResponse)) {
			body.Topics = ts
			h.groups.TxnOffsetCommit(body, func(r proto.TxnOffsetCommitResponse) { done(r.Topics) })
		}, func(rs []proto.OffsetCommitTopicResponse) { answer(proto.TxnOffsetCommitResponse{Topics: rs}) })
	case proto.InitProducerIDRequest: // with a transactional.id
		h.txns.InitProducerID(body, func(r proto.InitProducerIDResponse) { answer(r) })
	case proto.AddPartitionsToTxnRequest:
		if body.VerifyOnly {
			h.txns.VerifyPartitions(body.TransactionalID, body.ProducerID, body.ProducerEpoch, tpsOf(body.Topics), func(code proto.ErrorCode, per map[names.TopicPartition]proto.ErrorCode) {
				r := proto.AddPartitionsToTxnResponse{ErrorCode: code}
				for _, tp := range names.SortedKeys(per) {
					r.Verified = append(r.Verified, proto.AddPartitionsToTxnResult{Topic: tp.Topic, Partition: tp.Partition, ErrorCode: per[tp]})
				}
				answer(r)
			})
			return
		}
		h.txns.AddPartitions(body.TransactionalID, body.ProducerID, body.ProducerEpoch, tpsOf(body.Topics),
			func(code proto.ErrorCode) { answer(proto.AddPartitionsToTxnResponse{ErrorCode: code}) })
	case proto.AddOffsetsToTxnRequest:
		tp := names.TopicPartition{Topic: coordinator.OffsetsTopic, Partition: h.groups.PartitionFor(body.GroupID)}
		h.txns.AddPartitions(body.TransactionalID, body.ProducerID, body.ProducerEpoch, []names.TopicPartition{tp},
			func(code proto.ErrorCode) { answer(proto.AddOffsetsToTxnResponse{ErrorCode: code}) })
	case proto.EndTxnRequest:
		h.txns.EndTxn(body, func(code proto.ErrorCode, pid int64, epoch int16) {
			answer(proto.EndTxnResponse{ErrorCode: code, ProducerID: pid, ProducerEpoch: epoch})
		})
	case proto.WriteTxnMarkersRequest:
		h.writeTxnMarkers(b, body, answer)
	case proto.FetchRequest: // read_committed, from a consumer
		h.readCommittedFetch(b, from, req, body)
	case appendWait:
		h.handleAppendWait(b, from, req, body)
	}
}

func tpsOf(ts []proto.TopicPartitions) []names.TopicPartition {
	var out []names.TopicPartition
	for _, t := range ts {
		for _, p := range t.Partitions {
			out = append(out, names.TopicPartition{Topic: t.Topic, Partition: p})
		}
	}
	return out
}
