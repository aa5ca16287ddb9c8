package kafkawire

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestCreatePartitions: CreatePartitions goes through the broker to the
// controller; the engine's topic grows and Metadata says so.
func TestCreatePartitions(t *testing.T) {
	s, e, _ := start(t, "")
	cl := client(t, s)
	createTopic(t, cl, "grow", 1, 2, nil)
	req := kmsg.NewPtrCreatePartitionsRequest()
	req.TimeoutMillis = 30000
	rt := kmsg.NewCreatePartitionsRequestTopic()
	rt.Topic, rt.Count = "grow", 3
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx(t), cl)
	if err != nil || len(resp.Topics) != 1 || resp.Topics[0].ErrorCode != 0 {
		t.Fatalf("CreatePartitions: %v %+v", err, resp)
	}
	waitFor(t, e, "topic grow with 3 partitions", func(c *cluster.Cluster) bool {
		for _, tp := range c.Snapshot(cluster.SnapshotOptions{}).Topics {
			if tp.Name == "grow" {
				return tp.Partitions == 3
			}
		}
		return false
	})
	meta := kmsg.NewPtrMetadataRequest()
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = kmsg.StringPtr("grow")
	meta.Topics = append(meta.Topics, mt)
	mr, err := meta.RequestWith(ctx(t), cl)
	if err != nil || len(mr.Topics) != 1 || len(mr.Topics[0].Partitions) != 3 {
		t.Fatalf("Metadata after CreatePartitions: %v %+v", err, mr)
	}
}
