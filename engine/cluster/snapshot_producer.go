package cluster

import "github.com/brokerlab/brokerlab/engine/view"

// producerPart gives each producer its Kafka-named metrics and its inside:
// accumulator queues, in-flight requests and sequence numbers.
func producerPart(c *Cluster, s *view.Snapshot, _ SnapshotOptions) {
	for i := range s.Producers {
		p := c.Producers[s.Producers[i].Name]
		if p == nil {
			continue
		}
		s.Producers[i].Metrics = p.Metrics()
		st := p.State()
		s.Producers[i].State = &st
	}
}
