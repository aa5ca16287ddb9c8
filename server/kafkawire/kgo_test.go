package kafkawire

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/twmb/franz-go/pkg/kgo"
)

// start runs a server of scenario js (DefaultScenario when empty) on free
// loopback ports, journaling into the returned buffer.
func start(t *testing.T, js string) (*Server, *Engine, *syncBuffer) {
	t.Helper()
	return startAt(t, js, 1)
}

// startAt is start with the virtual clock running speed times the wall
// clock (tests that wait out broker.session.timeout.ms).
func startAt(t *testing.T, js string, speed float64) (*Server, *Engine, *syncBuffer) {
	t.Helper()
	if js == "" {
		js = DefaultScenario
	}
	sc, err := scenario.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(sc, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	e.SetSpeed(speed)
	journal := &syncBuffer{}
	if err := e.Record(journal, []byte(js)); err != nil {
		t.Fatal(err)
	}
	s, err := Listen(e, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Serve()
	t.Cleanup(s.Close)
	return s, e, journal
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.b.Bytes()...)
}

func client(t *testing.T, s *Server, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	// A short metadata min age: after a crash the client looks for the
	// new leader at once instead of kgo's default 5 s of wall time.
	opts = append([]kgo.Opt{kgo.SeedBrokers(s.Addrs()[0]), kgo.ClientID("test"), kgo.MetadataMinAge(200 * time.Millisecond)}, opts...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

// consume polls until n records came or the context ends.
func consume(t *testing.T, cl *kgo.Client, n int) []*kgo.Record {
	t.Helper()
	c := ctx(t)
	var out []*kgo.Record
	for len(out) < n {
		fs := cl.PollFetches(c)
		if c.Err() != nil {
			t.Fatalf("consumed %d of %d records before the deadline", len(out), n)
		}
		fs.EachError(func(topic string, p int32, err error) { t.Logf("fetch error %s-%d: %v", topic, p, err) })
		out = append(out, fs.Records()...)
	}
	return out
}

// logEnd is the end offset of a partition's log on its leader, from the
// engine's own state.
func logEnd(e *Engine, topic string, partition int32) (end int64) {
	e.Locked(func(c *cluster.Cluster) {
		for _, b := range c.Brokers {
			for _, r := range b.Replicas() {
				if r.TP.Topic == topic && r.TP.Partition == partition && r.IsLeader {
					end = r.LEO()
				}
			}
		}
	})
	return end
}

func TestProduceConsume(t *testing.T) {
	s, e, _ := start(t, "")
	for _, acks := range []struct {
		name string
		opt  []kgo.Opt
	}{
		{"acks=all idempotent", nil},
		{"acks=1", []kgo.Opt{kgo.RequiredAcks(kgo.LeaderAck()), kgo.DisableIdempotentWrite()}},
		{"acks=0", []kgo.Opt{kgo.RequiredAcks(kgo.NoAck()), kgo.DisableIdempotentWrite()}},
	} {
		topic := "acks-" + strings.Fields(acks.name)[0][5:]
		p := client(t, s, append([]kgo.Opt{kgo.DefaultProduceTopic(topic), kgo.AllowAutoTopicCreation(), kgo.ProducerBatchCompression(kgo.NoCompression())}, acks.opt...)...)
		for i := 0; i < 10; i++ {
			if err := p.ProduceSync(ctx(t), &kgo.Record{Key: []byte(fmt.Sprint(i)), Value: []byte(fmt.Sprintf("v%d", i))}).FirstErr(); err != nil {
				t.Fatalf("%s: produce %d: %v", acks.name, i, err)
			}
		}
		cons := client(t, s, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
		recs := consume(t, cons, 10)
		for i, r := range recs {
			if string(r.Value) != fmt.Sprintf("v%d", i) || r.Offset != int64(i) {
				t.Fatalf("%s: record %d is %q at offset %d", acks.name, i, r.Value, r.Offset)
			}
		}
		if end := logEnd(e, topic, 0); end != 10 {
			t.Fatalf("%s: the leader's log ends at %d, want 10", acks.name, end)
		}
		// The snapshot's outside connections count what the clients did:
		// acks=0 learns of no acknowledgement.
		var produced, fetched, requests int64
		e.Locked(func(c *cluster.Cluster) {
			for _, o := range c.Snapshot(cluster.SnapshotOptions{}).Outside {
				produced += o.Produced[topic+"-0"]
				fetched += o.Fetched[topic+"-0"]
				requests += o.Requests["Produce"]
			}
		})
		if want := int64(10); acks.name == "acks=0" {
			want = 0
			if produced != want || fetched < 10 || requests < 10 {
				t.Fatalf("%s: outside clients produced %d (acknowledged), fetched %d, sent %d Produce requests", acks.name, produced, fetched, requests)
			}
		} else if produced < 10 || fetched < 10 {
			t.Fatalf("%s: outside clients produced %d, fetched %d of %s-0, want at least 10 each", acks.name, produced, fetched, topic)
		}
	}
}
