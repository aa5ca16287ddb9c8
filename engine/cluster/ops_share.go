package cluster

import (
	"fmt"
	"strconv"

	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// Share-group ops (KIP-932): share_consumer_start, and consumer_close /
// consumer_crash for share consumers.

// shareConsumerStart starts a share consumer. share.auto.offset.reset in
// its configs is a group config: it is set on the group (on every broker)
// before the consumer starts.
func (c *Cluster) shareConsumerStart(cmd scenario.Command) {
	configs := map[string]string{}
	for k, v := range cmd.Configs {
		if k == "share.auto.offset.reset" {
			for _, b := range c.Brokers {
				b.SetGroupConfig(cmd.Group, k, v)
			}
			continue
		}
		configs[k] = v
	}
	if cmd.MaxRecords != nil {
		configs["max.poll.records"] = strconv.Itoa(*cmd.MaxRecords)
	}
	cfg, err := config.Parse(config.Consumer, configs)
	if err != nil {
		c.startRefused(cmd, err)
		return
	}
	a := cmd.GroupArgs()
	prev := c.ShareConsumers[cmd.Consumer]
	if prev != nil && !prev.Stopped() {
		prev.Crash()
	}
	o := client.ShareConsumerOptions{Name: cmd.Consumer, Config: cfg, Bootstrap: c.bootstrap, Group: cmd.Group, Topics: cmd.Topics,
		Process: a.Process, Poison: cmd.Poison, OnPoison: cmd.OnPoison, Renew: cmd.Renew, Previous: prev, KeepRecords: c.KeepRecords}
	sc, err := client.StartShareConsumer(o, c.Sim, c.Net, c.Trace)
	if err != nil {
		c.startRefused(cmd, err)
		return
	}
	c.ShareConsumers[cmd.Consumer] = sc
}

// stopShareConsumer closes or crashes the share consumer of cmd, if it is
// one, and reports whether it was.
func (c *Cluster) stopShareConsumer(cmd scenario.Command, crash bool) bool {
	sc := c.ShareConsumers[cmd.Consumer]
	if sc == nil || sc.Stopped() {
		return false
	}
	if cmd.Op == "consumer_crash" && cmd.Mode != "" && cmd.Mode != "now" {
		c.fail(cmd, fmt.Errorf("a share consumer crashes now (mode %q is for consumer groups): crash it while it processes to leave its records locked", cmd.Mode))
		return true
	}
	if crash {
		sc.Crash()
	} else {
		sc.Close()
	}
	return true
}

// refuseShareConsumer fails cmd when it names a running share consumer
// (ops of consumer groups that share consumers do not have).
func (c *Cluster) refuseShareConsumer(cmd scenario.Command, why string) bool {
	if sc := c.ShareConsumers[cmd.Consumer]; sc != nil && !sc.Stopped() {
		c.fail(cmd, fmt.Errorf("%s", why))
		return true
	}
	return false
}
