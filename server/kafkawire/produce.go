package kafkawire

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Produce (key 0), v3–12: one v2 record batch per partition, decoded by
// the engine's own batch codec (CRC, varints, gzip and zstd; snappy and
// lz4 batches are decompressed here first, compress.go). A partition
// whose batch does not decode gets CORRUPT_MESSAGE without reaching the
// broker; acks=0 gets no answer, as in Kafka.
func serveProduce(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.ProduceRequest)
	body := proto.ProduceRequest{Acks: req.Acks, TimeoutMs: req.TimeoutMillis}
	if req.TransactionID != nil {
		body.TransactionalID = *req.TransactionID
	}
	var refused []proto.ProduceTopicResponse
	for _, t := range req.Topics {
		pt := proto.ProduceTopic{Name: t.Topic}
		var bad []proto.ProducePartitionResponse
		for _, p := range t.Partitions {
			batch, err := decodeBatch(p.Records)
			if err != nil {
				bad = append(bad, proto.ProducePartitionResponse{Index: p.Partition, ErrorCode: proto.CorruptMessage,
					ErrorMessage: err.Error(), BaseOffset: -1, LogAppendTime: -1, LogStartOffset: -1})
				continue
			}
			pt.Partitions = append(pt.Partitions, proto.ProducePartition{Index: p.Partition, Batch: batch})
		}
		if len(pt.Partitions) > 0 {
			body.Topics = append(body.Topics, pt)
		}
		if len(bad) > 0 {
			refused = append(refused, proto.ProduceTopicResponse{Name: t.Topic, Partitions: bad})
		}
	}
	if req.Acks == 0 {
		if len(body.Topics) > 0 {
			s.x.SendOneWay(body)
		}
		s.noReply(seq)
		return
	}
	answer := func(r proto.ProduceResponse) {
		resp := req.ResponseKind().(*kmsg.ProduceResponse)
		for _, t := range append(r.Topics, refused...) {
			rt := kmsg.NewProduceResponseTopic()
			rt.Topic = t.Name
			for _, p := range t.Partitions {
				rp := kmsg.NewProduceResponseTopicPartition()
				rp.Partition, rp.ErrorCode = p.Index, int16(p.ErrorCode)
				rp.BaseOffset, rp.LogAppendTime, rp.LogStartOffset = p.BaseOffset, p.LogAppendTime, p.LogStartOffset
				if p.ErrorMessage != "" {
					rp.ErrorMessage = kmsg.StringPtr(p.ErrorMessage)
				}
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	}
	if len(body.Topics) == 0 {
		answer(proto.ProduceResponse{})
		return
	}
	s.x.Send(body, func(b any, code proto.ErrorCode) {
		r, ok := proto.TakeProduceResponse(b)
		if code != proto.None || !ok {
			s.drop()
			return
		}
		answer(r)
	})
}

// decodeBatch decodes exactly one record batch, as Kafka requires of a
// produce request since v3.
func decodeBatch(b []byte) (*record.Batch, error) {
	b, err := decompressForEngine(b)
	if err != nil {
		return nil, err
	}
	batch, n, err := record.Decode(b)
	if err != nil {
		return nil, err
	}
	if n != len(b) {
		return nil, fmt.Errorf("a produce request carries exactly one record batch per partition; %d bytes follow the first", len(b)-n)
	}
	return batch, nil
}
