package view

// OutsideClientSnapshot is one connection of a real Kafka client
// (server/kafkawire) to a simulated broker: what the client asked for and
// what the cluster answered, so a learner sees their own client in the
// page and a lesson can judge it.
type OutsideClientSnapshot struct {
	Node   string `json:"node"` // client-c1, …
	Broker int32  `json:"broker"`
	// State is open, closed (by the client) or reset (the broker's
	// process died and its kernel reset the connection).
	State    string           `json:"state"`
	Requests map[string]int64 `json:"requests"` // by API name
	// Produced counts the records the cluster acknowledged, by
	// topic-partition ("t-0"); ProducedEpoch is the partition's leader
	// epoch at the latest of those acknowledgements.
	Produced      map[string]int64 `json:"produced,omitempty"`
	ProducedEpoch map[string]int32 `json:"produced_epoch,omitempty"`
	Fetched       map[string]int64 `json:"fetched,omitempty"` // records fetches returned, by topic-partition
	// Errors counts the error codes in the answers (per partition where
	// the answer has partitions), by Kafka's name.
	Errors map[string]int64 `json:"errors,omitempty"`
}
