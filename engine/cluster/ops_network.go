package cluster

import (
	"fmt"
	"strconv"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// Network ops: network_partition, link_fault and heal.

// partition applies network_partition: explicit groups, or isolating nodes
// from everyone else. Node names are "broker-N", "controller-1",
// "producer-NAME", "consumer-NAME" or just "N" for broker N.
func (c *Cluster) partition(cmd scenario.Command) {
	groups := make([][]sim.NodeID, 0, len(cmd.Groups)+2)
	for _, g := range cmd.Groups {
		groups = append(groups, c.nodes(g))
	}
	if len(cmd.Isolate) > 0 {
		iso := c.nodes(cmd.Isolate)
		in := map[sim.NodeID]bool{}
		for _, n := range iso {
			in[n] = true
		}
		var rest []sim.NodeID
		for _, n := range c.Net.Nodes() {
			if !in[n] {
				rest = append(rest, n)
			}
		}
		groups = append(groups, iso, rest)
	}
	c.Net.Partition(groups)
	groupNames := make([][]string, len(groups))
	for i, g := range groups {
		for _, n := range g {
			groupNames[i] = append(groupNames[i], string(n))
		}
	}
	c.Trace.Emit(trace.Event{Kind: "network_partitioned", Msg: fmt.Sprintf("the network is split into %v", groupNames), Data: map[string]any{"groups": groupNames}})
}

func (c *Cluster) nodes(list []string) []sim.NodeID {
	out := make([]sim.NodeID, 0, len(list))
	for _, n := range list {
		if id, err := strconv.Atoi(n); err == nil && strconv.Itoa(id) == n {
			n = string(names.Broker(int32(id)))
		}
		out = append(out, sim.NodeID(n))
		// A combined-mode controller shares its broker's host and network.
		if id, ok := names.BrokerID(n); ok {
			if v := c.combined(id); v != nil {
				out = append(out, names.Controller(v.ID))
			}
		}
	}
	return out
}

// linkFault applies link_fault: a delay and/or a drop rate on the link
// between two nodes, both ways.
func (c *Cluster) linkFault(cmd scenario.Command) {
	from, to := sim.NodeID(cmd.From), sim.NodeID(cmd.To)
	if cmd.Delay != nil {
		c.Net.SetLinkDelay(from, to, time.Duration(*cmd.Delay))
	}
	if cmd.Drop != nil {
		c.Net.SetDropRate(from, to, *cmd.Drop)
	}
	c.Trace.Emit(trace.Event{Kind: "link_fault", Msg: fmt.Sprintf("link %s ↔ %s degraded", from, to), Data: map[string]any{"from": cmd.From, "to": cmd.To}})
}

// heal ends every network partition and link fault.
func (c *Cluster) heal(scenario.Command) {
	c.Net.Heal()
	c.Trace.Emit(trace.Event{Kind: "network_healed", Msg: "every network partition and link fault is healed"})
}
