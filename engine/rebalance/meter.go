// Package rebalance measures what a rebalance cost a consumer group, from
// its consumers' ownership events alone (partitions_assigned,
// partitions_revoked, partitions_lost, consumer_crashed, consumer_closed):
// partition-seconds unowned, the time to settle, partitions moved. It
// reads view.Events only, so the engine's benchmarks and the lessons'
// predicates (in ui.wasm) share one measure.
package rebalance

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Cost is what one rebalance trigger cost a consumer group, as
// its consumers saw it: how long partitions of the group's topics were
// owned by no member (partition-seconds: 2 partitions unowned for 3 s
// count 6), and how long after the trigger the last partition changed
// hands (settle time). Kafka has no single metric for either; its
// consumers report rebalance-latency-avg (classic) and the time spent in
// the listener callbacks, which are pieces of these.
type Cost struct {
	Group             string
	From, Until       time.Duration // the window: the trigger and the end of the measurement
	UnownedPartitionS float64       // partition-seconds unowned in the window
	Settle            time.Duration // from From to the last ownership change in the window
	Changes           int           // ownership changes (revoked, assigned, lost) in the window
	Moves             int           // partitions whose owner at Until differs from the owner at From
	Unowned           int           // partitions unowned at Until
	Truncated         bool          // the trace had discarded events the measurement needed
}

// Meter measures a Cost from a group's consumer events
// as they happen: partitions owned per consumer from partitions_assigned
// (the whole owned set), partitions_revoked and partitions_lost, and a
// crashed or closed consumer owning nothing.
type Meter struct {
	all     []string                   // the partitions, sorted
	owned   map[string]map[string]bool // consumer node → partitions it owns
	at      time.Duration              // the time unowned partitions are counted up to
	before  map[string]string          // owners at From
	started bool
	done    bool
	cost    Cost
}

// NewMeter measures group over [from, until]; topics gives each
// topic's partition count.
func NewMeter(group string, topics map[string]int32, from, until time.Duration) *Meter {
	m := &Meter{owned: map[string]map[string]bool{}, at: from, cost: Cost{Group: group, From: from, Until: until}}
	for t, n := range topics {
		for p := range n {
			m.all = append(m.all, names.TopicPartition{Topic: t, Partition: p}.String())
		}
	}
	sort.Strings(m.all)
	return m
}

// Observe takes the next event of the trace, in order.
func (m *Meter) Observe(e *view.Event) {
	t := time.Duration(e.TimeUS) * time.Microsecond
	if m.done || t > m.cost.Until {
		return
	}
	if t >= m.cost.From && !m.started {
		m.started, m.before = true, m.owners()
	}
	if !isOwnershipEvent(e, m.cost.Group) {
		return
	}
	if t >= m.cost.From {
		m.advance(t)
	}
	ps := m.owned[e.Node]
	if ps == nil {
		ps = map[string]bool{}
		m.owned[e.Node] = ps
	}
	switch e.Kind {
	case "partitions_assigned":
		clear(ps)
		for _, tp := range view.Strings(e.Data["partitions"]) {
			ps[tp] = true
		}
	case "partitions_revoked", "partitions_lost":
		for _, tp := range view.Strings(e.Data["partitions"]) {
			delete(ps, tp)
		}
	case "consumer_crashed", "consumer_closed":
		clear(ps)
	}
	if t >= m.cost.From {
		m.cost.Changes++
		m.cost.Settle = t - m.cost.From
	}
}

// Result ends the measurement at Until (call it once time reached Until).
func (m *Meter) Result() Cost {
	if !m.done {
		if !m.started {
			m.started, m.before = true, m.owners()
		}
		m.advance(m.cost.Until)
		after := m.owners()
		for _, tp := range m.all {
			if after[tp] != m.before[tp] {
				m.cost.Moves++
			}
		}
		for _, tp := range m.all {
			if after[tp] == "" {
				m.cost.Unowned++
			}
		}
		m.done = true
	}
	return m.cost
}

func (m *Meter) advance(to time.Duration) {
	if to <= m.at {
		return
	}
	n := 0
	for _, tp := range m.all {
		if m.ownerOf(tp) == "" {
			n++
		}
	}
	m.cost.UnownedPartitionS += float64(n) * (to - m.at).Seconds()
	m.at = to
}

// ownerOf is the consumer owning tp ("" if none; the first by name if two
// claim it, which only a lost partition not yet noticed allows).
func (m *Meter) ownerOf(tp string) string {
	best := ""
	for node, ps := range m.owned {
		if ps[tp] && (best == "" || node < best) {
			best = node
		}
	}
	return best
}

func (m *Meter) owners() map[string]string {
	out := map[string]string{}
	for _, tp := range m.all {
		out[tp] = m.ownerOf(tp)
	}
	return out
}

func isOwnershipEvent(e *view.Event, group string) bool {
	switch e.Kind {
	case "partitions_assigned", "partitions_revoked", "partitions_lost", "consumer_crashed", "consumer_closed":
		return e.Data["group"] == group
	}
	return false
}
