package cluster

import (
	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// Producer ops: producer_start, producer_flush and producer_close (produce
// is in produce.go).

func (c *Cluster) producerStart(cmd scenario.Command) {
	cfg, err := config.Parse(config.Producer, cmd.Configs)
	if err == nil {
		var p *client.Producer
		p, err = client.NewProducer(client.ProducerOptions{Name: cmd.Producer, Config: cfg, Bootstrap: c.bootstrap, EpochMs: EpochMs, KeepRecords: c.KeepRecords}, c.Sim, c.Net, c.Trace)
		if err == nil {
			c.Producers[cmd.Producer] = p
		}
	}
	if err != nil {
		c.startRefused(cmd, err)
	}
}

func (c *Cluster) producerFlush(cmd scenario.Command) { c.Producers[cmd.Producer].Flush() }

func (c *Cluster) producerClose(cmd scenario.Command) { c.Producers[cmd.Producer].Close() }
