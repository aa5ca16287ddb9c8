package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// OffsetForLeaderEpoch (key 23), v2–4: a consumer validating its position
// after a leader change (KIP-320); the leader answers from its epoch
// cache.
func serveOffsetForLeaderEpoch(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.OffsetForLeaderEpochRequest)
	var body proto.OffsetForLeaderEpochRequest
	for _, t := range req.Topics {
		ot := proto.OffsetForLeaderTopic{Name: t.Topic}
		for _, p := range t.Partitions {
			ot.Partitions = append(ot.Partitions, proto.OffsetForLeaderPartition{Index: p.Partition, CurrentLeaderEpoch: p.CurrentLeaderEpoch, LeaderEpoch: p.LeaderEpoch})
		}
		body.Topics = append(body.Topics, ot)
	}
	send(s, body, func(r proto.OffsetForLeaderEpochResponse) {
		resp := req.ResponseKind().(*kmsg.OffsetForLeaderEpochResponse)
		for _, t := range r.Topics {
			rt := kmsg.NewOffsetForLeaderEpochResponseTopic()
			rt.Topic = t.Name
			for _, p := range t.Partitions {
				rp := kmsg.NewOffsetForLeaderEpochResponseTopicPartition()
				rp.Partition, rp.ErrorCode, rp.LeaderEpoch, rp.EndOffset = p.Index, int16(p.ErrorCode), p.LeaderEpoch, p.EndOffset
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	})
}
