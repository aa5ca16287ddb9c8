package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Fetch (key 1), v4–12: a consumer's fetch, long-polled by the broker's
// purgatory for fetch.max.wait.ms of virtual time, which follows the wall
// clock. Simplified: no fetch sessions (KIP-227) — every answer has
// session id 0, which tells the client to send full fetches, as a Kafka
// broker whose session cache is full does; read_committed answers leave
// aborted batches out instead of listing aborted transactions (see the
// broker's txn_fetch.go).
func serveFetch(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.FetchRequest)
	resp := req.ResponseKind().(*kmsg.FetchResponse)
	if req.Version >= 7 && req.SessionID != 0 {
		resp.ErrorCode = int16(proto.FetchSessionIDNotFound)
		s.reply(seq, h, resp)
		return
	}
	body := proto.FetchRequest{ReplicaID: -1, MaxWaitMs: req.MaxWaitMillis, MinBytes: req.MinBytes, MaxBytes: req.MaxBytes,
		IsolationLevel: req.IsolationLevel}
	for _, t := range req.Topics {
		ft := proto.FetchTopic{Name: t.Topic}
		for _, p := range t.Partitions {
			ft.Partitions = append(ft.Partitions, proto.FetchPartition{Index: p.Partition, CurrentLeaderEpoch: p.CurrentLeaderEpoch,
				FetchOffset: p.FetchOffset, LastFetchedEpoch: p.LastFetchedEpoch, LogStartOffset: p.LogStartOffset, PartitionMaxBytes: p.PartitionMaxBytes})
		}
		body.Topics = append(body.Topics, ft)
	}
	s.x.Send(body, func(b any, code proto.ErrorCode) {
		r, ok := proto.TakeFetchResponse(b)
		if code != proto.None || !ok {
			s.drop()
			return
		}
		for _, t := range r.Topics {
			rt := kmsg.NewFetchResponseTopic()
			rt.Topic = t.Name
			for _, p := range t.Partitions {
				rp := kmsg.NewFetchResponseTopicPartition()
				rp.Partition, rp.ErrorCode = p.Index, int16(p.ErrorCode)
				rp.HighWatermark, rp.LastStableOffset, rp.LogStartOffset = p.HighWatermark, p.LastStableOffset, p.LogStartOffset
				if p.DivergingEpoch != nil {
					rp.DivergingEpoch.Epoch, rp.DivergingEpoch.EndOffset = p.DivergingEpoch.Epoch, p.DivergingEpoch.EndOffset
				}
				rp.RecordBatches = []byte{} // never null: librdkafka refuses a MessageSetSize of -1
				for _, batch := range p.Batches {
					rp.RecordBatches = batch.AppendTo(rp.RecordBatches)
				}
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		s.reply(seq, h, resp)
	})
}
