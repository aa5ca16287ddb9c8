package proto

// CreateTopicsRequest (API key 19); brokers forward it to the active controller.
type CreateTopicsRequest struct {
	Topics    []CreatableTopic
	TimeoutMs int32
}

// CreatableTopic is one topic to create.
type CreatableTopic struct {
	Name              string
	NumPartitions     int32
	ReplicationFactor int16
	Configs           map[string]string
}

// CreateTopicsResponse answers per topic.
type CreateTopicsResponse struct {
	Topics []CreatableTopicResult
}

// CreatableTopicResult is one topic's outcome.
type CreatableTopicResult struct {
	Name         string
	ErrorCode    ErrorCode
	ErrorMessage string
}
