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

// armedText says where a consumer's armed crash will strike.
func armedText(at string) string {
	if at == "before_process" {
		return T("clients.armed.poll")
	}
	return T("clients.armed.commit")
}

// consumerClass marks a stopped (crashed or closed) consumer.
func consumerClass(k view.ConsumerSnapshot) string {
	if k.Stopped {
		return "client stopped"
	}
	return "client"
}

// ShowOutside: the outside-clients column shows once a real Kafka client
// connected, or in a lesson step about one (its instructions then).
func (a *App) ShowOutside() bool {
	return len(a.F.Snap.Outside) > 0 || (a.Lesson != nil && a.Allows("outside_client"))
}

// outsideText sums up one outside connection: its requests, and the
// records acknowledged and fetched.
func outsideText(o view.OutsideClientSnapshot) string {
	var b strings.Builder
	fmt.Fprintf(&b, "→ broker %d", o.Broker)
	for i, k := range sortedKeys(o.Requests) {
		sep := ", "
		if i == 0 {
			sep = " · "
		}
		fmt.Fprintf(&b, "%s%s ×%d", sep, k, o.Requests[k])
	}
	if n := failedTotal(o.Produced); n > 0 {
		b.WriteString(" · " + Tf("outside.acked", n))
	}
	if n := failedTotal(o.Fetched); n > 0 {
		b.WriteString(" · " + Tf("outside.fetched", n))
	}
	return b.String()
}

// outsideState names a connection's state when it is not open.
func outsideState(state string) string {
	if state == "reset" {
		return T("outside.reset")
	}
	return T("outside.closed")
}
