package ui

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

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

// failedText names the errors records failed with ("NOT_ENOUGH_REPLICAS: 3").
func failedText(m map[string]int64) string {
	var b strings.Builder
	for _, k := range sortedKeys(m) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %d", k, m[k])
	}
	return b.String()
}

// consumerClass marks a stopped (crashed or closed) consumer.
func consumerClass(k view.ConsumerSnapshot) string {
	if k.Stopped {
		return "client stopped"
	}
	return "client"
}
