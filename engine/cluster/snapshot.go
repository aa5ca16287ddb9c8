package cluster

import (
	"sort"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Snapshot is the whole observable state (see package view).
type Snapshot = view.Snapshot

// SnapshotOptions choose optional parts.
type SnapshotOptions struct {
	Records    bool
	MaxRecords int // per partition, newest kept; 0 = 1000
	// RecordsFrom, when not nil, asks for the records from that offset on
	// instead of the newest: a log strip paged back to older offsets. When
	// fewer than MaxRecords follow it, the newest MaxRecords are given.
	RecordsFrom *int64
	// Topics limits partitions (and their records) to these topics; empty =
	// all. Every topic is still listed, with its partition count.
	Topics []string
	// NoInternal leaves out the partitions of internal topics
	// (__consumer_offsets, __transaction_state).
	NoInternal bool
}

func (o SnapshotOptions) wants(topic string) bool {
	if o.NoInternal && strings.HasPrefix(topic, "__") {
		return false
	}
	if len(o.Topics) == 0 {
		return true
	}
	for _, t := range o.Topics {
		if t == topic {
			return true
		}
	}
	return false
}

// snapshotPart fills a part of the snapshot owned by one concern (groups,
// producers, storage), written in that concern's snapshot_<name>.go file.
type snapshotPart func(c *Cluster, s *view.Snapshot, o SnapshotOptions)

// snapshotParts are the parts Snapshot fills after its own, in this order.
var snapshotParts = []snapshotPart{
	groupsSnapshot,       // snapshot_groups.go: consumer groups, members, lag
	producerPart,         // snapshot_producer.go: producer metrics and inside
	storageSnapshot,      // snapshot_storage.go: cleaner and read path per replica
	transactionsSnapshot, // snapshot_txn.go: transactional producers, coordinators, LSO
	shareConsumersPart,   // snapshot_share.go: share consumers
}

// Snapshot describes the cluster now.
func (c *Cluster) Snapshot(o SnapshotOptions) Snapshot {
	s := Snapshot{TimeUS: int64(c.Now() / time.Microsecond), Time: c.Now().String(), Seed: c.Scenario.Seed,
		EndUS: int64(c.Scenario.End / time.Microsecond), Events: c.Trace.Count()}
	s.Controller = view.ControllerSnapshot{ID: -1, State: "no leader", MetadataOffset: c.metadataImage().HighWatermark() - 1}
	if a := c.ActiveController(); a != nil {
		s.Controller.ID, s.Controller.State, s.Controller.Epoch = a.ID, "active", a.Epoch()
	}
	s.Controller.Features = c.metadataImage().CommittedFeatureLevels()
	img := c.metadataImage().CommittedImage()
	for _, v := range c.Controllers {
		s.Quorum = append(s.Quorum, view.VoterSnapshot{ID: v.ID, State: upDown(v.Down()), Role: string(v.Role()), Epoch: v.Epoch(),
			Leader: v.LeaderID(), VotedFor: v.VotedFor(), LogEndOffset: v.LogEnd(), HighWatermark: v.HighWatermark()})
	}
	for _, b := range c.Brokers {
		fenced := b.Fenced() // what the broker last heard; the controller's record wins
		if r := img.Brokers[b.ID()]; r != nil {
			fenced = r.Fenced
		}
		bs := view.BrokerSnapshot{ID: b.ID(), Rack: b.Rack(), State: upDown(b.Down()), Fenced: fenced, BrokerEpoch: b.Epoch(),
			MetadataOffset: b.MetadataOffset(), Metrics: b.Metrics}
		for _, r := range b.Replicas() {
			bs.UnflushedBytes += r.Log().UnflushedBytes()
			if e := r.DiskError(); e != "" && bs.DiskError == "" {
				bs.DiskError = r.TP.String() + ": " + e
			}
		}
		s.Brokers = append(s.Brokers, bs)
	}
	for _, tn := range img.TopicNames() {
		t := img.Topics[tn]
		ts := view.TopicSnapshot{Name: tn, Partitions: len(t.Partitions), Configs: t.Configs}
		if len(t.Partitions) > 0 {
			ts.ReplicationFactor = len(t.Partitions[0].Replicas)
		}
		s.Topics = append(s.Topics, ts)
		if !o.wants(tn) {
			continue
		}
		for _, p := range t.Partitions {
			s.Partitions = append(s.Partitions, c.partitionState(p, o))
		}
	}
	for _, name := range sortedKeys(c.Producers) {
		p := c.Producers[name]
		s.Producers = append(s.Producers, view.ProducerSnapshot{Name: name, Sent: p.Stats.Sent, Acked: p.Stats.Acked, Failed: p.Stats.Failed,
			Queued: p.Queued(), Retries: p.Stats.Retries, Idempotent: p.Idempotent(), BufferAvailable: p.BufferAvailable()})
	}
	for _, name := range sortedKeys(c.Consumers) {
		cs := c.Consumers[name]
		s.Consumers = append(s.Consumers, view.ConsumerSnapshot{Name: name, Consumed: cs.Count, Positions: cs.Positions(), Lag: cs.Lag(), Stopped: cs.Stopped(), CrashArmed: cs.CrashArmed()})
	}
	for _, part := range snapshotParts {
		part(c, &s, o)
	}
	s.Network.Cuts = [][2]string{}
	for _, cut := range c.Net.Cuts() {
		s.Network.Cuts = append(s.Network.Cuts, [2]string{string(cut[0]), string(cut[1])})
	}
	s.Outside = c.outsideView() // external_stats.go
	return s
}

func (c *Cluster) partitionState(p *metadata.Partition, o SnapshotOptions) view.PartitionState {
	ps := view.PartitionState{Topic: p.Topic, Partition: p.Index, Leader: p.Leader, LeaderEpoch: p.LeaderEpoch, ISR: append([]int32{}, p.ISR...), HWM: -1, LogStartOffset: -1}
	if len(p.ELR) > 0 {
		ps.ELR = append([]int32{}, p.ELR...)
	}
	if l := p.LastKnownLeader(); l >= 0 {
		ps.LastKnownLeader = &l
	}
	var source *broker.Replica
	for _, id := range p.Replicas {
		b := c.Broker(int(id))
		rs := view.ReplicaSnapshot{Broker: id, State: "offline", LEO: -1, HWM: -1, LogStartOffset: -1, FlushedOffset: -1, InSync: metadata.Contains(p.ISR, id)}
		if r := b.Replica(names.TopicPartition{Topic: p.Topic, Partition: p.Index}); r != nil && !b.Down() {
			l := r.Log()
			rs.State = "follower"
			if r.IsLeader {
				rs.State = "leader"
			}
			rs.LEO, rs.HWM, rs.LogStartOffset = l.LEO(), r.HWM, l.LogStartOffset()
			rs.FlushedOffset, rs.UnflushedBytes = l.FlushedOffset(), l.UnflushedBytes()
			for _, e := range r.Epochs {
				rs.Epochs = append(rs.Epochs, view.EpochEntry(e))
			}
			rs.Segments = segments(l.Segments())
			if r.IsLeader || source == nil {
				source = r
			}
			if r.IsLeader {
				ps.HWM, ps.LogStartOffset = r.HWM, l.LogStartOffset()
			}
		}
		ps.Replicas = append(ps.Replicas, rs)
	}
	if ps.HWM < 0 && source != nil {
		ps.HWM, ps.LogStartOffset = source.HWM, source.Log().LogStartOffset()
	}
	if o.Records && source != nil {
		ps.Records = recordsFrom(source, o.MaxRecords, o.RecordsFrom)
	}
	return ps
}

func upDown(down bool) string {
	if down {
		return "down"
	}
	return "up"
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ms(d time.Duration) float64 { return float64(d/time.Microsecond) / 1000 }
