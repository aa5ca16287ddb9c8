package cluster

import (
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// storageSnapshot fills each live replica's storage view: the cleaner
// checkpoint and dirty ratio of compacted logs, and the broker's simulated
// read path (a model; see broker/readpath.go).
func storageSnapshot(c *Cluster, s *view.Snapshot, _ SnapshotOptions) {
	for i := range s.Partitions {
		p := &s.Partitions[i]
		for j := range p.Replicas {
			rs := &p.Replicas[j]
			if b := c.Broker(int(rs.Broker)); b != nil && !b.Down() {
				rs.Storage = b.StorageView(names.TopicPartition{Topic: p.Topic, Partition: p.Partition})
			}
		}
	}
}
