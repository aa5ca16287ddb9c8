package cluster

import (
	"bytes"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/rebalance"
	"github.com/brokerlab/brokerlab/engine/view"
)

// RebalanceCost is what one rebalance trigger cost a consumer group
// (rebalance.Cost: the measure lives there so lessons can use it too).
type RebalanceCost = rebalance.Cost

// RebalanceMeter measures a RebalanceCost as events happen (rebalance.Meter).
type RebalanceMeter = rebalance.Meter

// NewRebalanceMeter measures group over [from, until] (rebalance.NewMeter).
func NewRebalanceMeter(group string, topics map[string]int32, from, until time.Duration) *RebalanceMeter {
	return rebalance.NewMeter(group, topics, from, until)
}

// MeasureRebalance measures group over [from, until] from the events the
// trace still keeps (Truncated says when it discarded some: attach a
// RebalanceMeter before the run instead).
func (c *Cluster) MeasureRebalance(group string, topics map[string]int32, from, until time.Duration) RebalanceCost {
	m := NewRebalanceMeter(group, topics, from, until)
	evs, truncated := c.Trace.Since(0, 0)
	for i := range evs {
		m.Observe(&evs[i])
	}
	r := m.Result()
	r.Truncated = truncated
	return r
}

// WatchRebalance attaches a RebalanceMeter to the cluster's trace before a
// run: it sees every ownership event as it is emitted, none discarded by
// the trace's bounded window (MeasureRebalance reads only what is kept).
func (c *Cluster) WatchRebalance(group string, topics map[string]int32, from, until time.Duration) *RebalanceMeter {
	m := NewRebalanceMeter(group, topics, from, until)
	c.Trace.SetSink(func(line []byte) {
		if !bytes.Contains(line, []byte(`"kind":"partitions_`)) && !bytes.Contains(line, []byte(`"kind":"consumer_c`)) {
			return
		}
		var e view.Event
		if jsonwire.Unmarshal(line, &e) == nil {
			m.Observe(&e)
		}
	})
	return m
}
