package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// ProducerOptions configure a producer.
type ProducerOptions struct {
	Name      string
	Config    config.Values
	Bootstrap []int32
	EpochMs   int64
}

// Message is one record handed to send().
type Message struct {
	Topic     string
	Partition int32 // -1: let the partitioner choose
	Key       []byte
	KeyNull   bool
	Value     []byte
	ValueNull bool
	Headers   []Header
}

// Header is a record header.
type Header struct {
	Key   string
	Value []byte
}

// Acked is a record the producer saw acknowledged (offset -1 for acks=0).
type Acked struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Key       string `json:"key"`
	Value     string `json:"value"`
	Seq       int64  `json:"seq"` // order of send() calls
}

// Producer is a KafkaProducer: send() feeds the accumulator, the sender
// drains ready batches to partition leaders.
type Producer struct {
	name    string
	ep      *rpc.Endpoint
	trace   *trace.Trace
	cfg     config.Values
	epochMs int64
	meta    *metaCache
	part    partition.Partitioner
	stopped bool

	acks                                              int16
	linger, deliveryTimeout, requestTimeout, maxBlock time.Duration
	retryBackoff, retryBackoffMax                     time.Duration
	batchSize, bufferMemory, maxRequestSize, retries  int64
	maxInFlight                                       int
	idempotent                                        bool

	pid        int64
	pidEpoch   int16
	pidPending bool

	sendQueue    []*Message
	sendSeq      int64
	blockedSince time.Duration
	blocked      bool
	blockTimer   *sim.Timer

	queues     map[tpKey]*partitionQueue
	bufferUsed int64
	inflight   map[int32]int
	wake       *sim.Timer
	flushing   bool

	Stats ProducerStats
	acked []Acked
}

type tpKey struct {
	topic string
	part  int32
}

// ProducerStats are counters and Kafka-named metrics for snapshots.
type ProducerStats struct {
	Sent            int64            `json:"sent"`
	Acked           int64            `json:"acked"`
	Failed          map[string]int64 `json:"failed"`
	Retries         int64            `json:"retries"`
	Requests        int64            `json:"requests"`
	Batches         int64            `json:"batches"`
	BatchBytes      int64            `json:"batch_bytes"`
	QueueTimeTotal  time.Duration    `json:"-"`
	latencies       []time.Duration
	BlockedSendTime time.Duration `json:"-"`
}

// ProducerNode is the network name of a producer.
func ProducerNode(name string) sim.NodeID { return sim.NodeID("producer-" + name) }

// NewProducer validates the configuration and starts a producer.
func NewProducer(o ProducerOptions, s *sim.Sim, n *sim.Network, tr *trace.Trace) (*Producer, error) {
	c := o.Config
	p := &Producer{name: o.Name, trace: tr, cfg: c, epochMs: o.EpochMs,
		queues: map[tpKey]*partitionQueue{}, inflight: map[int32]int{}, pid: -1, pidEpoch: -1,
		Stats: ProducerStats{Failed: map[string]int64{}}}
	switch c.String("acks") {
	case "0":
		p.acks = 0
	case "1":
		p.acks = 1
	default:
		p.acks = -1
	}
	ms := func(name string) time.Duration { return time.Duration(c.Int64(name)) * time.Millisecond }
	p.linger, p.deliveryTimeout, p.requestTimeout, p.maxBlock = ms("linger.ms"), ms("delivery.timeout.ms"), ms("request.timeout.ms"), ms("max.block.ms")
	p.retryBackoff, p.retryBackoffMax = ms("retry.backoff.ms"), ms("retry.backoff.max.ms")
	p.batchSize, p.bufferMemory, p.maxRequestSize, p.retries = c.Int64("batch.size"), c.Int64("buffer.memory"), c.Int64("max.request.size"), c.Int64("retries")
	p.maxInFlight = int(c.Int64("max.in.flight.requests.per.connection"))
	if p.deliveryTimeout < p.linger+p.requestTimeout {
		return nil, fmt.Errorf("client: producer %s: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms", o.Name)
	}
	idem, err := idempotence(c, p.acks)
	if err != nil {
		return nil, fmt.Errorf("client: producer %s: %v", o.Name, err)
	}
	p.idempotent = idem
	if c.String("compression.type") != "none" {
		return nil, fmt.Errorf("client: producer %s: compression.type=%s is not modelled yet", o.Name, c.String("compression.type"))
	}
	if c.String("partitioner.class") != "" {
		p.part = partition.NewRoundRobin()
	} else {
		rnd := s.Rand(string(ProducerNode(o.Name)) + "/partitioner")
		bi, err := partition.NewBuiltIn(partition.Config{BatchSize: int(p.batchSize),
			AdaptivePartitioning: c.Bool("partitioner.adaptive.partitioning.enable"),
			AvailabilityTimeout:  time.Duration(c.Int64("partitioner.availability.timeout.ms")) * time.Millisecond,
			IgnoreKeys:           c.Bool("partitioner.ignore.keys")}, rnd.Intn, p.allBatchesFull)
		if err != nil {
			return nil, fmt.Errorf("client: producer %s: %v", o.Name, err)
		}
		p.part = bi
	}
	p.ep = rpc.NewEndpoint(s, n, ProducerNode(o.Name))
	p.meta = newMetaCache(p.ep, o.Bootstrap, &p.stopped)
	n.Register(p.ep.ID, func(from sim.NodeID, msg any) { p.ep.Deliver(from, msg) })
	p.emit("producer_started", fmt.Sprintf("producer %s started: acks=%s, linger.ms=%d, batch.size=%d, idempotence %v", o.Name, c.String("acks"), c.Int64("linger.ms"), p.batchSize, onOff(idem)),
		map[string]any{"configs": c.Explicit(), "idempotent": idem})
	return p, nil
}

// idempotence applies Kafka's rule: on by default, silently off when not set
// explicitly and acks≠all, retries=0 or more than 5 requests in flight; an
// explicit true with such settings is a configuration error.
func idempotence(c config.Values, acks int16) (bool, error) {
	conflict := ""
	switch {
	case acks != -1:
		conflict = "acks must be all"
	case c.Int64("retries") == 0:
		conflict = "retries must be greater than 0"
	case c.Int64("max.in.flight.requests.per.connection") > 5:
		conflict = "max.in.flight.requests.per.connection must be at most 5"
	}
	if !c.IsSet("enable.idempotence") {
		return conflict == "" && c.Bool("enable.idempotence"), nil
	}
	if c.Bool("enable.idempotence") && conflict != "" {
		return false, fmt.Errorf("enable.idempotence=true but %s (ConfigException)", conflict)
	}
	return c.Bool("enable.idempotence"), nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// Name is the producer's name.
func (p *Producer) Name() string { return p.name }

// Idempotent reports whether idempotence is in effect.
func (p *Producer) Idempotent() bool { return p.idempotent }

// AckedRecords lists acknowledged records in acknowledgement order.
func (p *Producer) AckedRecords() []Acked { return p.acked }

func (p *Producer) now() time.Duration { return p.ep.Sim.Now() }

func (p *Producer) emit(kind, msg string, data map[string]any) {
	p.trace.Emit(trace.Event{Kind: kind, Node: string(p.ep.ID), Msg: msg, Data: data})
}

// Send is KafkaProducer.send(): records queue behind a blocked send, as the
// application thread that calls send() is blocked too.
func (p *Producer) Send(m Message) {
	if p.stopped {
		return
	}
	cp := m
	p.sendQueue = append(p.sendQueue, &cp)
	p.processSends()
}

// Flush makes every buffered batch sendable now (KafkaProducer.flush()).
func (p *Producer) Flush() {
	p.flushing = true
	p.drain()
}

// Close stops the producer after flushing; records still blocked in send() fail.
func (p *Producer) Close() {
	p.Flush()
	for _, m := range p.sendQueue {
		p.fail(m.Topic, 1, "TIMEOUT_EXCEPTION")
	}
	p.sendQueue = nil
}

// BufferAvailable is buffer.memory minus the bytes held by batches.
func (p *Producer) BufferAvailable() int64 { return p.bufferMemory - p.bufferUsed }

// Queued counts records waiting in the accumulator or blocked in send().
func (p *Producer) Queued() int {
	n := len(p.sendQueue)
	for _, q := range p.queues {
		for _, b := range q.batches {
			n += len(b.records)
		}
	}
	return n
}

// Latencies returns acknowledged records' send-to-ack times.
func (p *Producer) Latencies() []time.Duration {
	out := append([]time.Duration(nil), p.Stats.latencies...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (p *Producer) fail(topic string, n int, code string) {
	p.Stats.Failed[code] += int64(n)
}
