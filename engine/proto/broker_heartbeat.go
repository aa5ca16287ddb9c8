package proto

// BrokerHeartbeatRequest (API key 63) keeps a broker's session alive and
// reports how far it has replayed the metadata log.
type BrokerHeartbeatRequest struct {
	BrokerID              int32
	BrokerEpoch           int64
	CurrentMetadataOffset int64
	WantFence             bool
}

// BrokerHeartbeatResponse tells the broker whether it is fenced.
type BrokerHeartbeatResponse struct {
	ErrorCode ErrorCode
	IsFenced  bool
}
