package kafkawire

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// createTopic creates a topic through the listener with kgo's raw request.
func createTopic(t *testing.T, cl *kgo.Client, name string, partitions int32, rf int16, configs map[string]string) {
	t.Helper()
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = 30000
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = name, partitions, rf
	for k, v := range configs {
		c := kmsg.NewCreateTopicsRequestTopicConfig()
		c.Name, c.Value = k, kmsg.StringPtr(v)
		rt.Configs = append(rt.Configs, c)
	}
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx(t), cl)
	if err != nil {
		t.Fatalf("create topic %s: %v", name, err)
	}
	if code := resp.Topics[0].ErrorCode; code != 0 {
		t.Fatalf("create topic %s: error code %d: %v", name, code, resp.Topics[0].ErrorMessage)
	}
}

// waitFor polls the engine until cond holds (the deadline only guards a hang).
func waitFor(t *testing.T, e *Engine, what string, cond func(c *cluster.Cluster) bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ok := false
		e.Locked(func(c *cluster.Cluster) { ok = cond(c) })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never saw: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func produceN(t *testing.T, cl *kgo.Client, topic string, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if err := cl.ProduceSync(ctx(t), &kgo.Record{Topic: topic, Key: []byte(fmt.Sprint(i)), Value: []byte(fmt.Sprint(i))}).FirstErr(); err != nil {
			t.Fatalf("produce %d: %v", i, err)
		}
	}
}

// TestGroupOfTwoRebalances: a second member joins a group of one; the
// coordinator (in the engine) splits the partitions between them, and
// together they read every record.
func TestGroupOfTwoRebalances(t *testing.T) {
	s, e, _ := start(t, "")
	p := client(t, s, kgo.ProducerBatchCompression(kgo.NoCompression()))
	createTopic(t, p, "orders", 4, 3, nil)
	produceN(t, p, "orders", 0, 40)

	opts := []kgo.Opt{kgo.ConsumerGroup("g"), kgo.ConsumeTopics("orders"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.Balancers(kgo.RangeBalancer()), kgo.AutoCommitInterval(100 * time.Millisecond)}
	a := client(t, s, append(opts, kgo.ClientID("a"))...)
	got := len(consume(t, a, 40))
	waitFor(t, e, "member a owns all 4 partitions", func(c *cluster.Cluster) bool {
		g := group(c, "g")
		return g != nil && g.State == "Stable" && len(g.Members) == 1 && len(g.Members[0].Assignment) == 4
	})

	b := client(t, s, append(opts, kgo.ClientID("b"))...)
	go func() { // a keeps polling, so it rejoins when the group rebalances
		for !a.PollFetches(ctx(t)).IsClientClosed() {
		}
	}()
	go func() {
		for !b.PollFetches(ctx(t)).IsClientClosed() {
		}
	}()
	waitFor(t, e, "two members with two partitions each", func(c *cluster.Cluster) bool {
		g := group(c, "g")
		if g == nil || g.State != "Stable" || len(g.Members) != 2 {
			return false
		}
		var all []string
		for _, m := range g.Members {
			if len(m.Assignment) != 2 {
				return false
			}
			all = append(all, m.Assignment...)
		}
		sort.Strings(all)
		return fmt.Sprint(all) == "[orders-0 orders-1 orders-2 orders-3]"
	})
	if got != 40 {
		t.Fatalf("member a read %d records, want 40", got)
	}
	waitFor(t, e, "the group committed every partition's end", func(c *cluster.Cluster) bool {
		g := group(c, "g")
		return g != nil && g.TotalLag == 0 && len(g.Partitions) == 4
	})

	// What an admin client sees: ListGroups from every broker,
	// DescribeGroups from the coordinator.
	list, err := kmsg.NewPtrListGroupsRequest().RequestWith(ctx(t), p)
	if err != nil || len(list.Groups) != 1 || list.Groups[0].Group != "g" || list.Groups[0].GroupState != "Stable" {
		t.Fatalf("ListGroups: %v %+v", err, list)
	}
	dreq := kmsg.NewPtrDescribeGroupsRequest()
	dreq.Groups = []string{"g"}
	desc, err := dreq.RequestWith(ctx(t), p)
	if err != nil || len(desc.Groups) != 1 || desc.Groups[0].ErrorCode != 0 || len(desc.Groups[0].Members) != 2 || desc.Groups[0].Protocol != "range" {
		t.Fatalf("DescribeGroups: %v %+v", err, desc)
	}
	var assigned []string
	for _, m := range desc.Groups[0].Members {
		var a kmsg.ConsumerMemberAssignment
		if err := a.ReadFrom(m.MemberAssignment); err != nil {
			t.Fatal(err)
		}
		for _, tp := range a.Topics {
			for _, p := range tp.Partitions {
				assigned = append(assigned, fmt.Sprintf("%s-%d", tp.Topic, p))
			}
		}
	}
	sort.Strings(assigned)
	if fmt.Sprint(assigned) != "[orders-0 orders-1 orders-2 orders-3]" {
		t.Fatalf("DescribeGroups assignments: %v", assigned)
	}
}

func group(c *cluster.Cluster, id string) *viewGroup {
	for _, g := range c.Snapshot(cluster.SnapshotOptions{}).Groups {
		if g.GroupID == id {
			return &g
		}
	}
	return nil
}

type viewGroup = view.GroupSnapshot

func tp(topic string, partition int32) names.TopicPartition {
	return names.TopicPartition{Topic: topic, Partition: partition}
}

// TestConsumerProtocolGroup: two kgo members with the KIP-848 protocol
// (ConsumerGroupHeartbeat); the engine's coordinator assigns the
// partitions and the members read every record between them.
func TestConsumerProtocolGroup(t *testing.T) {
	s, e, _ := start(t, "")
	p := client(t, s, kgo.ProducerBatchCompression(kgo.NoCompression()))
	createTopic(t, p, "kip848", 4, 3, nil)
	produceN(t, p, "kip848", 0, 40)
	opts := []kgo.Opt{kgo.ConsumerGroup("g848"), kgo.ConsumeTopics("kip848"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.Balancers(kgo.RangeBalancer()), kgo.ServerSideBalancer()}
	a := client(t, s, append(opts, kgo.ClientID("a"))...)
	read := len(consume(t, a, 40))
	b := client(t, s, append(opts, kgo.ClientID("b"))...)
	for _, cl := range []*kgo.Client{a, b} {
		go func() {
			for !cl.PollFetches(ctx(t)).IsClientClosed() {
			}
		}()
	}
	waitFor(t, e, "a consumer-protocol group of two members with two partitions each", func(c *cluster.Cluster) bool {
		g := group(c, "g848")
		if g == nil || g.GroupProtocol != "consumer" || len(g.Members) != 2 || g.State != "Stable" {
			return false
		}
		for _, m := range g.Members {
			if len(m.Assignment) != 2 {
				return false
			}
		}
		return true
	})
	if read != 40 {
		t.Fatalf("member a read %d records, want 40", read)
	}
}
