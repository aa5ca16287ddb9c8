package ui

// EventLog shows the newest trace events, filtered by kind and node.
type EventLog struct {
	App *App
}

func (c *EventLog) where(r LogRow) string {
	switch {
	case r.Node != "" && r.Where != "":
		return r.Node + " · " + r.Where
	case r.Node != "":
		return r.Node
	}
	return r.Where
}
