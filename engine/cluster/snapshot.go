package cluster

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/metadata"
)

// Snapshot is the whole observable state. Field names are stable snake_case.
type Snapshot struct {
	TimeUS     int64              `json:"time_us"`
	Time       string             `json:"time"`
	Seed       uint64             `json:"seed"`
	EndUS      int64              `json:"end_us"`
	Events     int64              `json:"events"`
	Controller ControllerSnapshot `json:"controller"`
	Brokers    []BrokerSnapshot   `json:"brokers"`
	Topics     []TopicSnapshot    `json:"topics"`
	Partitions []PartitionState   `json:"partitions"`
	Producers  []ProducerSnapshot `json:"producers"`
	Consumers  []ConsumerSnapshot `json:"consumers"`
	Network    NetworkSnapshot    `json:"network"`
}

// ControllerSnapshot describes the KRaft controller.
type ControllerSnapshot struct {
	ID             int32  `json:"id"`
	State          string `json:"state"`
	MetadataOffset int64  `json:"metadata_offset"`
}

// BrokerSnapshot describes one broker.
type BrokerSnapshot struct {
	ID             int32          `json:"id"`
	Rack           string         `json:"rack,omitempty"`
	State          string         `json:"state"` // up, down
	Fenced         bool           `json:"fenced"`
	BrokerEpoch    int64          `json:"broker_epoch"`
	MetadataOffset int64          `json:"metadata_offset"`
	UnflushedBytes int64          `json:"unflushed_bytes"`
	Metrics        broker.Metrics `json:"metrics"`
}

// TopicSnapshot describes a topic.
type TopicSnapshot struct {
	Name              string            `json:"name"`
	Partitions        int               `json:"partitions"`
	ReplicationFactor int               `json:"replication_factor"`
	Configs           map[string]string `json:"configs"`
}

// PartitionState describes one partition across its replicas.
type PartitionState struct {
	Topic          string            `json:"topic"`
	Partition      int32             `json:"partition"`
	Leader         int32             `json:"leader"`
	LeaderEpoch    int32             `json:"leader_epoch"`
	ISR            []int32           `json:"isr"`
	HWM            int64             `json:"hwm"`
	LogStartOffset int64             `json:"log_start_offset"`
	Replicas       []ReplicaSnapshot `json:"replicas"`
	Records        []RecordView      `json:"records,omitempty"`
}

// ReplicaSnapshot describes one broker's copy of a partition.
type ReplicaSnapshot struct {
	Broker         int32               `json:"broker"`
	State          string              `json:"state"` // leader, follower, offline
	LEO            int64               `json:"leo"`
	HWM            int64               `json:"hwm"`
	LogStartOffset int64               `json:"log_start_offset"`
	FlushedOffset  int64               `json:"flushed_offset"`
	UnflushedBytes int64               `json:"unflushed_bytes"`
	InSync         bool                `json:"in_sync"`
	Epochs         []broker.EpochEntry `json:"leader_epochs"`
	Segments       []log.SegmentInfo   `json:"segments"`
}

// RecordView is one record as a learner opens it.
type RecordView struct {
	Offset        int64             `json:"offset"`
	Key           *string           `json:"key"`
	Value         *string           `json:"value"`
	Timestamp     int64             `json:"timestamp"`
	TimestampType string            `json:"timestamp_type"`
	Headers       map[string]string `json:"headers,omitempty"`
	LeaderEpoch   int32             `json:"leader_epoch"`
	ProducerID    int64             `json:"producer_id"`
	Sequence      int32             `json:"sequence"`
	BatchBase     int64             `json:"batch_base_offset"`
}

// ProducerSnapshot describes a producer.
type ProducerSnapshot struct {
	Name            string             `json:"name"`
	Sent            int64              `json:"sent"`
	Acked           int64              `json:"acked"`
	Failed          map[string]int64   `json:"failed"`
	Queued          int                `json:"queued"`
	Retries         int64              `json:"retries"`
	Idempotent      bool               `json:"idempotent"`
	BufferAvailable int64              `json:"buffer_available_bytes"`
	Metrics         map[string]float64 `json:"metrics"`
}

// ConsumerSnapshot describes a consumer.
type ConsumerSnapshot struct {
	Name      string           `json:"name"`
	Consumed  int64            `json:"consumed"`
	Positions map[string]int64 `json:"positions"`
	Lag       map[string]int64 `json:"lag"`
}

// NetworkSnapshot lists cut links.
type NetworkSnapshot struct {
	Cuts [][2]string `json:"cuts"`
}

// SnapshotOptions choose optional parts.
type SnapshotOptions struct {
	Records    bool
	MaxRecords int // per partition, newest kept; 0 = 1000
}

// Snapshot describes the cluster now.
func (c *Cluster) Snapshot(o SnapshotOptions) Snapshot {
	s := Snapshot{TimeUS: int64(c.Now() / time.Microsecond), Time: c.Now().String(), Seed: c.Scenario.Seed,
		EndUS: int64(c.Scenario.End / time.Microsecond), Events: c.Trace.Count()}
	s.Controller = ControllerSnapshot{ID: c.Controller.ID, State: upDown(c.Controller.Down()), MetadataOffset: c.Controller.LogEnd() - 1}
	for _, b := range c.Brokers {
		bs := BrokerSnapshot{ID: b.ID(), Rack: b.Rack(), State: upDown(b.Down()), Fenced: b.Fenced(), BrokerEpoch: b.Epoch(),
			MetadataOffset: b.MetadataOffset(), Metrics: b.Metrics}
		for _, r := range b.Replicas() {
			bs.UnflushedBytes += r.Log().UnflushedBytes()
		}
		s.Brokers = append(s.Brokers, bs)
	}
	img := c.Controller.Image()
	for _, tn := range img.TopicNames() {
		t := img.Topics[tn]
		ts := TopicSnapshot{Name: tn, Partitions: len(t.Partitions), Configs: t.Configs}
		if len(t.Partitions) > 0 {
			ts.ReplicationFactor = len(t.Partitions[0].Replicas)
		}
		s.Topics = append(s.Topics, ts)
		for _, p := range t.Partitions {
			s.Partitions = append(s.Partitions, c.partitionState(p, o))
		}
	}
	for _, name := range sortedKeys(c.Producers) {
		p := c.Producers[name]
		s.Producers = append(s.Producers, ProducerSnapshot{Name: name, Sent: p.Stats.Sent, Acked: p.Stats.Acked, Failed: p.Stats.Failed,
			Queued: p.Queued(), Retries: p.Stats.Retries, Idempotent: p.Idempotent(), BufferAvailable: p.BufferAvailable(), Metrics: producerMetrics(p)})
	}
	for _, name := range sortedKeys(c.Consumers) {
		cs := c.Consumers[name]
		s.Consumers = append(s.Consumers, ConsumerSnapshot{Name: name, Consumed: cs.Count, Positions: cs.Positions(), Lag: cs.Lag()})
	}
	s.Network.Cuts = [][2]string{}
	for _, cut := range c.Net.Cuts() {
		s.Network.Cuts = append(s.Network.Cuts, [2]string{string(cut[0]), string(cut[1])})
	}
	return s
}

func (c *Cluster) partitionState(p *metadata.Partition, o SnapshotOptions) PartitionState {
	ps := PartitionState{Topic: p.Topic, Partition: p.Index, Leader: p.Leader, LeaderEpoch: p.LeaderEpoch, ISR: append([]int32{}, p.ISR...), HWM: -1, LogStartOffset: -1}
	var source *broker.Replica
	for _, id := range p.Replicas {
		b := c.Broker(int(id))
		rs := ReplicaSnapshot{Broker: id, State: "offline", LEO: -1, HWM: -1, LogStartOffset: -1, FlushedOffset: -1, InSync: metadata.Contains(p.ISR, id)}
		if r := b.Replica(broker.TP{Topic: p.Topic, Partition: p.Index}); r != nil && !b.Down() {
			l := r.Log()
			rs.State = "follower"
			if r.IsLeader {
				rs.State = "leader"
			}
			rs.LEO, rs.HWM, rs.LogStartOffset = l.LEO(), r.HWM, l.LogStartOffset()
			rs.FlushedOffset, rs.UnflushedBytes = l.FlushedOffset(), l.UnflushedBytes()
			rs.Epochs = append([]broker.EpochEntry{}, r.Epochs...)
			rs.Segments = l.Segments()
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
		ps.Records = records(source, o.MaxRecords)
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

func producerMetrics(p *client.Producer) map[string]float64 {
	m := map[string]float64{"buffer-available-bytes": float64(p.BufferAvailable())}
	st := p.Stats
	if st.Batches > 0 {
		m["batch-size-avg"] = float64(st.BatchBytes) / float64(st.Batches)
		m["record-queue-time-avg"] = float64(st.QueueTimeTotal/time.Microsecond) / 1000 / float64(st.Batches)
	}
	if st.Requests > 0 {
		m["records-per-request-avg"] = float64(st.Sent) / float64(st.Requests)
	}
	if lat := p.Latencies(); len(lat) > 0 {
		m["produce-latency-p50-ms"] = ms(lat[len(lat)*50/100])
		m["produce-latency-p99-ms"] = ms(lat[min(len(lat)-1, len(lat)*99/100)])
	}
	return m
}

func ms(d time.Duration) float64 { return float64(d/time.Microsecond) / 1000 }
