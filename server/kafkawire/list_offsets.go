package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ListOffsets (key 2), v1–10: earliest (-2), latest (-1), max timestamp
// (-3) or the first offset at a timestamp, from the partition's leader.
func serveListOffsets(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.ListOffsetsRequest)
	body := proto.ListOffsetsRequest{ReplicaID: req.ReplicaID, IsolationLevel: req.IsolationLevel}
	for _, t := range req.Topics {
		lt := proto.ListOffsetsTopic{Name: t.Topic}
		for _, p := range t.Partitions {
			lt.Partitions = append(lt.Partitions, proto.ListOffsetsPartition{Index: p.Partition, CurrentLeaderEpoch: p.CurrentLeaderEpoch, Timestamp: p.Timestamp})
		}
		body.Topics = append(body.Topics, lt)
	}
	send(s, body, func(r proto.ListOffsetsResponse) {
		resp := req.ResponseKind().(*kmsg.ListOffsetsResponse)
		for _, t := range r.Topics {
			rt := kmsg.NewListOffsetsResponseTopic()
			rt.Topic = t.Name
			for _, p := range t.Partitions {
				rp := kmsg.NewListOffsetsResponseTopicPartition()
				rp.Partition, rp.ErrorCode = p.Index, int16(p.ErrorCode)
				rp.Timestamp, rp.Offset, rp.LeaderEpoch = p.Timestamp, p.Offset, p.LeaderEpoch
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	})
}
