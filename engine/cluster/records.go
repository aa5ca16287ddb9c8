package cluster

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/view"
)

// records lists a replica's newest max records, with batch details.
func records(r *broker.Replica, max int) []view.RecordView { return recordsFrom(r, max, nil) }

// recordsFrom lists max records from offset *want on, or the newest max
// when want is nil or fewer than max records follow *want.
func recordsFrom(r *broker.Replica, max int, want *int64) []view.RecordView {
	if max <= 0 {
		max = 1000
	}
	l := r.Log()
	var out []view.RecordView
	// Only max offsets are decoded: a snapshot must not cost the whole log
	// (with compaction gaps this may show fewer than max records).
	from := l.LogStartOffset()
	if l.LEO()-int64(max) > from {
		from = l.LEO() - int64(max)
	}
	if want != nil && *want < from {
		from = max64(*want, l.LogStartOffset())
	}
	end := from + int64(max)
	for off := from; off < min(l.LEO(), end); {
		batches, err := l.Read(off, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		for _, bt := range batches {
			for i, rec := range bt.Records {
				v := view.RecordView{Offset: bt.BaseOffset + int64(rec.OffsetDelta), Timestamp: bt.RecordTimestamp(i),
					TimestampType: bt.TimestampType().String(), LeaderEpoch: bt.PartitionLeaderEpoch, ProducerID: bt.ProducerID,
					Sequence: -1, BatchBase: bt.BaseOffset}
				if bt.BaseSequence >= 0 {
					v.Sequence = bt.BaseSequence + rec.OffsetDelta
				}
				if rec.Key != nil {
					k := string(rec.Key)
					v.Key = &k
				}
				if rec.Value != nil {
					val := string(rec.Value)
					v.Value = &val
				}
				if len(rec.Headers) > 0 {
					v.Headers = map[string]string{}
					for _, h := range rec.Headers {
						v.Headers[h.Key] = string(h.Value)
					}
				}
				out = append(out, v)
			}
			off = bt.NextOffset()
		}
	}
	if want != nil {
		// A batch read from off may start before it or end past end.
		lo := 0
		for lo < len(out) && out[lo].Offset < from {
			lo++
		}
		out = out[lo:]
		for len(out) > 0 && out[len(out)-1].Offset >= end {
			out = out[:len(out)-1]
		}
	}
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return out
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func segments(in []log.SegmentInfo) []view.Segment {
	out := make([]view.Segment, 0, len(in))
	for _, s := range in {
		out = append(out, view.Segment{BaseOffset: s.BaseOffset, NextOffset: s.NextOffset, Batches: s.Batches, SizeBytes: s.SizeBytes,
			UnflushedBytes: s.UnflushedBytes, LargestTimestamp: s.LargestTimestamp, CreatedUS: int64(s.CreatedAt / time.Microsecond), Active: s.Active})
	}
	return out
}
