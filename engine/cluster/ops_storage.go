package cluster

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// offsetsForTimes runs the offsets_for_times op: for each partition of the
// topic (or the one named), the leader's answer to ListOffsets by
// timestamp — the first offset whose record timestamp is at or after it,
// below the high watermark — becomes an "offsets_for_times" event of the
// asking consumer (or the admin client). Simplification: the answer is
// taken from the leader at once, without a network round trip.
func offsetsForTimes(c *Cluster, cmd scenario.Command) {
	ts, ok := commandTimestamp(cmd)
	if !ok {
		c.Fail(cmd, fmt.Errorf("missing \"timestamp\""))
		return
	}
	node, who := "admin", "the admin client"
	if cmd.Consumer != "" {
		node, who = "consumer-"+cmd.Consumer, "consumer "+cmd.Consumer
	}
	t := c.metadataImage().CommittedImage().Topics[cmd.Topic]
	if t == nil {
		c.Fail(cmd, fmt.Errorf("unknown topic %q", cmd.Topic))
		return
	}
	when := time.UnixMilli(ts).UTC().Format("2006-01-02T15:04:05.000Z")
	for _, p := range t.Partitions {
		if p == nil || cmd.Partition != nil && int32(*cmd.Partition) != p.Index {
			continue
		}
		tp := names.TopicPartition{Topic: cmd.Topic, Partition: p.Index}
		ans := proto.ListOffsetsPartitionResponse{Index: p.Index, ErrorCode: proto.LeaderNotAvailable, Offset: -1, Timestamp: -1}
		if b := c.Broker(int(p.Leader)); b != nil && !b.Down() {
			ans = b.ListOffset(tp, ts)
		}
		var msg string
		switch {
		case ans.ErrorCode != proto.None:
			msg = fmt.Sprintf("%s asked %s for the first offset at or after %s: %s", who, tp, when, ans.ErrorCode)
		case ans.Offset < 0:
			msg = fmt.Sprintf("%s asked %s for the first offset at or after %s: no record that late below the high watermark, the answer is null", who, tp, when)
		default:
			msg = fmt.Sprintf("%s asked %s for the first offset at or after %s: offset %d (its timestamp is %s)", who, tp, when, ans.Offset,
				time.UnixMilli(ans.Timestamp).UTC().Format("2006-01-02T15:04:05.000Z"))
		}
		c.Trace.Emit(trace.Event{Kind: "offsets_for_times", Node: node, Topic: tp.Topic, Partition: trace.P(tp.Partition), Msg: msg,
			Data: map[string]any{"timestamp": ts, "offset": ans.Offset, "record_timestamp": ans.Timestamp, "error": ans.ErrorCode.String(), "leader": p.Leader}})
	}
}

// commandTimestamp reads the command's "timestamp" as milliseconds since the
// Unix epoch; below 10^12 it counts from the scenario's time zero.
func commandTimestamp(cmd scenario.Command) (int64, bool) {
	if cmd.Timestamp == nil {
		return 0, false
	}
	ms := *cmd.Timestamp
	if ms < 1e12 {
		ms += EpochMs
	}
	return ms, true
}
