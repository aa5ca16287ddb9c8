package proto

// BrokerRegistrationRequest (API key 62): a starting broker registers with the
// active controller and receives a new broker epoch.
type BrokerRegistrationRequest struct {
	BrokerID int32
	Rack     string
}

// BrokerRegistrationResponse carries the new broker epoch.
type BrokerRegistrationResponse struct {
	ErrorCode   ErrorCode
	BrokerEpoch int64
}
