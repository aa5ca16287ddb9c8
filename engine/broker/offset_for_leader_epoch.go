package broker

import "github.com/brokerlab/brokerlab/engine/proto"

// handleOffsetForLeaderEpoch (API key 23) answers from the leader's epoch
// cache (Replica.endOffsetForEpoch), with the leader-epoch fencing of
// Fetch: a stale CurrentLeaderEpoch is FENCED_LEADER_EPOCH, a newer one
// UNKNOWN_LEADER_EPOCH.
func (b *Broker) handleOffsetForLeaderEpoch(body proto.OffsetForLeaderEpochRequest) proto.OffsetForLeaderEpochResponse {
	var resp proto.OffsetForLeaderEpochResponse
	for _, t := range body.Topics {
		tr := proto.OffsetForLeaderTopicResult{Name: t.Name}
		for _, p := range t.Partitions {
			out := proto.EpochEndOffsetResult{Index: p.Index, LeaderEpoch: -1, EndOffset: -1}
			r := b.replicas.get(t.Name, p.Index)
			switch {
			case r == nil && b.image.Partition(t.Name, p.Index) == nil:
				out.ErrorCode = proto.UnknownTopicOrPartition
			case r == nil || !r.IsLeader:
				out.ErrorCode = proto.NotLeaderOrFollower
			case p.CurrentLeaderEpoch >= 0 && p.CurrentLeaderEpoch < r.LeaderEpoch:
				out.ErrorCode = proto.FencedLeaderEpoch
			case p.CurrentLeaderEpoch > r.LeaderEpoch:
				out.ErrorCode = proto.UnknownLeaderEpoch
			default:
				out.LeaderEpoch, out.EndOffset = r.endOffsetForEpoch(p.LeaderEpoch)
			}
			tr.Partitions = append(tr.Partitions, out)
		}
		resp.Topics = append(resp.Topics, tr)
	}
	return resp
}
