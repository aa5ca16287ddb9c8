package client

import (
	"fmt"
	"slices"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/brokerlab/brokerlab/engine/record"
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
	// KeepRecords keeps every acknowledged record and its latency
	// (AckedRecords, Latencies) for checkers and tests. Without it the
	// producer keeps counts and histograms only, so its memory does not
	// grow with what it sends.
	KeepRecords bool
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

// Header is a record header. A sent record shares its Headers slice with
// the Message: do not change it after send().
type Header = record.Header

// Acked is a record the producer saw acknowledged (offset -1 for acks=0).
type Acked struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Key       string `json:"key"`
	KeyNull   bool   `json:"key_null,omitempty"` // a null key (Key is "")
	Value     string `json:"value"`
	Seq       int64  `json:"seq"` // order of send() calls
}

// Producer is a KafkaProducer: its own fields are the application
// thread's (producer_app.go), whose calls (send, flush, close) run in
// order and may block. Kafka's other classes are the structs it holds:
// the RecordAccumulator (accumulator, accumulator.go) keeps one queue of
// batches per partition; the Sender (sender, sender.go) drains ready
// batches to partition leaders and retries; the TransactionManager
// (txnManager, producer_idempotence.go) owns the producer id and
// sequences; ProducerMetadata (producerMetadata,
// producer_metadata.go) keeps the cluster view fresh.
type Producer struct {
	name        string
	ep          *rpc.Endpoint
	trace       *trace.Trace
	cfg         config.Values
	epochMs     int64
	part        partition.Partitioner
	rnd         *sim.Rand // retry backoff jitter
	stopped     bool      // closed: nothing runs any more
	keepRecords bool      // ProducerOptions.KeepRecords: acked and Stats.latencies grow

	// the application thread
	maxBlock     time.Duration
	calls        []appCall // queued calls, first one running
	arena        byteArena // the records' keys and values
	sendSeq      int64
	blocked      blockReason
	blockedSince time.Duration
	blockWhy     string
	blockTimer   *sim.Timer
	metaWaiting  bool
	closing      bool

	accumulator
	sender
	connections
	txnManager
	producerMetadata

	Stats ProducerStats
	m     producerMetrics
	acked ackedLog
}

// ProducerStats are counters for snapshots; Kafka-named metrics come from
// Metrics().
type ProducerStats struct {
	Sent            int64                    `json:"sent"` // records accepted by send()
	Acked           int64                    `json:"acked"`
	Failed          map[string]int64         `json:"failed"`
	Retries         int64                    `json:"retries"`  // batches sent again
	Requests        int64                    `json:"requests"` // produce requests
	Batches         int64                    `json:"batches"`  // batches drained (retries included)
	BatchBytes      int64                    `json:"batch_bytes"`
	Reordered       int64                    `json:"reordered"` // batches acknowledged behind a later send
	QueueTimeTotal  time.Duration            `json:"-"`
	BlockedSendTime time.Duration            `json:"-"`
	latencies       recordLog[time.Duration] // in acknowledgement order
	sorted          []time.Duration          // Latencies() so far
}

// NewProducer validates the configuration and starts a producer.
func NewProducer(o ProducerOptions, s *sim.Sim, n *sim.Network, tr *trace.Trace) (*Producer, error) {
	c := o.Config
	p := &Producer{name: o.Name, trace: tr, cfg: c, epochMs: o.EpochMs,
		accumulator: accumulator{topics: map[string]*topicQueues{}, ratio: map[string]float64{}, partCount: map[string]int{},
			drainIndex: map[int32]int{}, nodeStats: map[int32]*nodeLatency{}},
		sender:      sender{inflight: map[int32]int{}, conns: map[int32][]*produceCall{}, connFailed: map[int32]time.Duration{}},
		connections: connections{nodes: map[int32]*nodeConn{}},
		txnManager:  txnManager{pid: -1, pidEpoch: -1},
		Stats:       ProducerStats{Failed: map[string]int64{}}}
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
	p.retryBackoff, p.retryBackoffMax, p.metadataMaxAge = ms("retry.backoff.ms"), ms("retry.backoff.max.ms"), ms("metadata.max.age.ms")
	p.reconnectBackoff, p.reconnectBackoffMax = ms("reconnect.backoff.ms"), ms("reconnect.backoff.max.ms")
	p.availabilityTimeout = ms("partitioner.availability.timeout.ms")
	p.batchSize, p.bufferMemory, p.maxRequestSize, p.retries = c.Int64("batch.size"), c.Int64("buffer.memory"), c.Int64("max.request.size"), c.Int64("retries")
	p.maxInFlight = int(c.Int64("max.in.flight.requests.per.connection"))
	p.adaptive = c.Bool("partitioner.adaptive.partitioning.enable")
	p.transactionalID = c.String("transactional.id")
	fail := func(format string, args ...any) (*Producer, error) {
		return nil, fmt.Errorf("client: producer %s: "+format, append([]any{o.Name}, args...)...)
	}
	raised, err := p.configureDeliveryTimeout(c)
	if err != nil {
		return fail("%v", err)
	}
	if p.retryBackoffMax < p.retryBackoff {
		p.retryBackoffMax = p.retryBackoff // Kafka uses retry.backoff.ms as the cap then
	}
	idem, err := idempotence(c, p.acks)
	if err != nil {
		return fail("%v", err)
	}
	p.idempotent = idem
	comp, ok := record.ParseCompression(c.String("compression.type"))
	if !ok || !record.Supported(comp) {
		return fail("compression.type=%s is not modelled yet (none, gzip and zstd are)", c.String("compression.type"))
	}
	p.compression = comp
	if c.String("partitioner.class") != "" {
		p.part = partition.NewRoundRobin()
	} else {
		rnd := s.Rand(string(names.Producer(o.Name)) + "/partitioner")
		bi, err := partition.NewBuiltIn(partition.Config{BatchSize: int(p.batchSize),
			AdaptivePartitioning: p.adaptive, AvailabilityTimeout: p.availabilityTimeout,
			IgnoreKeys: c.Bool("partitioner.ignore.keys")}, rnd.Intn, p.lastBatchFull)
		if err != nil {
			return fail("%v", err)
		}
		p.part = bi
	}
	p.rnd = s.Rand(string(names.Producer(o.Name)) + "/backoff")
	p.reconnectRnd = s.Rand(string(names.Producer(o.Name)) + "/reconnect")
	p.keepRecords = o.KeepRecords
	p.ep = rpc.NewEndpoint(s, n, names.Producer(o.Name))
	if p.transactionalID != "" {
		if p.txn, err = newTxnHooks(p); err != nil {
			return fail("%v", err)
		}
	}
	p.meta = newMetaCache(p.ep, o.Bootstrap, &p.stopped)
	p.producerMetaPolicy()
	p.startedAt, p.nextWake = s.Now(), -1
	p.soon.p, p.wake.p = p, p
	n.Register(p.ep.ID, p.deliver)
	if raised {
		p.emit("config_warning", fmt.Sprintf("producer %s: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms. Setting it to %d.", o.Name, p.deliveryTimeout.Milliseconds()),
			map[string]any{"config": "delivery.timeout.ms", "value": p.deliveryTimeout.Milliseconds()})
	}
	p.emit("producer_started", fmt.Sprintf("producer %s started: acks=%s, linger.ms=%d, batch.size=%d, idempotence %v, compression %s",
		o.Name, c.String("acks"), c.Int64("linger.ms"), p.batchSize, onOff(idem), comp),
		map[string]any{"configs": c.Explicit(), "idempotent": idem})
	p.scheduleMetadataRefresh()
	return p, nil
}

// idempotence applies Kafka's rule: on by default, silently off when not set
// explicitly and acks≠all, retries=0 or more than 5 requests in flight; an
// explicit true with such settings is a configuration error, and so is a
// transactional.id with idempotence explicitly off.
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
	transactional := c.String("transactional.id") != ""
	if !c.IsSet("enable.idempotence") && !transactional {
		return conflict == "" && c.Bool("enable.idempotence"), nil
	}
	if transactional && c.IsSet("enable.idempotence") && !c.Bool("enable.idempotence") {
		return false, fmt.Errorf("cannot set a transactional.id without also enabling idempotence (ConfigException)")
	}
	if (transactional || c.Bool("enable.idempotence")) && conflict != "" {
		return false, fmt.Errorf("enable.idempotence=true but %s (ConfigException)", conflict)
	}
	return transactional || c.Bool("enable.idempotence"), nil
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

// Closed reports whether close() has finished.
func (p *Producer) Closed() bool { return p.stopped }

// AckedRecords lists acknowledged records in acknowledgement order. It
// needs KeepRecords.
func (p *Producer) AckedRecords() []Acked {
	p.mustKeep("AckedRecords")
	return p.acked.all()
}

func (p *Producer) mustKeep(what string) {
	if !p.keepRecords {
		panic(fmt.Sprintf("client: producer %s: %s needs ProducerOptions.KeepRecords (cluster: KeepRecords before the producer starts)", p.name, what))
	}
}

func (p *Producer) now() time.Duration { return p.ep.Sim.Now() }

func (p *Producer) emit(kind, msg string, data map[string]any) {
	p.trace.Emit(trace.Event{Kind: kind, Node: string(p.ep.ID), Msg: msg, Data: data})
}

// emitFields is emit with the data as trace fields, for the frequent
// events (no map per event).
func (p *Producer) emitFields(kind, msg string, fields ...trace.Field) {
	p.trace.EmitFields(trace.Event{Kind: kind, Node: string(p.ep.ID), Msg: msg}, fields...)
}

// Send is KafkaProducer.send(). The application thread calls send, flush and
// close one after another: a call that arrives while an earlier one blocks
// waits behind it.
//
// send() copies the key and value into the record it appends, so the
// caller may reuse their bytes once it returns. A call that has to wait
// keeps a copy of its own.
func (p *Producer) Send(m Message) {
	if len(p.calls) == 0 && p.blocked == notBlocked && !p.stopped && p.send(&m) {
		return // appended (or failed) at once: processCalls would do just that
	}
	// it waits (blocked just now, or behind a waiting call)
	p.calls = append(p.calls, appCall{op: callSend, msg: ownMessage(m)})
	p.processCalls()
}

// Flush is KafkaProducer.flush(): every batch is sendable at once, and the
// application thread blocks until the records sent before it are done.
func (p *Producer) Flush() {
	p.calls = append(p.calls, appCall{op: callFlush})
	p.processCalls()
}

// Close is KafkaProducer.close(): send everything still buffered, wait for
// the answers, then stop. Later sends fail.
func (p *Producer) Close() {
	p.calls = append(p.calls, appCall{op: callClose})
	p.processCalls()
}

// BufferAvailable is buffer.memory minus the bytes held by batches.
func (p *Producer) BufferAvailable() int64 { return p.bufferMemory - p.bufferUsed }

// Queued counts records not yet acknowledged or failed: blocked in send(),
// waiting in the accumulator, or in flight.
func (p *Producer) Queued() int {
	n := 0
	for _, c := range p.calls {
		if c.op == callSend {
			n++
		}
	}
	for _, q := range p.queues {
		for _, b := range q.batches {
			n += len(b.records)
		}
		for _, b := range q.inflight {
			n += len(b.records)
		}
	}
	return n
}

// Latencies returns acknowledged records' send-to-ack times, sorted. The
// slice is shared: do not modify it. Only the times added since the last
// call are sorted, then merged, so calling it for every snapshot is cheap.
func (p *Producer) Latencies() []time.Duration {
	p.mustKeep("Latencies")
	st := &p.Stats
	if n := len(st.sorted); n < st.latencies.len() {
		tail := st.latencies.appendFrom(nil, n)
		slices.Sort(tail)
		merged := make([]time.Duration, 0, st.latencies.len())
		i, j := 0, 0
		for i < len(st.sorted) && j < len(tail) {
			if st.sorted[i] <= tail[j] {
				merged = append(merged, st.sorted[i])
				i++
			} else {
				merged = append(merged, tail[j])
				j++
			}
		}
		merged = append(append(merged, st.sorted[i:]...), tail[j:]...)
		st.sorted = merged
	}
	return st.sorted
}

// fail counts records that failed with a Kafka error or exception name.
func (p *Producer) fail(n int, code string) {
	p.Stats.Failed[code] += int64(n)
	p.m.recordErrors += int64(n)
}
