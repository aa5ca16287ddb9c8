package cluster

import (
	"fmt"
	"sort"
	"strings"
)

// ddConsumers is the dd "consumers" command: each consumer's record count,
// positions and lag (Consumer.Lag: HWM − position, or LSO − position under
// read_committed), partitions sorted.
func ddConsumers(g *goldenState, _ goldenCase) string {
	var b strings.Builder
	for _, name := range sortedKeys(g.c.Consumers) {
		cs := g.c.Consumers[name]
		fmt.Fprintf(&b, "%s consumed=%d positions={%s} lag={%s}\n", name, cs.Count, ddOffsets(cs.Positions()), ddOffsets(cs.Lag()))
	}
	return b.String()
}

// ddOffsets is "t-0:5 t-1:7" in partition-name order.
func ddOffsets(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
