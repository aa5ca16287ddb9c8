package broker

import (
	"github.com/brokerlab/brokerlab/engine/trace"

	"fmt"
	"strconv"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// EpochEntry is one leader-epoch-checkpoint entry: the first offset written
// in an epoch (KIP-101).
type EpochEntry struct {
	Epoch       int32 `json:"epoch"`
	StartOffset int64 `json:"start_offset"`
}

// Replica is this broker's copy of one partition.
type Replica struct {
	TP  names.TopicPartition
	log *log.Log
	cfg config.Values // topic scope
	// Settings of cfg the per-request paths read, parsed once (a replica's
	// cfg never changes while it is open).
	minInsync       int
	maxMessageBytes int64
	logAppendTime   bool
	Replicas        []int32
	ISR             []int32
	Leader          int32
	LeaderEpoch     int32
	PartitionEpoch  int32
	IsLeader        bool
	HWM             int64
	Epochs          []EpochEntry
	incarnation     int32 // the topic's (metadata.Topic.Incarnation)

	// leader-only state
	followers        followerSet
	epochStartOffset int64
	alterPending     bool
	flushFailing     bool
	flushErr         string // the failing flush's error, while flushFailing
	producers        producers
}

// followerSet is the leader's view of the other replicas, one entry each:
// a handful, so a scan beats a map.
type followerSet []follower

// get returns the entry of replica id, or nil.
func (s followerSet) get(id int32) *follower {
	for i := range s {
		if s[i].id == id {
			return &s[i]
		}
	}
	return nil
}

type follower struct {
	id               int32
	leo              int64 // -1 until it fetches from this leader
	lastFetchLEO     int64 // leader LEO at its previous fetch
	lastFetchAt      time.Duration
	lastCaughtUpTime time.Duration
}

// Log exposes the replica's log (read-only use).
func (r *Replica) Log() *log.Log { return r.log }

// DiskError is the error of the failing flush while the replica cannot
// write to disk, else "".
func (r *Replica) DiskError() string { return r.flushErr }

// LEO is the log end offset.
func (r *Replica) LEO() int64 { return r.log.LEO() }

// FollowerLEO is the leader's view of a follower's LEO (-1 unknown).
func (r *Replica) FollowerLEO(id int32) int64 {
	if f := r.followers.get(id); f != nil {
		return f.leo
	}
	return -1
}

func (b *Broker) logDir(tp names.TopicPartition) string {
	return fmt.Sprintf("broker-%d/%s", b.opts.ID, tp)
}

func (b *Broker) topicConfig(t *metadata.Topic) config.Values {
	m := map[string]string{}
	for k, v := range t.Configs {
		m[k] = v
	}
	// Broker-wide defaults apply where the topic sets nothing.
	for _, name := range []string{"min.insync.replicas", "unclean.leader.election.enable"} {
		if _, ok := m[name]; !ok && b.opts.Config.IsSet(name) {
			m[name] = b.opts.Config.String(name)
		}
	}
	if _, ok := m["flush.messages"]; !ok && b.opts.Config.IsSet("log.flush.interval.messages") {
		m["flush.messages"] = b.opts.Config.String("log.flush.interval.messages")
	}
	if _, ok := m["segment.bytes"]; !ok && b.opts.Config.IsSet("log.segment.bytes") {
		m["segment.bytes"] = b.opts.Config.String("log.segment.bytes")
	}
	if _, ok := m["flush.ms"]; !ok && b.opts.Config.IsSet("log.flush.interval.ms") {
		m["flush.ms"] = b.opts.Config.String("log.flush.interval.ms")
	}
	v, err := config.Parse(config.Topic, m)
	if err != nil {
		panic("broker: topic configs were validated by the controller: " + err.Error())
	}
	return v
}

func logConfig(v config.Values, writeback time.Duration) log.Config {
	c := log.DefaultConfig()
	c.SegmentBytes = int(v.Int64("segment.bytes"))
	if v.IsSet(config.InternalSegmentBytes) {
		// LogConfig.segmentSize(): Kafka's internal setting overrides segment.bytes.
		// Kafka puts no floor on it; any value ≤ 1 rolls before every batch
		// (an empty segment never rolls), which 1 does here too.
		c.SegmentBytes = int(max(v.Int64(config.InternalSegmentBytes), 1))
	}
	c.SegmentMs = v.Int64("segment.ms")
	c.IndexIntervalBytes = int(v.Int64("index.interval.bytes"))
	c.FlushMessages = v.Int64("flush.messages")
	c.FlushMs = v.Int64("flush.ms")
	c.OSWritebackDelay = writeback
	return c
}

func (b *Broker) openReplica(tp names.TopicPartition, t *metadata.Topic) (*Replica, error) {
	cfg := b.topicConfig(t)
	if err := b.claimLogDir(tp, t.Incarnation); err != nil { // delete_topic.go
		return nil, err
	}
	l, rec, err := log.Open(b.opts.Store, b.logDir(tp), logConfig(cfg, b.opts.OSWriteback), b.now())
	if err != nil {
		return nil, err
	}
	for _, d := range rec.Dropped {
		b.emit("log_recovered", &tp, fmt.Sprintf("broker %d recovered %s: dropped %d bytes of segment %d at byte %d (%s)", b.opts.ID, tp, d.Bytes, d.BaseOffset, d.Position, d.Reason),
			map[string]any{"segment_base_offset": d.BaseOffset, "position": d.Position, "dropped_bytes": d.Bytes, "deleted": d.Deleted, "reason": d.Reason})
	}
	r := &Replica{TP: tp, log: l, cfg: cfg, Leader: -1, HWM: l.LogStartOffset(), incarnation: t.Incarnation,
		minInsync: int(cfg.Int64("min.insync.replicas")), maxMessageBytes: cfg.Int64("max.message.bytes"),
		logAppendTime: cfg.String("message.timestamp.type") == "LogAppendTime"}
	r.rebuildFromLog(l)
	return r, nil
}

// rebuildFromLog restores the leader epoch cache and producer state by
// scanning the recovered log (Kafka reads its checkpoint files and the
// producer snapshot; we rescan: same result).
func (r *Replica) rebuildFromLog(l *log.Log) {
	r.Epochs = nil
	r.producers = producers{}
	for off := l.LogStartOffset(); off < l.LEO(); {
		batches, err := l.Read(off, 1<<20)
		if err != nil || len(batches) == 0 {
			return
		}
		for _, bt := range batches {
			r.noteEpoch(bt.PartitionLeaderEpoch, bt.BaseOffset)
			r.producers.record(bt)
			off = bt.NextOffset()
		}
	}
}

func (r *Replica) noteEpoch(epoch int32, start int64) {
	if n := len(r.Epochs); n == 0 || epoch > r.Epochs[n-1].Epoch {
		r.Epochs = append(r.Epochs, EpochEntry{epoch, start})
	}
}

// latestEpoch is the epoch of the last entry in the epoch cache (-1 if none).
func (r *Replica) latestEpoch() int32 {
	if n := len(r.Epochs); n > 0 {
		return r.Epochs[n-1].Epoch
	}
	return -1
}

// endOffsetForEpoch answers OffsetsForLeaderEpoch: the largest epoch ≤ e
// this log knows and the offset where it ended (LEO if it is the latest).
func (r *Replica) endOffsetForEpoch(e int32) (int32, int64) {
	for i := len(r.Epochs) - 1; i >= 0; i-- {
		if r.Epochs[i].Epoch <= e {
			if i == len(r.Epochs)-1 {
				return r.Epochs[i].Epoch, r.LEO()
			}
			return r.Epochs[i].Epoch, r.Epochs[i+1].StartOffset
		}
	}
	return -1, -1
}

// truncateTo removes offsets ≥ to from the log and the epoch cache.
func (r *Replica) truncateTo(to int64) error {
	if err := r.log.Truncate(to); err != nil {
		return err
	}
	for len(r.Epochs) > 0 && r.Epochs[len(r.Epochs)-1].StartOffset >= to {
		r.Epochs = r.Epochs[:len(r.Epochs)-1]
	}
	if r.HWM > to {
		r.HWM = to
	}
	r.producers = producers{}
	// Producer state is rebuilt from what remains, as Kafka reloads it after truncation.
	r.rebuildProducersOnly()
	return nil
}

func (r *Replica) rebuildProducersOnly() {
	epochs := r.Epochs
	r.rebuildFromLog(r.log)
	r.Epochs = epochs
}

func (r *Replica) minISR() int { return r.minInsync }

func (b *Broker) applyPartitionState(r *Replica, p *metadata.Partition) {
	r.Replicas, r.ISR, r.PartitionEpoch = append([]int32(nil), p.Replicas...), append([]int32(nil), p.ISR...), p.PartitionEpoch
	switch {
	case p.Leader == b.opts.ID && (!r.IsLeader || r.LeaderEpoch != p.LeaderEpoch):
		b.becomeLeader(r, p.LeaderEpoch)
	case p.Leader != b.opts.ID && (r.IsLeader || r.Leader != p.Leader || r.LeaderEpoch != p.LeaderEpoch):
		b.becomeFollower(r, p.Leader, p.LeaderEpoch)
	}
	r.Leader = p.Leader
	if r.IsLeader {
		b.maybeAdvanceHWM(r)
	}
}

func (b *Broker) becomeLeader(r *Replica, epoch int32) {
	r.IsLeader, r.LeaderEpoch, r.Leader = true, epoch, b.opts.ID
	r.noteEpoch(epoch, r.LEO())
	r.epochStartOffset = r.LEO()
	r.followers = make(followerSet, 0, len(r.Replicas))
	for _, id := range r.Replicas {
		if id != b.opts.ID && r.followers.get(id) == nil {
			r.followers = append(r.followers, follower{id: id, leo: -1, lastCaughtUpTime: b.now(), lastFetchAt: b.now()})
		}
	}
	tp := r.TP
	b.emit("became_leader", &tp, fmt.Sprintf("broker %d leads %s in leader epoch %d from offset %d", b.opts.ID, tp, epoch, r.LEO()),
		map[string]any{"leader_epoch": epoch, "leo": r.LEO(), "hwm": r.HWM, "isr": r.ISR})
	b.scheduleISRCheck(r)
}

func (b *Broker) becomeFollower(r *Replica, leader int32, epoch int32) {
	wasLeader := r.IsLeader
	r.IsLeader, r.LeaderEpoch, r.Leader = false, epoch, leader
	r.followers = nil
	b.purgatory.failPartition(b, r.TP, proto.NotLeaderOrFollower, "leadership moved while waiting for replication")
	if wasLeader || leader >= 0 {
		tp := r.TP
		what := "follows broker " + strconv.Itoa(int(leader))
		if leader < 0 {
			what = "has no leader (partition offline)"
		}
		b.emit("became_follower", &tp, fmt.Sprintf("broker %d %s for %s in leader epoch %d", b.opts.ID, what, tp, epoch),
			map[string]any{"leader": leader, "leader_epoch": epoch})
	}
}

// maybeAdvanceHWM sets the high watermark to the smallest LEO among the
// leader and the ISR; it never moves back and is frozen while the ISR is
// smaller than min.insync.replicas.
func (b *Broker) maybeAdvanceHWM(r *Replica) {
	hw := r.LEO()
	if hw <= r.HWM || len(r.ISR) < r.minISR() {
		return // nothing above the HWM (an idle partition), or frozen
	}
	for _, id := range r.ISR {
		if id == b.opts.ID {
			continue
		}
		f := r.followers.get(id)
		if f == nil || f.leo < 0 {
			return
		}
		if f.leo < hw {
			hw = f.leo
		}
	}
	if hw > r.HWM {
		old := r.HWM
		r.HWM = hw
		tp := r.TP
		b.emitFields("hwm_advanced", &tp, "", trace.Int("from", old), trace.Int("to", hw))
		if b.actions.deferring {
			b.actions.produce = append(b.actions.produce, r)
			b.actions.fetch = true
			return
		}
		b.purgatory.checkProduce(b, r)
		b.purgatory.checkFetch(b)
	}
}
