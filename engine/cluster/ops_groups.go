package cluster

import (
	"fmt"
	"strconv"

	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// Consumer and consumer-group ops: consumer_start, consumer_close,
// consumer_crash, commit, subscribe and add_partitions.

func (c *Cluster) consumerClose(cmd scenario.Command) {
	if c.stopShareConsumer(cmd, cmd.Mode == "crash") {
		return
	}
	cs := c.Consumers[cmd.Consumer]
	if cmd.Mode == "crash" {
		if err := cs.Crash("now"); err != nil {
			c.fail(cmd, err)
		}
		return
	}
	cs.Close()
}

func (c *Cluster) consumerCrash(cmd scenario.Command) {
	if c.stopShareConsumer(cmd, true) {
		return
	}
	if err := c.Consumers[cmd.Consumer].Crash(cmd.Mode); err != nil {
		c.fail(cmd, err)
	}
}

func (c *Cluster) commit(cmd scenario.Command) {
	if c.refuseShareConsumer(cmd, "a share consumer commits no offsets: it acknowledges records (share.acknowledgement.mode)") {
		return
	}
	if err := c.Consumers[cmd.Consumer].CommitNow(cmd.GroupArgs().Commit != "async"); err != nil {
		c.fail(cmd, err)
	}
}

func (c *Cluster) subscribe(cmd scenario.Command) {
	if c.refuseShareConsumer(cmd, "changing a share consumer's subscription is not modelled: start it again with other topics") {
		return
	}
	if err := c.Consumers[cmd.Consumer].Subscribe(cmd.Topics); err != nil {
		c.fail(cmd, err)
	}
}

func (c *Cluster) addPartitions(cmd scenario.Command) {
	v := c.ActiveController()
	if v == nil {
		c.fail(cmd, fmt.Errorf("no active controller: the quorum has no leader"))
		return
	}
	// Simplified: the op calls the active controller directly (Kafka's
	// admin client sends CreatePartitions to a broker, which forwards it).
	resp := v.CreatePartitions(proto.CreatePartitionsRequest{Topics: []proto.CreatePartitionsTopic{{Name: cmd.Topic, Count: int32(*cmd.Partitions)}}, TimeoutMs: 30000})
	for _, r := range resp.Results {
		if r.ErrorCode != proto.None {
			c.Trace.Emit(trace.Event{Kind: "admin_error", Node: "admin", Topic: r.Name,
				Msg: fmt.Sprintf("add partitions to %s failed with %s: %s", r.Name, r.ErrorCode, r.ErrorMessage), Data: map[string]any{"error": r.ErrorCode.String()}})
		}
	}
}

// consumerStart starts a consumer; with a group it runs the application
// the command describes. A consumer that crashed or closed may start again
// under the same name: it is a new process with new member id.
func (c *Cluster) consumerStart(cmd scenario.Command) {
	a := cmd.GroupArgs()
	configs := map[string]string{}
	for k, v := range cmd.Configs {
		configs[k] = v
	}
	if a.Group != "" {
		configs["group.id"] = a.Group
	}
	if a.MaxRecords > 0 {
		configs["max.poll.records"] = strconv.Itoa(a.MaxRecords)
	}
	cfg, err := config.Parse(config.Consumer, configs)
	if err != nil {
		c.startRefused(cmd, err)
		return
	}
	prev := c.Consumers[cmd.Consumer]
	if prev != nil && !prev.Stopped() {
		// A crash armed for a later point had not happened yet: the new
		// process of the same name replaces the old one now.
		_ = prev.Crash("now")
	}
	o := client.ConsumerOptions{Name: cmd.Consumer, Config: cfg, Bootstrap: c.bootstrap, Topics: cmd.Topics,
		Process: a.Process, Commit: a.Commit, OnRevoked: a.OnRevoked, Output: a.Output, EpochMs: EpochMs, Previous: prev, KeepRecords: c.KeepRecords}
	cs, err := client.StartConsumer(o, c.Sim, c.Net, c.Trace)
	if err != nil {
		c.startRefused(cmd, err)
		return
	}
	c.Consumers[cmd.Consumer] = cs
}
