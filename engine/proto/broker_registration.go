package proto

// BrokerRegistrationRequest (API key 62): a starting broker registers with the
// active controller and receives a new broker epoch.
type BrokerRegistrationRequest struct {
	BrokerID int32
	Rack     string
	// PreviousBrokerEpoch is the epoch of this process's last registration,
	// or -1 after a crash (Kafka reads it from the clean shutdown file): a
	// mismatch tells the controller the broker shut down uncleanly.
	PreviousBrokerEpoch int64
}

// BrokerRegistrationResponse carries the new broker epoch.
type BrokerRegistrationResponse struct {
	ErrorCode   ErrorCode
	BrokerEpoch int64
}
