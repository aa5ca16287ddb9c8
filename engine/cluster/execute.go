package cluster

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/controller"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// OpHandler executes a registered op.
type OpHandler func(c *Cluster, cmd scenario.Command)

var opHandlers = map[string]OpHandler{}

// RegisterOp adds the handler of an op declared with scenario.RegisterOp;
// files of this package call it from init, one file per concern.
func RegisterOp(op string, h OpHandler) { opHandlers[op] = h }

// Fail records that a command could not run, with the reason.
func (c *Cluster) Fail(cmd scenario.Command, err error) { c.fail(cmd, err) }

func (c *Cluster) fail(cmd scenario.Command, err error) {
	c.Trace.Emit(trace.Event{Kind: "command_failed", Msg: fmt.Sprintf("%s: %v", cmd.Op, err), Data: map[string]any{"op": cmd.Op}})
}

// execute runs one command at the current virtual time.
func (c *Cluster) execute(cmd scenario.Command) {
	if err := c.state.Check(cmd); err != nil {
		c.fail(cmd, err)
		return
	}
	c.state.Note(cmd)
	if h := opHandlers[cmd.Op]; h != nil {
		h(c, cmd)
		return
	}
	switch cmd.Op {
	case "create_topic":
		t := proto.CreatableTopic{Name: cmd.Topic, NumPartitions: -1, ReplicationFactor: -1, Configs: cmd.Configs}
		if cmd.Partitions != nil {
			t.NumPartitions = int32(*cmd.Partitions)
		}
		if cmd.ReplicationFactor != nil {
			t.ReplicationFactor = int16(*cmd.ReplicationFactor)
		}
		c.Admin.CreateTopic(t)
	case "producer_start":
		cfg, err := config.Parse(config.Producer, cmd.Configs)
		if err == nil {
			var p *client.Producer
			p, err = client.NewProducer(client.ProducerOptions{Name: cmd.Producer, Config: cfg, Bootstrap: c.bootstrap, EpochMs: EpochMs, KeepRecords: c.KeepRecords}, c.Sim, c.Net, c.Trace)
			if err == nil {
				c.Producers[cmd.Producer] = p
			}
		}
		if err != nil {
			c.fail(cmd, err)
		}
	case "produce":
		c.produce(cmd)
	case "producer_flush":
		c.Producers[cmd.Producer].Flush()
	case "producer_close":
		c.Producers[cmd.Producer].Close()
	case "consumer_start":
		cfg, err := config.Parse(config.Consumer, cmd.Configs)
		if err != nil {
			c.fail(cmd, err)
			return
		}
		c.Consumers[cmd.Consumer] = client.NewConsumer(client.ConsumerOptions{Name: cmd.Consumer, Config: cfg, Bootstrap: c.bootstrap, Topics: cmd.Topics, KeepRecords: c.KeepRecords}, c.Sim, c.Net, c.Trace)
	case "consumer_close":
		c.Consumers[cmd.Consumer].Close()
	case "broker_crash":
		c.crashBroker(*cmd.Broker, cmd.Mode == "power")
	case "broker_restart":
		c.restartBroker(*cmd.Broker)
	case "broker_pause":
		c.Broker(*cmd.Broker).Pause()
	case "broker_resume":
		c.Broker(*cmd.Broker).Resume()
	case "preferred_election":
		if v := c.ActiveController(); v != nil {
			v.ElectPreferred(cmd.Topic)
		} else {
			c.fail(cmd, fmt.Errorf("no active controller: the quorum has no leader"))
		}
	case "controller_crash":
		v := c.ActiveController()
		if cmd.Controller != nil {
			v = c.Controller(*cmd.Controller)
		}
		if v == nil {
			c.fail(cmd, fmt.Errorf("no active controller to crash"))
			return
		}
		v.Crash()
	case "controller_restart":
		for _, v := range c.Controllers {
			if v.Down() && (cmd.Controller == nil || int(v.ID) == *cmd.Controller) {
				v.Restart()
				return
			}
		}
	case "network_partition":
		c.partition(cmd)
	case "link_fault":
		from, to := sim.NodeID(cmd.From), sim.NodeID(cmd.To)
		if cmd.Delay != nil {
			c.Net.SetLinkDelay(from, to, time.Duration(*cmd.Delay))
		}
		if cmd.Drop != nil {
			c.Net.SetDropRate(from, to, *cmd.Drop)
		}
		c.Trace.Emit(trace.Event{Kind: "link_fault", Msg: fmt.Sprintf("link %s ↔ %s degraded", from, to), Data: map[string]any{"from": cmd.From, "to": cmd.To}})
	case "heal":
		c.Net.Heal()
		c.Trace.Emit(trace.Event{Kind: "network_healed", Msg: "every network partition and link fault is healed"})
	case "note":
		c.Trace.Emit(trace.Event{Kind: "note", Msg: cmd.Note})
	case "end":
		c.Trace.Emit(trace.Event{Kind: "scenario_end", Msg: "the scenario reached its end"})
	}
}

// crashBroker kills broker id's process (or cuts its power), and the
// controller that shares its process in combined mode.
func (c *Cluster) crashBroker(id int, powerLoss bool) {
	c.Broker(id).Crash(powerLoss)
	if v := c.combined(id); v != nil {
		v.Crash()
	}
}

// restartBroker starts broker id again (and its combined controller).
func (c *Cluster) restartBroker(id int) {
	c.Broker(id).Restart()
	if v := c.combined(id); v != nil {
		v.Restart()
	}
}

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
	names := make([][]string, len(groups))
	for i, g := range groups {
		for _, n := range g {
			names[i] = append(names[i], string(n))
		}
	}
	c.Trace.Emit(trace.Event{Kind: "network_partitioned", Msg: fmt.Sprintf("the network is split into %v", names), Data: map[string]any{"groups": names}})
}

func (c *Cluster) nodes(names []string) []sim.NodeID {
	out := make([]sim.NodeID, 0, len(names))
	for _, n := range names {
		if id, err := strconv.Atoi(n); err == nil && strconv.Itoa(id) == n {
			n = string(broker.NodeName(int32(id)))
		}
		out = append(out, sim.NodeID(n))
		// A combined-mode controller shares its broker's host and network.
		if id, err := strconv.Atoi(strings.TrimPrefix(n, "broker-")); err == nil && "broker-"+strconv.Itoa(id) == n {
			if v := c.combined(id); v != nil {
				out = append(out, controller.NodeName(v.ID))
			}
		}
	}
	return out
}

// combined returns the controller running inside broker id in combined mode.
func (c *Cluster) combined(id int) *controller.Controller {
	if c.Scenario.Cluster.ControllerMode != "combined" {
		return nil
	}
	return c.Controller(id)
}
