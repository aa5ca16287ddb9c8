package proto

// ShareAcknowledgeRequest (API key 79, KIP-932) acknowledges records a
// share consumer acquired, without fetching more: ACCEPT, RELEASE,
// REJECT, or RENEW (KIP-1222) to keep the lock.
type ShareAcknowledgeRequest struct {
	GroupID  string
	MemberID string
	Topics   []ShareFetchTopic // Acknowledgements only
	// Close ends the member's share session (Kafka: ShareSessionEpoch -1):
	// the leader releases every record the member still holds.
	Close bool
}

// ShareAcknowledgeResponse answers per partition.
type ShareAcknowledgeResponse struct {
	ErrorCode ErrorCode
	Topics    []ShareFetchTopicResponse // ErrorCode per partition, no records
}
