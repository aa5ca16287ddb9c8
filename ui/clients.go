package ui

// Clients lists producers and consumers with their counters.
type Clients struct {
	App *App
}

func failedTotal(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func lagTotal(m map[string]int64) int64 { return failedTotal(m) }
