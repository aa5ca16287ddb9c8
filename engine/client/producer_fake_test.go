package client

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
	"github.com/brokerlab/brokerlab/engine/view"
)

// fakeCluster is a few scripted brokers on the simulated network, enough to
// drive one producer precisely: they answer Metadata for one topic "t",
// ApiVersions, InitProducerId, and Produce after a per-broker delay (or never).
type fakeCluster struct {
	s          *sim.Sim
	n          *sim.Network
	tr         *trace.Trace
	events     []view.Event
	partitions int
	leader     func(part int32) int32 // -1: no leader
	brokers    []*fakeBroker
	requests   []fakeRequest
	// answer decides a partition's reply; nil appends and acknowledges.
	answer func(b *fakeBroker, tp names.TopicPartition, bt *record.Batch) proto.ErrorCode
}

type fakeBroker struct {
	id     int32
	ep     *rpc.Endpoint
	delay  time.Duration // before a Produce answer
	silent bool          // never answer Produce
	logs   map[int32][]*record.Batch
	next   map[int32]int64
}

// fakeRequest is one Produce request a fake broker received.
type fakeRequest struct {
	at      time.Duration
	broker  int32
	batches map[int32]*record.Batch
	bytes   int
}

func newFakeCluster(t *testing.T, brokers, partitions int) *fakeCluster {
	t.Helper()
	s := sim.New(42)
	f := &fakeCluster{s: s, n: sim.NewNetwork(s, sim.NetworkConfig{Latency: time.Millisecond}), partitions: partitions}
	f.tr = trace.New(s.Now)
	f.tr.SetSink(func(line []byte) {
		var e view.Event
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		f.events = append(f.events, e)
	})
	f.leader = func(p int32) int32 { return p%int32(brokers) + 1 }
	for i := 1; i <= brokers; i++ {
		b := &fakeBroker{id: int32(i), ep: rpc.NewEndpoint(s, f.n, names.Broker(int32(i))), logs: map[int32][]*record.Batch{}, next: map[int32]int64{}}
		f.brokers = append(f.brokers, b)
		f.n.Register(b.ep.ID, func(from sim.NodeID, msg any) {
			if req, ok := b.ep.Deliver(from, msg); ok {
				f.handle(b, from, req)
			}
		})
	}
	return f
}

func (f *fakeCluster) handle(b *fakeBroker, from sim.NodeID, req proto.Request) {
	if pr, ok := proto.TakeProduceRequest(req.Body); ok { // the producer sends it from its cells
		req.Body = pr
	}
	switch body := req.Body.(type) {
	case proto.MetadataRequest:
		resp := proto.MetadataResponse{Topics: []proto.TopicMetadata{{Name: "t"}}}
		for _, o := range f.brokers {
			resp.Brokers = append(resp.Brokers, proto.BrokerMetadata{NodeID: o.id})
		}
		for i := 0; i < f.partitions; i++ {
			resp.Topics[0].Partitions = append(resp.Topics[0].Partitions, proto.PartitionMetadata{Index: int32(i), Leader: f.leader(int32(i))})
		}
		b.ep.Reply(from, req, resp)
	case proto.APIVersionsRequest:
		b.ep.Reply(from, req, proto.APIVersionsResponse{})
	case proto.InitProducerIDRequest:
		b.ep.Reply(from, req, proto.InitProducerIDResponse{ProducerID: 1000 + int64(b.id), ProducerEpoch: 0})
	case proto.ProduceRequest:
		fr := fakeRequest{at: f.s.Now(), broker: b.id, batches: map[int32]*record.Batch{}}
		var resp proto.ProduceResponse
		for _, t := range body.Topics {
			tr := proto.ProduceTopicResponse{Name: t.Name}
			for _, p := range t.Partitions {
				fr.batches[p.Index] = p.Batch
				fr.bytes += p.Batch.SizeInBytes()
				pr := proto.ProducePartitionResponse{Index: p.Index, BaseOffset: -1}
				code := proto.None
				if f.answer != nil {
					code = f.answer(b, names.TopicPartition{Topic: t.Name, Partition: p.Index}, p.Batch)
				}
				if code == proto.None {
					pr.BaseOffset = b.next[p.Index]
					b.next[p.Index] += int64(p.Batch.NumRecords())
					b.logs[p.Index] = append(b.logs[p.Index], p.Batch)
				}
				pr.ErrorCode = code
				tr.Partitions = append(tr.Partitions, pr)
			}
			resp.Topics = append(resp.Topics, tr)
		}
		f.requests = append(f.requests, fr)
		if b.silent || body.Acks == 0 {
			return
		}
		f.s.After(b.delay, func() { b.ep.Reply(from, req, resp) })
	}
}

// producer starts a producer with the given configs (over Kafka's defaults).
func (f *fakeCluster) producer(t *testing.T, configs map[string]string) *Producer {
	t.Helper()
	cfg, err := config.Parse(config.Producer, configs)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProducer(ProducerOptions{Name: "p", Config: cfg, Bootstrap: []int32{1}, KeepRecords: true}, f.s, f.n, f.tr)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// run advances simulated time by d.
func (f *fakeCluster) run(d time.Duration) { f.s.RunUntil(f.s.Now() + d) }

// warmUp sends one record to partition 0 and waits for its answer, so the
// producer has its metadata (Kafka fetches it on the first send()), then
// forgets the request.
func (f *fakeCluster) warmUp(p *Producer) {
	p.Send(msg(0, "", "warm-up"))
	f.run(20 * time.Millisecond)
	f.requests = nil
}

// sendAt calls p.Send(m) d from now.
func (f *fakeCluster) sendAt(p *Producer, d time.Duration, m Message) {
	f.s.After(d, func() { p.Send(m) })
}

func (f *fakeCluster) count(kind string) int {
	n := 0
	for _, e := range f.events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func msg(part int32, key, value string) Message {
	m := Message{Topic: "t", Partition: part, Key: []byte(key), Value: []byte(value)}
	if key == "" {
		m.Key, m.KeyNull = nil, true
	}
	return m
}
