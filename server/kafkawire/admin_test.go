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

// TestDescribeConfigs: a topic's own setting, one inherited from the
// broker's defaults and the broker's own settings, with their sources.
func TestDescribeConfigs(t *testing.T) {
	s, _, _ := start(t, "")
	cl := client(t, s)
	createTopic(t, cl, "configured", 1, 3, map[string]string{"retention.ms": "60000"})
	req := kmsg.NewPtrDescribeConfigsRequest()
	topic := kmsg.NewDescribeConfigsRequestResource()
	topic.ResourceType, topic.ResourceName, topic.ConfigNames = kmsg.ConfigResourceTypeTopic, "configured", []string{"retention.ms", "cleanup.policy"}
	req.Resources = append(req.Resources, topic)
	resp, err := req.RequestWith(ctx(t), cl)
	if err != nil || len(resp.Resources) != 1 || resp.Resources[0].ErrorCode != 0 {
		t.Fatalf("DescribeConfigs: %v %+v", err, resp)
	}
	got := map[string]string{}
	for _, c := range resp.Resources[0].Configs {
		got[c.Name] = *c.Value + " " + c.Source.String()
	}
	if got["retention.ms"] != "60000 DYNAMIC_TOPIC_CONFIG" || got["cleanup.policy"] != "delete DEFAULT_CONFIG" || len(got) != 2 {
		t.Fatalf("topic configs: %v", got)
	}

	req = kmsg.NewPtrDescribeConfigsRequest()
	broker := kmsg.NewDescribeConfigsRequestResource()
	broker.ResourceType, broker.ResourceName, broker.ConfigNames = kmsg.ConfigResourceTypeBroker, "1", []string{"auto.create.topics.enable", "num.partitions"}
	req.Resources = append(req.Resources, broker)
	resp, err = req.RequestWith(ctx(t), cl)
	if err != nil || len(resp.Resources) != 1 || resp.Resources[0].ErrorCode != 0 {
		t.Fatalf("DescribeConfigs of broker 1: %v %+v", err, resp)
	}
	got = map[string]string{}
	for _, c := range resp.Resources[0].Configs {
		got[c.Name] = *c.Value + " " + c.Source.String()
	}
	if got["auto.create.topics.enable"] != "true STATIC_BROKER_CONFIG" || got["num.partitions"] != "1 DEFAULT_CONFIG" {
		t.Fatalf("broker configs: %v", got)
	}
}
