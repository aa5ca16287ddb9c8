package broker

import (
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// ShareAcknowledge (API key 79, KIP-932): acknowledgements without a fetch
// (commitSync of a share consumer, RENEW of KIP-1222, and the final
// acknowledgement of a closing consumer, which also releases every record
// it still holds: Kafka's ShareSessionEpoch -1).
func (b *Broker) shareAcknowledge(body proto.ShareAcknowledgeRequest) proto.ShareAcknowledgeResponse {
	var resp proto.ShareAcknowledgeResponse
	for _, t := range body.Topics {
		tr := proto.ShareFetchTopicResponse{Topic: t.Topic}
		for _, fp := range t.Partitions {
			code := b.shareAck(body.GroupID, body.MemberID, names.TopicPartition{Topic: t.Topic, Partition: fp.Partition}, fp.Acknowledgements, body.Close)
			tr.Partitions = append(tr.Partitions, proto.ShareFetchPartitionResponse{Partition: fp.Partition, ErrorCode: code})
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp
}
