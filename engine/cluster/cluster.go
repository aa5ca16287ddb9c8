// Package cluster assembles a whole simulated Kafka deployment from a
// scenario — controller, brokers, clients, network, trace — executes the
// scenario's commands at their times (opExecutors in execute.go names each
// op's executor), and describes the observable state as a snapshot (its
// parts are listed in snapshot.go).
package cluster

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/controller"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// EpochMs is the wall-clock time (ms since 1970) at virtual time zero:
// 2026-01-01T00:00:00Z, so record timestamps look like real ones.
const EpochMs int64 = 1767225600000

// BootTime is how long before the scenario's time zero the cluster starts:
// brokers register, replay metadata and are unfenced by then.
const BootTime = 5 * time.Second

// DefaultOSWriteback is Linux's vm.dirty_expire_centisecs (30 s).
const DefaultOSWriteback = 30 * time.Second

// Cluster is a running simulation.
type Cluster struct {
	Sim      *sim.Sim
	Net      *sim.Network
	Trace    *trace.Trace
	Scenario *scenario.Scenario
	// Controllers are the KRaft voters (ids 1..n).
	Controllers []*controller.Controller
	Brokers     []*broker.Broker
	Admin       *client.Admin
	Producers   map[string]*client.Producer
	Consumers   map[string]*client.Consumer
	// ShareConsumers are the KIP-932 share consumers (ops_share.go).
	ShareConsumers map[string]*client.ShareConsumer
	// KeepRecords makes producers and consumers started from now on keep
	// every record they had acknowledged, read and processed
	// (Producer.AckedRecords, Latencies, Consumer.Records, History), for
	// checkers and tests. Off by default: a long run's memory must not grow
	// with what its clients send and read.
	KeepRecords bool
	state       *scenario.State
	external    *externals // outside connections and their log (external.go)
	store       log.Store
	brokerCfg   config.Values
	bootstrap   []int32
}

// New builds the cluster of s on store (nil: a fresh memory store) and
// schedules every step.
func New(s *scenario.Scenario, store log.Store) (*Cluster, error) {
	bcfg, err := config.Parse(config.Broker, s.Cluster.Configs)
	if err != nil {
		return nil, fmt.Errorf("cluster: %v", err)
	}
	if store == nil {
		store = log.NewMemStore()
	}
	c := &Cluster{store: store, Sim: sim.NewAt(s.Seed, -BootTime), Scenario: s, Producers: map[string]*client.Producer{},
		Consumers: map[string]*client.Consumer{}, ShareConsumers: map[string]*client.ShareConsumer{}, state: scenario.NewState(s.Cluster), brokerCfg: bcfg}
	c.Trace = trace.New(c.Sim.Now)
	ncfg := sim.DefaultNetworkConfig()
	if s.Cluster.Network.Latency > 0 {
		ncfg.Latency = time.Duration(s.Cluster.Network.Latency)
	}
	if s.Cluster.Network.Jitter > 0 {
		ncfg.Jitter = time.Duration(s.Cluster.Network.Jitter)
	}
	c.Net = sim.NewNetwork(c.Sim, ncfg)
	writeback := DefaultOSWriteback
	if s.Cluster.OSWriteback != nil {
		writeback = time.Duration(*s.Cluster.OSWriteback)
	}
	c.Trace.Emit(trace.Event{Kind: "cluster_started", Msg: fmt.Sprintf("a cluster of %d brokers and %d KRaft controller starts (seed %d)", s.Cluster.Brokers, s.Cluster.Controllers, s.Seed),
		Data: map[string]any{"brokers": s.Cluster.Brokers, "controllers": s.Cluster.Controllers, "seed": s.Seed}})
	var voters []int32
	var voterNodes []sim.NodeID
	for i := 1; i <= s.Cluster.Controllers; i++ {
		voters = append(voters, int32(i))
		voterNodes = append(voterNodes, names.Controller(int32(i)))
	}
	features := map[string]int16{}
	for k, v := range s.Cluster.Features {
		features[k] = int16(v)
	}
	for _, id := range voters {
		v := controller.New(id, voters, c.Sim, c.Net, c.Trace, bcfg)
		v.SetBootstrapFeatures(features)
		c.Controllers = append(c.Controllers, v)
	}
	for i := 1; i <= s.Cluster.Brokers; i++ {
		rack := ""
		if len(s.Cluster.Racks) > 0 {
			rack = s.Cluster.Racks[i-1]
		}
		b := broker.New(broker.Options{ID: int32(i), Rack: rack, Controllers: voterNodes, Config: bcfg,
			Store: store, EpochMs: EpochMs, OSWriteback: writeback}, c.Sim, c.Net, c.Trace)
		c.Brokers = append(c.Brokers, b)
		c.bootstrap = append(c.bootstrap, int32(i))
	}
	c.Admin = client.NewAdmin(c.Sim, c.Net, c.Trace, c.bootstrap)
	// Boot before time zero so the scenario starts on a ready cluster: the
	// voters elect a leader, brokers register and are unfenced.
	c.Sim.RunUntil(0)
	if !c.ready() {
		return nil, fmt.Errorf("cluster: the cluster did not finish booting within %v", BootTime)
	}
	for _, cmd := range s.Steps {
		cmd := cmd
		c.Sim.Schedule(*cmd.At, func() { c.execute(cmd) })
	}
	return c, nil
}

// Now is the virtual time.
func (c *Cluster) Now() time.Duration { return c.Sim.Now() }

// Broker returns broker id (1-based) or nil.
func (c *Cluster) Broker(id int) *broker.Broker {
	if id < 1 || id > len(c.Brokers) {
		return nil
	}
	return c.Brokers[id-1]
}

// Validate checks commands against the current state without running them;
// each command also sees the names declared by the ones before it.
func (c *Cluster) Validate(cmds []scenario.Command) error {
	st := c.state.Clone()
	for i, cmd := range cmds {
		if cmd.At != nil && *cmd.At < c.Now() {
			return fmt.Errorf("command %d: %s: at %v is in the past (now %v)", i+1, cmd.Op, *cmd.At, c.Now())
		}
		if err := st.Check(cmd); err != nil {
			return fmt.Errorf("command %d: %s: %v", i+1, cmd.Op, err)
		}
		if err := c.checkConfigs(cmd); err != nil {
			return fmt.Errorf("command %d: %s: %v", i+1, cmd.Op, err)
		}
		st.Note(cmd)
	}
	return nil
}

// Apply runs validated commands now (or at their "at" time).
func (c *Cluster) Apply(cmds []scenario.Command) {
	for _, cmd := range cmds {
		cmd := cmd
		if cmd.At == nil || *cmd.At <= c.Now() {
			c.execute(cmd)
		} else {
			c.Sim.Schedule(*cmd.At, func() { c.execute(cmd) })
		}
	}
}

func (c *Cluster) checkConfigs(cmd scenario.Command) error {
	var scope config.Scope
	switch cmd.Op {
	case "create_topic":
		scope = config.Topic
	case "producer_start":
		scope = config.Producer
	case "consumer_start":
		scope = config.Consumer
	default:
		return nil
	}
	_, err := config.Parse(scope, cmd.Configs)
	return err
}

// ready reports whether a controller leads and every broker is unfenced.
func (c *Cluster) ready() bool {
	if c.ActiveController() == nil {
		return false
	}
	for _, b := range c.Brokers {
		if b.Fenced() {
			return false
		}
	}
	return true
}

// ActiveController returns the voter that is leader in the highest epoch, or nil.
func (c *Cluster) ActiveController() *controller.Controller {
	var best *controller.Controller
	for _, v := range c.Controllers {
		if v.IsActive() && (best == nil || v.Epoch() > best.Epoch()) {
			best = v
		}
	}
	return best
}

// Controller returns voter id (1-based) or nil.
func (c *Cluster) Controller(id int) *controller.Controller {
	if id < 1 || id > len(c.Controllers) {
		return nil
	}
	return c.Controllers[id-1]
}

// metadataImage is the committed view of the most advanced voter, for snapshots.
func (c *Cluster) metadataImage() *controller.Controller {
	if a := c.ActiveController(); a != nil {
		return a
	}
	best := c.Controllers[0]
	for _, v := range c.Controllers {
		if v.HighWatermark() > best.HighWatermark() {
			best = v
		}
	}
	return best
}
