package broker

import "github.com/brokerlab/brokerlab/engine/proto"

// commitKnownTopics passes the topics of an OffsetCommit or TxnOffsetCommit
// that the broker's metadata knows to commit, and answers
// UNKNOWN_TOPIC_OR_PARTITION for the others, as Kafka's KafkaApis does
// before the group coordinator sees the request: a consumer still holding
// partitions of a deleted topic cannot commit offsets for it. answer gets
// the outcomes in the request's order.
func (b *Broker) commitKnownTopics(topics []proto.OffsetCommitTopic, commit func([]proto.OffsetCommitTopic, func([]proto.OffsetCommitTopicResponse)), answer func([]proto.OffsetCommitTopicResponse)) {
	unknown := 0
	for _, t := range topics {
		if b.image.Topics[t.Name] == nil {
			unknown++
		}
	}
	if unknown == 0 {
		commit(topics, answer)
		return
	}
	known := make([]proto.OffsetCommitTopic, 0, len(topics)-unknown)
	for _, t := range topics {
		if b.image.Topics[t.Name] != nil {
			known = append(known, t)
		}
	}
	merge := func(got []proto.OffsetCommitTopicResponse) {
		out := make([]proto.OffsetCommitTopicResponse, 0, len(topics))
		for _, t := range topics {
			if b.image.Topics[t.Name] != nil && len(got) > 0 && got[0].Name == t.Name {
				out = append(out, got[0])
				got = got[1:]
				continue
			}
			r := proto.OffsetCommitTopicResponse{Name: t.Name}
			for _, p := range t.Partitions {
				r.Partitions = append(r.Partitions, proto.OffsetCommitPartitionResponse{Index: p.Index, ErrorCode: proto.UnknownTopicOrPartition})
			}
			out = append(out, r)
		}
		answer(out)
	}
	if len(known) == 0 {
		merge(nil)
		return
	}
	commit(known, merge)
}
