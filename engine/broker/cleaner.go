package broker

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/view"
)

// The log cleaner (Kafka's LogCleaner with one cleaner thread): every
// log.cleaner.backoff.ms it measures each log whose cleanup.policy contains
// "compact" — __consumer_offsets included — and compacts, dirtiest first,
// every log whose dirty ratio is above min.cleanable.dirty.ratio (see
// log.Clean). Each broker cleans its own copies, followers too. The
// cleaner checkpoint of each log is kept in
// "broker-N/cleaner-offset-checkpoint". Simplification: Kafka's thread
// cleans one log, then looks again at once; we clean every eligible log in
// one pass and then back off.

// cleanHistory is what the snapshot shows of a log's past cleanings.
type cleanHistory struct {
	cleanings int64
	lastAt    time.Duration
	last      log.CleanResult
}

func (b *Broker) scheduleCleaner(st *storageState) {
	if !b.opts.Config.Bool("log.cleaner.enable") {
		return
	}
	every := max(time.Duration(b.opts.Config.Int64("log.cleaner.backoff.ms"))*time.Millisecond, time.Millisecond)
	b.after(every, func() {
		b.runCleaner(st)
		b.scheduleCleaner(st)
	})
}

// cleanable measures a log with its checkpoint and topic settings.
func (b *Broker) cleanable(st *storageState, r *Replica) log.Cleanable {
	cp, ok := st.cleanerCP[r.TP]
	if !ok {
		cp = r.log.LogStartOffset()
	}
	return r.log.Cleanable(cp, r.HWM, b.nowMs(), b.logInt(r, "min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms"))
}

func (b *Broker) minCleanableRatio(r *Replica) float64 {
	f, _ := strconv.ParseFloat(b.logSetting(r, "min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio"), 64)
	return f
}

// runCleaner is one wake-up of the cleaner thread.
func (b *Broker) runCleaner(st *storageState) {
	b.adoptReplicas(st)
	type candidate struct {
		r *Replica
		c log.Cleanable
	}
	var dirty []candidate
	changed := false
	for _, r := range b.Replicas() {
		if !b.hasPolicy(r, "compact") {
			continue
		}
		c := b.cleanable(st, r)
		if c.CheckpointReset || st.cleanerCP[r.TP] != c.FirstDirtyOffset {
			st.cleanerCP[r.TP] = c.FirstDirtyOffset
			changed = true
		}
		if c.CleanableBytes > 0 && c.DirtyRatio > b.minCleanableRatio(r) {
			dirty = append(dirty, candidate{r, c})
		}
	}
	// The filthiest log first; ties keep topic-partition order.
	sort.SliceStable(dirty, func(i, j int) bool { return dirty[i].c.DirtyRatio > dirty[j].c.DirtyRatio })
	for _, d := range dirty {
		b.cleanLog(st, d.r, d.c)
		changed = true
	}
	if changed {
		b.writeCheckpoint(cleanerCheckpointFile, st.cleanerCP)
	}
}

func (b *Broker) cleanLog(st *storageState, r *Replica, c log.Cleanable) {
	tp := r.TP
	cfg := log.CleanConfig{NowMs: b.nowMs(), DeleteRetentionMs: b.logInt(r, "delete.retention.ms", "log.cleaner.delete.retention.ms"),
		RetainEmpty: r.lastBatchOfProducer}
	res, err := r.log.Clean(c, cfg)
	if err != nil {
		b.emit("storage_error", &tp, fmt.Sprintf("broker %d could not clean %s: %v", b.opts.ID, tp, err), nil)
		return
	}
	st.cleanerCP[tp] = res.Checkpoint
	after := b.cleanable(st, r)
	h := st.cleanings[tp]
	if h == nil {
		h = &cleanHistory{}
		st.cleanings[tp] = h
	}
	h.cleanings++
	h.lastAt, h.last = b.now(), res
	removed := fmt.Sprintf("removed %d of %d records", res.RecordsRemoved, res.RecordsRead)
	switch {
	case res.TombstonesRemoved == 1:
		removed += " (one a tombstone past delete.retention.ms)"
	case res.TombstonesRemoved > 1:
		removed += fmt.Sprintf(" (%d tombstones past delete.retention.ms)", res.TombstonesRemoved)
	}
	b.emit("log_cleaned", &tp, fmt.Sprintf("broker %d compacted %s below offset %d: %s, %d → %d bytes; dirty ratio %.2f → %.2f",
		b.opts.ID, tp, res.Checkpoint, removed, res.BytesBefore, res.BytesAfter, c.DirtyRatio, after.DirtyRatio),
		map[string]any{"checkpoint": res.Checkpoint, "first_dirty_offset": c.FirstDirtyOffset, "records_read": res.RecordsRead,
			"records_removed": res.RecordsRemoved, "tombstones_removed": res.TombstonesRemoved, "keyless_removed": res.KeylessRemoved,
			"keys": res.KeysInMap, "bytes_before": res.BytesBefore, "bytes_after": res.BytesAfter,
			"segments_before": res.SegmentsBefore, "segments_after": res.SegmentsAfter,
			"dirty_ratio_before": round4(c.DirtyRatio), "dirty_ratio_after": round4(after.DirtyRatio)})
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// lastBatchOfProducer is Kafka's "last record of an active producer": the
// cleaner keeps that batch, even emptied, so the producer's sequence
// numbers survive a restart.
func (r *Replica) lastBatchOfProducer(pid, lastOffset int64) bool {
	e := r.producers[pid]
	return e != nil && len(e.Batches) > 0 && e.Batches[len(e.Batches)-1].LastOffset == lastOffset
}

// afterFollowerFetchGaps appends what the replica fetcher could not: it
// only takes a batch starting exactly at the log end offset, but a
// compacted leader's log has gaps where the cleaner removed whole batches
// (Kafka's follower accepts any base offset at or above its log end). The
// batches of one response are consecutive in the leader's log, so the
// offsets between them do not exist there. It also pulls the cleaner
// checkpoint back when the follower truncated below it (Kafka's
// maybeTruncateCheckpoint).
// rs holds the replica of each partition of resp, in order (see fetcher.applies).
func (b *Broker) afterFollowerFetchGaps(st *storageState, rs []*Replica, resp proto.FetchResponse) {
	k := 0
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			r := rs[k]
			k++
			if r == nil {
				continue
			}
			tp := names.TopicPartition{Topic: t.Name, Partition: pr.Index}
			if cp, ok := st.cleanerCP[tp]; ok && cp > r.LEO() {
				st.cleanerCP[tp] = r.LEO()
				b.writeCheckpoint(cleanerCheckpointFile, st.cleanerCP)
			}
			if pr.ErrorCode != proto.None || pr.DivergingEpoch != nil {
				continue
			}
			i := 0
			for i < len(pr.Batches) && pr.Batches[i].LastOffset() < r.LEO() {
				i++
			}
			if i == len(pr.Batches) || pr.Batches[i].BaseOffset <= r.LEO() {
				continue
			}
			gapFrom := r.LEO()
			for _, bt := range pr.Batches[i:] {
				cp := *bt
				if err := r.log.AppendAfterGap(&cp, b.now()); err != nil {
					b.emit("storage_error", &tp, fmt.Sprintf("broker %d cannot append to %s: %v", b.opts.ID, tp, err), nil)
					break
				}
				r.noteEpoch(cp.PartitionLeaderEpoch, cp.BaseOffset)
				r.producers.record(&cp)
			}
			if hw := min(pr.HighWatermark, r.LEO()); hw > r.HWM {
				r.HWM = hw
			}
			b.emit("replica_gap_skipped", &tp, fmt.Sprintf("broker %d copied %s across a compaction gap: offsets %d–%d were cleaned away on the leader",
				b.opts.ID, tp, gapFrom, pr.Batches[i].BaseOffset-1), map[string]any{"from_offset": gapFrom, "to_offset": pr.Batches[i].BaseOffset})
		}
	}
}

// StorageView describes what the storage layer shows of a hosted replica
// (nil if the broker does not host it).
func (b *Broker) StorageView(tp names.TopicPartition) *view.ReplicaStorage {
	r := b.replicas.get(tp.Topic, tp.Partition)
	if r == nil || b.down {
		return nil
	}
	st := b.storage()
	out := &view.ReplicaStorage{CleanupPolicy: b.logSetting(r, "cleanup.policy", "log.cleanup.policy"), ReadPath: st.readView(tp)}
	if b.hasPolicy(r, "compact") {
		c := b.cleanable(st, r)
		cs := &view.CleanerState{Checkpoint: c.FirstDirtyOffset, FirstUncleanableOffset: c.FirstUncleanableOffset,
			DirtyRatio: round4(c.DirtyRatio), MinCleanableDirtyRatio: b.minCleanableRatio(r), CleanBytes: c.CleanBytes,
			DirtyBytes: c.CleanableBytes, UncleanableBytes: c.UncleanableBytes, Limit: c.Limit}
		if h := st.cleanings[tp]; h != nil {
			cs.Cleanings, cs.LastCleanedUS, cs.LastRecordsRemoved = h.cleanings, int64(h.lastAt/time.Microsecond), h.last.RecordsRemoved
		}
		out.Cleaner = cs
	}
	return out
}
