package cluster

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// Admin ops: create_topic and delete_topic through the admin client, preferred_election on
// the active controller (add_partitions is with the group ops).

func (c *Cluster) createTopic(cmd scenario.Command) {
	t := proto.CreatableTopic{Name: cmd.Topic, NumPartitions: -1, ReplicationFactor: -1, Configs: cmd.Configs}
	if cmd.Partitions != nil {
		t.NumPartitions = int32(*cmd.Partitions)
	}
	if cmd.ReplicationFactor != nil {
		t.ReplicationFactor = int16(*cmd.ReplicationFactor)
	}
	c.Admin.CreateTopic(t)
}

func (c *Cluster) deleteTopic(cmd scenario.Command) { c.Admin.DeleteTopic(cmd.Topic) }

func (c *Cluster) preferredElection(cmd scenario.Command) {
	if v := c.ActiveController(); v != nil {
		v.ElectPreferred(cmd.Topic)
	} else {
		c.fail(cmd, fmt.Errorf("no active controller: the quorum has no leader"))
	}
}

// updateFeatures finalizes a feature at a new level on the active
// controller (kafka-features.sh upgrade/downgrade --feature name=level).
func (c *Cluster) updateFeatures(cmd scenario.Command) {
	v := c.ActiveController()
	if v == nil {
		c.fail(cmd, fmt.Errorf("no active controller: the quorum has no leader"))
		return
	}
	if err := v.UpdateFeature(cmd.Feature, int16(*cmd.Level)); err != nil {
		c.fail(cmd, err)
	}
}
