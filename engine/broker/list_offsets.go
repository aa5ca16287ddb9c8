package broker

import (
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// handleListOffsets (API key 2): earliest = log start offset, latest = high
// watermark, max timestamp, or the first offset at or after a timestamp.
func (b *Broker) handleListOffsets(body proto.ListOffsetsRequest) proto.ListOffsetsResponse {
	var resp proto.ListOffsetsResponse
	for _, t := range body.Topics {
		tr := proto.ListOffsetsTopicResponse{Name: t.Name}
		for _, p := range t.Partitions {
			tr.Partitions = append(tr.Partitions, b.listOffset(names.TopicPartition{Topic: t.Name, Partition: p.Index}, p))
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp
}

func (b *Broker) listOffset(tp names.TopicPartition, p proto.ListOffsetsPartition) proto.ListOffsetsPartitionResponse {
	out := proto.ListOffsetsPartitionResponse{Index: tp.Partition, Timestamp: -1, Offset: -1, LeaderEpoch: -1}
	r := b.replicas.get(tp.Topic, tp.Partition)
	switch {
	case b.image.Partition(tp.Topic, tp.Partition) == nil:
		out.ErrorCode = proto.UnknownTopicOrPartition
		return out
	case r == nil || !r.IsLeader:
		out.ErrorCode = proto.NotLeaderOrFollower
		return out
	}
	out.LeaderEpoch = r.LeaderEpoch
	switch p.Timestamp {
	case proto.EarliestTimestamp:
		out.Offset = r.log.LogStartOffset()
	case proto.LatestTimestamp:
		out.Offset = r.HWM
	default:
		off, ts := r.offsetForTimestamp(p.Timestamp)
		out.Offset, out.Timestamp = off, ts
	}
	return out
}

// offsetForTimestamp answers a timestamp lookup from the replica's log,
// limited to the high watermark as Kafka limits consumers (read_uncommitted):
// for a timestamp, the first record whose timestamp is ≥ ts, through the
// log's time index (UnifiedLog.fetchOffsetByTimestamp); an answer at or
// above the HWM is no answer (-1). For MaxTimestamp, the first record with
// the largest timestamp (KIP-734), found by a scan.
func (r *Replica) offsetForTimestamp(ts int64) (int64, int64) {
	if ts != proto.MaxTimestamp {
		off, found, ok, err := r.log.OffsetForTimestamp(ts)
		if err != nil || !ok || off >= r.HWM {
			return -1, -1
		}
		return off, found
	}
	bestOff, bestTs := int64(-1), int64(-1)
	for off := r.log.LogStartOffset(); off < r.HWM; {
		batches, err := r.log.Read(off, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		for _, bt := range batches {
			if bt.BaseOffset >= r.HWM {
				return bestOff, bestTs
			}
			for i, rec := range bt.Records {
				if o, t := bt.BaseOffset+int64(rec.OffsetDelta), bt.RecordTimestamp(i); o < r.HWM && t > bestTs {
					bestOff, bestTs = o, t
				}
			}
			off = bt.NextOffset()
		}
	}
	return bestOff, bestTs
}

// ListOffset answers one ListOffsets partition lookup on this broker as if
// a client had asked it (the offsets_for_times op uses it): timestamp is a
// time in ms or proto.EarliestTimestamp / LatestTimestamp / MaxTimestamp.
func (b *Broker) ListOffset(tp names.TopicPartition, timestamp int64) proto.ListOffsetsPartitionResponse {
	return b.listOffset(tp, proto.ListOffsetsPartition{Index: tp.Partition, CurrentLeaderEpoch: -1, Timestamp: timestamp})
}
