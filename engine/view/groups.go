package view

// GroupSnapshot describes a consumer group as its coordinator sees it.
type GroupSnapshot struct {
	GroupID     string `json:"group_id"`
	Coordinator int32  `json:"coordinator"` // broker id, -1 if unknown
	State       string `json:"state"`       // Empty, PreparingRebalance, CompletingRebalance, Stable, Dead
	Generation  int32  `json:"generation"`
}
