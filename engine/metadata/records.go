// Package metadata is the cluster metadata of KRaft: the records the active
// controller appends to the __cluster_metadata log, and the image every
// broker builds by replaying them (topics, partitions, leaders, ISR, broker
// registrations and fencing).
package metadata

// Record is one entry of the metadata log. Exactly one field is set.
type Record struct {
	Offset int64
	// Epoch is the controller leader epoch that appended the record.
	Epoch           int32
	LeaderChange    *LeaderChange    `json:",omitempty"`
	RegisterBroker  *RegisterBroker  `json:",omitempty"`
	FenceBroker     *FenceBroker     `json:",omitempty"`
	UnfenceBroker   *UnfenceBroker   `json:",omitempty"`
	FeatureLevel    *FeatureLevel    `json:",omitempty"`
	Topic           *TopicRecord     `json:",omitempty"`
	Partition       *PartitionRecord `json:",omitempty"`
	PartitionChange *PartitionChange `json:",omitempty"`
	RemoveTopic     *RemoveTopic     `json:",omitempty"`
}

// LeaderChange (LeaderChangeMessage control record) is the first record a new
// controller leader appends; committing it commits everything before it.
type LeaderChange struct {
	LeaderID int32
	Voters   []int32
}

// RegisterBroker (RegisterBrokerRecord) records a broker joining with a new epoch.
type RegisterBroker struct {
	BrokerID    int32
	BrokerEpoch int64
	Rack        string
}

// FenceBroker (BrokerRegistrationChangeRecord fenced=true): the broker missed
// its heartbeats for broker.session.timeout.ms and may not lead.
type FenceBroker struct {
	BrokerID    int32
	BrokerEpoch int64
}

// UnfenceBroker: the broker caught up on metadata and heartbeats again.
type UnfenceBroker struct {
	BrokerID    int32
	BrokerEpoch int64
}

// FeatureLevel (FeatureLevelRecord) finalizes a feature at a level, as
// kafka-features.sh upgrade/downgrade does through the UpdateFeatures API.
type FeatureLevel struct {
	Name         string
	FeatureLevel int16
}

// TopicRecord creates a topic with its configs.
type TopicRecord struct {
	Name    string
	Configs map[string]string
}

// RemoveTopic (RemoveTopicRecord) deletes a topic and all its partitions.
// Kafka names the topic by its id; the engine names topics, and a topic
// created again under the same name is a new topic from that record on.
type RemoveTopic struct {
	Name string
}

// PartitionRecord creates one partition.
type PartitionRecord struct {
	Topic          string
	Partition      int32
	Replicas       []int32
	ISR            []int32
	Leader         int32
	LeaderEpoch    int32
	PartitionEpoch int32
}

// PartitionChange (PartitionChangeRecord) moves leadership or changes the ISR.
// A new leader always bumps the leader epoch; any change bumps the partition epoch.
type PartitionChange struct {
	Topic          string
	Partition      int32
	Leader         int32
	ISR            []int32
	LeaderEpoch    int32
	PartitionEpoch int32
	// Unclean is set when an out-of-sync replica was elected.
	Unclean bool `json:",omitempty"`
	// ELR and LastKnownELR (KIP-966) are the partition's new values; the
	// engine writes them whole where Kafka writes only the fields that change.
	ELR          []int32 `json:",omitempty"`
	LastKnownELR []int32 `json:",omitempty"`
}
