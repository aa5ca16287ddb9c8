package metadata

import "sort"

// Broker is a registered broker as the metadata log describes it.
type Broker struct {
	ID     int32
	Epoch  int64
	Rack   string
	Fenced bool
}

// Partition is a partition's assignment and leadership.
type Partition struct {
	Topic          string
	Index          int32
	Replicas       []int32
	ISR            []int32
	Leader         int32
	LeaderEpoch    int32
	PartitionEpoch int32
	// ELR is the eligible leader replicas (KIP-966): replicas that left the
	// ISR while it was below min.insync.replicas, so they still hold every
	// committed record and may lead when the ISR is empty.
	ELR []int32
	// LastKnownELR holds the last known leader once the ISR and the ELR are
	// both empty (Kafka stores it in lastKnownElr when
	// useLastKnownLeaderInBalancedRecovery is on, its default).
	LastKnownELR []int32
}

// LastKnownLeader is the last known leader kept for unclean recovery, or -1.
func (p *Partition) LastKnownLeader() int32 {
	if len(p.LastKnownELR) == 1 {
		return p.LastKnownELR[0]
	}
	return -1
}

// Topic is a topic with its partitions.
type Topic struct {
	Name       string
	Configs    map[string]string
	Partitions []*Partition
	// Incarnation counts the topics of this name deleted before this one
	// was created: Kafka tells a topic created again from the deleted one
	// by its topic id, the engine by name and incarnation.
	Incarnation int32
}

// Image is the state obtained by replaying the metadata log up to Offset.
type Image struct {
	Offset  int64 // offset of the last applied record, -1 if none
	Brokers map[int32]*Broker
	Topics  map[string]*Topic
	// Features are the finalized feature levels recorded in the log
	// (FeatureLevelRecord); a feature not recorded is at its bootstrap level.
	Features map[string]int16
	// Removed counts the RemoveTopic records per topic name.
	Removed map[string]int32
}

// NewImage returns an empty image.
func NewImage() *Image {
	return &Image{Offset: -1, Brokers: map[int32]*Broker{}, Topics: map[string]*Topic{}, Features: map[string]int16{}}
}

// Apply replays one record.
func (im *Image) Apply(r Record) {
	im.Offset = r.Offset
	switch {
	case r.RegisterBroker != nil:
		x := r.RegisterBroker
		im.Brokers[x.BrokerID] = &Broker{ID: x.BrokerID, Epoch: x.BrokerEpoch, Rack: x.Rack, Fenced: true}
	case r.FenceBroker != nil:
		if b := im.Brokers[r.FenceBroker.BrokerID]; b != nil {
			b.Fenced = true
		}
	case r.UnfenceBroker != nil:
		if b := im.Brokers[r.UnfenceBroker.BrokerID]; b != nil {
			b.Fenced = false
		}
	case r.FeatureLevel != nil:
		im.Features[r.FeatureLevel.Name] = r.FeatureLevel.FeatureLevel
	case r.Topic != nil:
		im.Topics[r.Topic.Name] = &Topic{Name: r.Topic.Name, Configs: copyConfigs(r.Topic.Configs), Incarnation: im.Removed[r.Topic.Name]}
	case r.RemoveTopic != nil:
		delete(im.Topics, r.RemoveTopic.Name)
		if im.Removed == nil {
			im.Removed = map[string]int32{}
		}
		im.Removed[r.RemoveTopic.Name]++
	case r.Partition != nil:
		x := r.Partition
		t := im.Topics[x.Topic]
		if t == nil {
			panic("metadata: partition record for unknown topic " + x.Topic)
		}
		for int32(len(t.Partitions)) <= x.Partition {
			t.Partitions = append(t.Partitions, nil)
		}
		t.Partitions[x.Partition] = &Partition{Topic: x.Topic, Index: x.Partition,
			Replicas: clone(x.Replicas), ISR: clone(x.ISR), Leader: x.Leader,
			LeaderEpoch: x.LeaderEpoch, PartitionEpoch: x.PartitionEpoch}
	case r.PartitionChange != nil:
		x := r.PartitionChange
		p := im.Partition(x.Topic, x.Partition)
		if p == nil {
			panic("metadata: change for unknown partition")
		}
		p.Leader, p.ISR, p.LeaderEpoch, p.PartitionEpoch = x.Leader, clone(x.ISR), x.LeaderEpoch, x.PartitionEpoch
		p.ELR, p.LastKnownELR = clone(x.ELR), clone(x.LastKnownELR)
	}
}

// Partition finds a partition or returns nil.
func (im *Image) Partition(topic string, index int32) *Partition {
	t := im.Topics[topic]
	if t == nil || index < 0 || int(index) >= len(t.Partitions) {
		return nil
	}
	return t.Partitions[index]
}

// TopicNames lists topics, sorted.
func (im *Image) TopicNames() []string {
	out := make([]string, 0, len(im.Topics))
	for n := range im.Topics {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// BrokerIDs lists registered brokers, sorted.
func (im *Image) BrokerIDs() []int32 {
	out := make([]int32, 0, len(im.Brokers))
	for id := range im.Brokers {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Contains reports whether id is in ids.
func Contains(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func clone(ids []int32) []int32 { return append([]int32(nil), ids...) }

func copyConfigs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
