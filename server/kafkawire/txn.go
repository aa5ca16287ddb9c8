package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// A transactional producer's requests to the transaction coordinator,
// transaction.version 1 (the client adds partitions itself):
// AddPartitionsToTxn (key 24) v0–3, AddOffsetsToTxn (25) v0–4, EndTxn
// (26) v0–4, and TxnOffsetCommit (28) v0–4 to the group coordinator.
// Simplified: the engine answers AddPartitionsToTxn with one code for
// every partition, which is copied to each.

func serveAddPartitionsToTxn(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.AddPartitionsToTxnRequest)
	body := proto.AddPartitionsToTxnRequest{TransactionalID: req.TransactionalID, ProducerID: req.ProducerID, ProducerEpoch: req.ProducerEpoch}
	for _, t := range req.Topics {
		body.Topics = append(body.Topics, proto.TopicPartitions{Topic: t.Topic, Partitions: t.Partitions})
	}
	send(s, body, func(r proto.AddPartitionsToTxnResponse) {
		resp := req.ResponseKind().(*kmsg.AddPartitionsToTxnResponse)
		for _, t := range req.Topics {
			rt := kmsg.NewAddPartitionsToTxnResponseTopic()
			rt.Topic = t.Topic
			for _, p := range t.Partitions {
				rt.Partitions = append(rt.Partitions, kmsg.AddPartitionsToTxnResponseTopicPartition{Partition: p, ErrorCode: int16(r.ErrorCode)})
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	})
}

func serveAddOffsetsToTxn(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.AddOffsetsToTxnRequest)
	body := proto.AddOffsetsToTxnRequest{TransactionalID: req.TransactionalID, ProducerID: req.ProducerID, ProducerEpoch: req.ProducerEpoch, GroupID: req.Group}
	send(s, body, func(r proto.AddOffsetsToTxnResponse) {
		resp := req.ResponseKind().(*kmsg.AddOffsetsToTxnResponse)
		resp.ErrorCode = int16(r.ErrorCode)
		s.reply(seq, h, resp)
	})
}

func serveEndTxn(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.EndTxnRequest)
	body := proto.EndTxnRequest{TransactionalID: req.TransactionalID, ProducerID: req.ProducerID, ProducerEpoch: req.ProducerEpoch, Committed: req.Commit}
	send(s, body, func(r proto.EndTxnResponse) {
		resp := req.ResponseKind().(*kmsg.EndTxnResponse)
		resp.ErrorCode = int16(r.ErrorCode)
		s.reply(seq, h, resp)
	})
}

func serveTxnOffsetCommit(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.TxnOffsetCommitRequest)
	body := proto.TxnOffsetCommitRequest{TransactionalID: req.TransactionalID, GroupID: req.Group, ProducerID: req.ProducerID, ProducerEpoch: req.ProducerEpoch,
		GenerationID: req.Generation, MemberID: req.MemberID, GroupInstanceID: str(req.InstanceID)}
	if req.Version < 3 {
		body.GenerationID = -1
	}
	for _, t := range req.Topics {
		ot := proto.OffsetCommitTopic{Name: t.Topic}
		for _, p := range t.Partitions {
			ot.Partitions = append(ot.Partitions, proto.OffsetCommitPartition{Index: p.Partition, CommittedOffset: p.Offset, CommittedLeaderEpoch: p.LeaderEpoch, Metadata: str(p.Metadata)})
		}
		body.Topics = append(body.Topics, ot)
	}
	send(s, body, func(r proto.TxnOffsetCommitResponse) {
		resp := req.ResponseKind().(*kmsg.TxnOffsetCommitResponse)
		for _, t := range r.Topics {
			rt := kmsg.NewTxnOffsetCommitResponseTopic()
			rt.Topic = t.Name
			for _, p := range t.Partitions {
				rt.Partitions = append(rt.Partitions, kmsg.TxnOffsetCommitResponseTopicPartition{Partition: p.Index, ErrorCode: int16(p.ErrorCode)})
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	})
}
