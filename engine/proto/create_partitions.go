package proto

// CreatePartitionsTopic asks for a topic to grow to Count partitions.
type CreatePartitionsTopic struct {
	Name  string
	Count int32
}

// CreatePartitionsRequest (API key 37) adds partitions to existing topics;
// brokers forward it to the active controller. Partitions can only be added:
// keys then hash to different partitions, and consumer groups rebalance.
type CreatePartitionsRequest struct {
	Topics    []CreatePartitionsTopic
	TimeoutMs int32
}

// CreatePartitionsTopicResult is one topic's outcome.
type CreatePartitionsTopicResult struct {
	Name         string
	ErrorCode    ErrorCode
	ErrorMessage string
}

// CreatePartitionsResponse answers per topic.
type CreatePartitionsResponse struct {
	Results []CreatePartitionsTopicResult
}
