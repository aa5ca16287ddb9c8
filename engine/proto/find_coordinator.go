package proto

// Coordinator key types of FindCoordinator.
const (
	CoordinatorGroup       int8 = 0
	CoordinatorTransaction int8 = 1
)

// FindCoordinatorRequest (API key 10) asks any broker which broker
// coordinates a consumer group or a transactional id. Modelled on version 3
// (one key per request).
type FindCoordinatorRequest struct {
	Key     string
	KeyType int8 // CoordinatorGroup or CoordinatorTransaction
}

// FindCoordinatorResponse names the coordinator: the leader of the key's
// __consumer_offsets (or __transaction_state) partition.
type FindCoordinatorResponse struct {
	ErrorCode    ErrorCode
	ErrorMessage string
	NodeID       int32 // -1 with an error
}
