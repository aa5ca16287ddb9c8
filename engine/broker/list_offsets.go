package broker

import "github.com/brokerlab/brokerlab/engine/proto"

// handleListOffsets (API key 2): earliest = log start offset, latest = high
// watermark, max timestamp, or the first offset at or after a timestamp.
func (b *Broker) handleListOffsets(body proto.ListOffsetsRequest) proto.ListOffsetsResponse {
	var resp proto.ListOffsetsResponse
	for _, t := range body.Topics {
		tr := proto.ListOffsetsTopicResponse{Name: t.Name}
		for _, p := range t.Partitions {
			tr.Partitions = append(tr.Partitions, b.listOffset(TP{t.Name, p.Index}, p))
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp
}

func (b *Broker) listOffset(tp TP, p proto.ListOffsetsPartition) proto.ListOffsetsPartitionResponse {
	out := proto.ListOffsetsPartitionResponse{Index: tp.Partition, Timestamp: -1, Offset: -1, LeaderEpoch: -1}
	r := b.replicas[tp]
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

// offsetForTimestamp finds the first record below the HWM whose timestamp is
// ≥ ts (MaxTimestamp: the record with the largest timestamp).
func (r *Replica) offsetForTimestamp(ts int64) (int64, int64) {
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
				t := bt.RecordTimestamp(i)
				o := bt.BaseOffset + int64(rec.OffsetDelta)
				if ts == proto.MaxTimestamp {
					if t > bestTs {
						bestOff, bestTs = o, t
					}
				} else if t >= ts {
					return o, t
				}
			}
			off = bt.NextOffset()
		}
	}
	return bestOff, bestTs
}
