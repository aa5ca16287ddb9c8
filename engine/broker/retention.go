package broker

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// Retention (Kafka's LogManager.cleanupLogs): every
// log.retention.check.interval.ms each hosted log deletes its old segments
// (see log.DeleteOldSegments), on leaders and followers alike. The log start
// offset it moves is kept in "broker-N/log-start-offset-checkpoint" (the log
// package does not persist it) and re-applied when a log is opened again;
// followers also raise theirs to the leader's, which every fetch response
// carries.

// storageState is what the storage concerns (retention, cleaner, read path)
// keep per broker. The Broker struct has no room for it, so it lives in a
// registry keyed by a weak pointer: a cluster that is dropped frees its
// brokers and their state. It must never point back to the Broker.
type storageState struct {
	seen      map[names.TopicPartition]*Replica // replicas whose checkpoints were applied (this incarnation)
	logStart  map[names.TopicPartition]int64    // log-start-offset-checkpoint content
	cleanerCP map[names.TopicPartition]int64    // cleaner-offset-checkpoint content
	cleanings map[names.TopicPartition]*cleanHistory
	readTotal readStats
	readByTP  map[names.TopicPartition]*readStats
}

// storage returns the broker's storage state, creating it on first use.
func (b *Broker) storage() *storageState {
	if b.storageSt == nil {
		b.storageSt = &storageState{cleanings: map[names.TopicPartition]*cleanHistory{}, readByTP: map[names.TopicPartition]*readStats{}}
	}
	return b.storageSt
}

// startStorage runs when the broker process starts, before any log is
// opened: finish cleaner swaps a crash interrupted, load the checkpoints,
// and start the retention and cleaner
// tasks.
func startStorage(b *Broker) {
	st := b.storage()
	st.seen = map[names.TopicPartition]*Replica{}
	dir := fmt.Sprintf("broker-%d", b.opts.ID)
	swaps, err := log.CompleteSwaps(b.opts.Store, dir)
	for _, s := range swaps {
		b.emit("log_swap_recovered", nil, fmt.Sprintf("broker %d: %s: %s", b.opts.ID, s.Segment, s.Reason),
			map[string]any{"segment": s.Segment, "completed": s.Completed})
	}
	if err != nil {
		b.emit("storage_error", nil, fmt.Sprintf("broker %d cannot finish interrupted cleaner swaps: %v", b.opts.ID, err), nil)
	}
	st.logStart = b.readCheckpoint(logStartCheckpointFile)
	st.cleanerCP = b.readCheckpoint(cleanerCheckpointFile)
	b.scheduleRetention(st)
	b.scheduleCleaner(st)
}

const (
	logStartCheckpointFile = "log-start-offset-checkpoint"
	cleanerCheckpointFile  = "cleaner-offset-checkpoint"
)

// readCheckpoint reads one of the broker's offset checkpoint files, in
// Kafka's format: a version line (0), a count line, then "topic partition
// offset" lines. A missing or damaged file counts as empty.
func (b *Broker) readCheckpoint(name string) map[names.TopicPartition]int64 {
	out := map[names.TopicPartition]int64{}
	data, err := log.ReadFile(b.opts.Store, fmt.Sprintf("broker-%d/%s", b.opts.ID, name))
	if err != nil {
		return out
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) < 2 || lines[0] != "0" {
		return out
	}
	for _, line := range lines[2:] {
		f := strings.Fields(line)
		if len(f) != 3 {
			return map[names.TopicPartition]int64{}
		}
		p, err1 := strconv.ParseInt(f[1], 10, 32)
		off, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return map[names.TopicPartition]int64{}
		}
		out[names.TopicPartition{Topic: f[0], Partition: int32(p)}] = off
	}
	return out
}

func (b *Broker) writeCheckpoint(name string, m map[names.TopicPartition]int64) {
	tps := names.SortedKeys(m)
	var sb strings.Builder
	fmt.Fprintf(&sb, "0\n%d\n", len(tps))
	for _, tp := range tps {
		fmt.Fprintf(&sb, "%s %d %d\n", tp.Topic, tp.Partition, m[tp])
	}
	if err := log.WriteFile(b.opts.Store, fmt.Sprintf("broker-%d/%s", b.opts.ID, name), []byte(sb.String())); err != nil {
		b.emit("storage_error", nil, fmt.Sprintf("broker %d cannot write %s: %v", b.opts.ID, name, err), nil)
	}
}

// adoptReplicas applies the log-start-offset checkpoint to logs opened
// since the last call (Kafka's LogLoader starts a log at
// max(checkpoint, first segment base)).
func (b *Broker) adoptReplicas(st *storageState) {
	for _, r := range b.Replicas() {
		if st.seen[r.TP] == r {
			continue
		}
		st.seen[r.TP] = r
		cp, ok := st.logStart[r.TP]
		if !ok || cp <= r.log.LogStartOffset() {
			continue
		}
		tp := r.TP
		if cp > r.LEO() {
			// The records up to the checkpoint were lost (a power loss ate an
			// unflushed tail): start empty at the checkpoint, as Kafka does.
			if err := r.log.TruncateFullyAndStartAt(cp); err != nil {
				continue
			}
		} else if err := r.log.SetLogStartOffset(cp); err != nil {
			continue
		}
		r.HWM = max(r.HWM, cp)
		b.emit("log_start_offset_moved", &tp, fmt.Sprintf("broker %d reopened %s at log start offset %d from its log-start-offset-checkpoint", b.opts.ID, tp, cp),
			map[string]any{"log_start_offset": cp, "reason": "checkpoint"})
	}
}

// saveLogStartOffsets rewrites the checkpoint if any open log's start moved.
func (b *Broker) saveLogStartOffsets(st *storageState) {
	changed := false
	for _, r := range b.Replicas() {
		if lso := r.log.LogStartOffset(); st.logStart[r.TP] != lso {
			st.logStart[r.TP] = lso
			changed = true
		}
	}
	if changed {
		b.writeCheckpoint(logStartCheckpointFile, st.logStart)
	}
}

// logSetting reads a topic setting, falling back to the broker's log.*
// default when the topic does not set it.
func (b *Broker) logSetting(r *Replica, topicName, brokerName string) string {
	if r.cfg.IsSet(topicName) || !b.opts.Config.IsSet(brokerName) {
		return r.cfg.String(topicName)
	}
	return b.opts.Config.String(brokerName)
}

func (b *Broker) logInt(r *Replica, topicName, brokerName string) int64 {
	n, _ := strconv.ParseInt(b.logSetting(r, topicName, brokerName), 10, 64)
	return n
}

func (b *Broker) hasPolicy(r *Replica, policy string) bool {
	for _, p := range config.SplitList(b.logSetting(r, "cleanup.policy", "log.cleanup.policy")) {
		if p == policy {
			return true
		}
	}
	return false
}

func (b *Broker) scheduleRetention(st *storageState) {
	every := time.Duration(b.opts.Config.Int64("log.retention.check.interval.ms")) * time.Millisecond
	b.after(every, func() {
		b.runRetention(st)
		b.scheduleRetention(st)
	})
}

// runRetention is one pass of the retention task over every hosted log.
func (b *Broker) runRetention(st *storageState) {
	b.adoptReplicas(st)
	for _, r := range b.Replicas() {
		p := log.RetentionPolicy{Delete: b.hasPolicy(r, "delete"),
			RetentionMs: b.logInt(r, "retention.ms", "log.retention.ms"), RetentionBytes: b.logInt(r, "retention.bytes", "log.retention.bytes"),
			NowMs: b.nowMs(), EpochMs: b.opts.EpochMs, HighWatermark: r.HWM}
		res, err := r.log.DeleteOldSegments(p, b.now())
		tp := r.TP
		for _, d := range res.Deleted {
			s := d.Segment
			b.emit("segment_deleted", &tp, fmt.Sprintf("broker %d deleted segment %d of %s (offsets %d–%d, %d bytes) by %s: %s",
				b.opts.ID, s.BaseOffset, tp, s.BaseOffset, s.NextOffset-1, s.SizeBytes, d.Rule, d.Reason),
				map[string]any{"segment_base_offset": s.BaseOffset, "next_offset": s.NextOffset, "size_bytes": s.SizeBytes,
					"rule": d.Rule, "reason": d.Reason, "log_start_offset": res.LogStartOffset, "rolled": d.Rolled})
		}
		if err != nil {
			b.emit("storage_error", &tp, fmt.Sprintf("broker %d: retention of %s failed: %v", b.opts.ID, tp, err), nil)
		}
	}
	b.saveLogStartOffsets(st)
}

// beforeFollowerFetch handles a fetch response for a follower before the
// replica fetcher sees it: a follower whose log ends below the leader's
// log start offset cannot catch up by fetching (the leader deleted those
// segments), so it empties its log and restarts at the leader's log start
// offset, as Kafka's fetcher does on OFFSET_OUT_OF_RANGE.
// rs holds the replica of each partition of resp, in order (see fetcher.applies).
func (b *Broker) beforeFollowerFetch(rs []*Replica, resp proto.FetchResponse) {
	k := 0
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			r := rs[k]
			k++
			if r == nil || pr.ErrorCode != proto.OffsetOutOfRange || pr.LogStartOffset <= r.LEO() {
				continue
			}
			tp, leo := r.TP, r.LEO()
			if err := r.log.TruncateFullyAndStartAt(pr.LogStartOffset); err != nil {
				continue
			}
			// Kafka clears the leader epoch cache too, so the next fetch carries
			// no last fetched epoch to check for divergence.
			r.HWM, r.Epochs, r.producers = pr.LogStartOffset, nil, producers{}
			b.emit("log_truncated", &tp, fmt.Sprintf("broker %d's log of %s ends at %d, below the leader's log start offset %d: it restarts empty at %d",
				b.opts.ID, tp, leo, pr.LogStartOffset, pr.LogStartOffset),
				map[string]any{"from_offset": 0, "to_offset": leo, "log_start_offset": pr.LogStartOffset, "reason": "below the leader's log start offset"})
		}
	}
}

// afterFollowerFetch raises a follower's log start offset to the leader's
// (Kafka's maybeIncrementLogStartOffset with LeaderOffsetIncremented), never
// past the follower's high watermark; its next retention pass deletes the
// segments below it.
// rs holds the replica of each partition of resp, in order (see fetcher.applies).
func (b *Broker) afterFollowerFetch(st *storageState, rs []*Replica, resp proto.FetchResponse) {
	moved := false
	k := 0
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			r := rs[k]
			k++
			if r == nil || pr.ErrorCode != proto.None {
				continue
			}
			lso := min(pr.LogStartOffset, r.HWM)
			if lso <= r.log.LogStartOffset() || r.log.SetLogStartOffset(lso) != nil {
				continue
			}
			moved = true
			tp := r.TP
			b.emit("log_start_offset_moved", &tp, fmt.Sprintf("broker %d follows the leader's log start offset of %s: %d", b.opts.ID, tp, lso),
				map[string]any{"log_start_offset": lso, "reason": "leader"})
		}
	}
	if moved {
		b.saveLogStartOffsets(st)
	}
}
