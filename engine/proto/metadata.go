package proto

// MetadataRequest (API key 3) asks a broker what it knows of the cluster.
type MetadataRequest struct {
	Topics []string // nil = all topics
	// AllowAutoTopicCreation (v4+) lets the broker create an unknown topic
	// when auto.create.topics.enable is on (the client's allow.auto.create.topics).
	AllowAutoTopicCreation bool
}

// MetadataResponse lists brokers and partition leadership.
type MetadataResponse struct {
	Brokers      []BrokerMetadata
	ControllerID int32
	Topics       []TopicMetadata
}

// BrokerMetadata is one live broker.
type BrokerMetadata struct {
	NodeID int32
	Rack   string
}

// TopicMetadata describes a topic's partitions.
type TopicMetadata struct {
	ErrorCode  ErrorCode
	Name       string
	Partitions []PartitionMetadata
}

// PartitionMetadata describes one partition.
type PartitionMetadata struct {
	ErrorCode       ErrorCode
	Index           int32
	Leader          int32 // -1 when offline
	LeaderEpoch     int32
	Replicas        []int32
	ISR             []int32
	OfflineReplicas []int32
}
