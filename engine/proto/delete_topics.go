package proto

// DeleteTopicsRequest (API key 20) deletes topics by name; brokers forward
// it to the active controller, which appends a RemoveTopicRecord per topic.
// Every broker then stops its replicas of the topic and deletes their logs,
// and the coordinators forget the topic's committed offsets and share state.
type DeleteTopicsRequest struct {
	Topics    []string
	TimeoutMs int32
}

// DeletableTopicResult is one topic's outcome.
type DeletableTopicResult struct {
	Name         string
	ErrorCode    ErrorCode
	ErrorMessage string
}

// DeleteTopicsResponse answers per topic.
type DeleteTopicsResponse struct {
	Topics []DeletableTopicResult
}
