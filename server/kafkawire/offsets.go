package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// OffsetCommit (key 8) v2–9 and OffsetFetch (key 9) v1–7, to the group
// coordinator. Versions stop before topic ids (OffsetCommit v10) and
// before OffsetFetch batched several groups per request (v8).

func serveOffsetCommit(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.OffsetCommitRequest)
	body := proto.OffsetCommitRequest{GroupID: req.Group, GenerationID: req.Generation, MemberID: req.MemberID, GroupInstanceID: str(req.InstanceID)}
	for _, t := range req.Topics {
		ot := proto.OffsetCommitTopic{Name: t.Topic}
		for _, p := range t.Partitions {
			ot.Partitions = append(ot.Partitions, proto.OffsetCommitPartition{Index: p.Partition, CommittedOffset: p.Offset, CommittedLeaderEpoch: p.LeaderEpoch, Metadata: str(p.Metadata)})
		}
		body.Topics = append(body.Topics, ot)
	}
	send(s, body, func(r proto.OffsetCommitResponse) {
		resp := req.ResponseKind().(*kmsg.OffsetCommitResponse)
		for _, t := range r.Topics {
			rt := kmsg.NewOffsetCommitResponseTopic()
			rt.Topic = t.Name
			for _, p := range t.Partitions {
				rt.Partitions = append(rt.Partitions, kmsg.OffsetCommitResponseTopicPartition{Partition: p.Index, ErrorCode: int16(p.ErrorCode)})
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	})
}

func serveOffsetFetch(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.OffsetFetchRequest)
	body := proto.OffsetFetchRequest{GroupID: req.Group, RequireStable: req.RequireStable}
	if req.Topics != nil {
		body.Topics = []proto.OffsetFetchTopic{}
		for _, t := range req.Topics {
			body.Topics = append(body.Topics, proto.OffsetFetchTopic{Name: t.Topic, PartitionIndexes: t.Partitions})
		}
	}
	send(s, body, func(r proto.OffsetFetchResponse) {
		resp := req.ResponseKind().(*kmsg.OffsetFetchResponse)
		resp.ErrorCode = int16(r.ErrorCode)
		for _, t := range r.Topics {
			rt := kmsg.NewOffsetFetchResponseTopic()
			rt.Topic = t.Name
			for _, p := range t.Partitions {
				rp := kmsg.NewOffsetFetchResponseTopicPartition()
				rp.Partition, rp.Offset, rp.LeaderEpoch, rp.ErrorCode = p.Index, p.CommittedOffset, p.CommittedLeaderEpoch, int16(p.ErrorCode)
				rp.Metadata = kmsg.StringPtr(p.Metadata)
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	})
}
