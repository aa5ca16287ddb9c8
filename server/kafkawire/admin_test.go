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

// TestDeleteTopics: DeleteTopics by name and by id goes through the broker
// to the controller; the engine's topic is gone from its snapshot and from
// Metadata; an unknown name or id gets Kafka's error.
func TestDeleteTopics(t *testing.T) {
	s, e, _ := start(t, "")
	cl := client(t, s)
	createTopic(t, cl, "doomed", 2, 3, nil)
	createTopic(t, cl, "byid", 1, 3, nil)
	req := kmsg.NewPtrDeleteTopicsRequest()
	req.TimeoutMillis = 30000
	for _, name := range []string{"doomed", "nope"} {
		rt := kmsg.NewDeleteTopicsRequestTopic()
		rt.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, rt)
	}
	for _, id := range [][16]byte{topicID("byid"), topicID("never")} {
		rt := kmsg.NewDeleteTopicsRequestTopic()
		rt.TopicID = id
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx(t), cl)
	if err != nil {
		t.Fatalf("DeleteTopics: %v", err)
	}
	got := map[string]int16{}
	for _, rt := range resp.Topics {
		name := "id:" + string(rt.TopicID[:2])
		if rt.Topic != nil {
			name = *rt.Topic
		}
		got[name] = rt.ErrorCode
	}
	never := topicID("never")
	want := map[string]int16{"doomed": 0, "byid": 0, "nope": 3, "id:" + string(never[:2]): 100}
	if len(got) != len(want) {
		t.Fatalf("DeleteTopics answers %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("DeleteTopics answers %v, want %v", got, want)
		}
	}
	waitFor(t, e, "doomed and byid gone", func(c *cluster.Cluster) bool {
		for _, tp := range c.Snapshot(cluster.SnapshotOptions{}).Topics {
			if tp.Name == "doomed" || tp.Name == "byid" {
				return false
			}
		}
		return true
	})
	meta := kmsg.NewPtrMetadataRequest()
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = kmsg.StringPtr("doomed")
	meta.Topics = append(meta.Topics, mt)
	meta.AllowAutoTopicCreation = false
	mr, err := meta.RequestWith(ctx(t), cl)
	if err != nil || len(mr.Topics) != 1 || mr.Topics[0].ErrorCode != 3 {
		t.Fatalf("Metadata after DeleteTopics: %v %+v", err, mr)
	}
}
