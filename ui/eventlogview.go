package ui

// EventLog shows the newest trace events, filtered by kind and node.
type EventLog struct {
	App *App
}
