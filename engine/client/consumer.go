package client

import (
	"github.com/brokerlab/brokerlab/engine/proto"

	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// ConsumerOptions configure a consumer.
type ConsumerOptions struct {
	Name      string
	Config    config.Values
	Bootstrap []int32
	Topics    []string

	// The application around a group consumer (ignored without group.id):
	// how long it works on each record, when it commits, what its
	// rebalance listener does, and where it writes its output.
	Process   time.Duration
	Commit    string // CommitAuto (default), CommitSync, CommitAsync, CommitBefore, CommitManual or CommitTxn
	OnRevoked string // "" or "commit": commitSync in onPartitionsRevoked
	Output    string // CommitTxn: the topic each processed record is written to
	EpochMs   int64
	// Previous is the crashed or closed consumer of the same name this one
	// replaces (History follows it).
	Previous *Consumer
	// KeepRecords keeps every record poll() returned and the application
	// processed, for Records, Processed and History (checkers and tests).
	// Without it the consumer keeps counts only, so its memory does not
	// grow with what it reads.
	KeepRecords bool
}

// Commit strategies of a group consumer's application.
const (
	// CommitAuto relies on enable.auto.commit alone (at-least-once: it
	// commits what the previous poll returned).
	CommitAuto = "auto"
	// CommitSync calls commitSync() after processing each poll (at-least-once).
	CommitSync = "sync"
	// CommitAsync calls commitAsync() after processing each poll.
	CommitAsync = "async"
	// CommitBefore calls commitSync() right after poll(), before processing
	// (at-most-once: a crash while processing loses the rest of the batch).
	CommitBefore = "before"
	// CommitManual commits only on an explicit commit command.
	CommitManual = "manual"
	// CommitTxn reads, writes each record to Output and commits the offsets
	// in the same transaction (exactly-once, with read_committed readers).
	CommitTxn = "txn"
)

// Consumed is one record a consumer read.
type Consumed struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Key       string `json:"key"`
	KeyNull   bool   `json:"key_null,omitempty"` // a null key (Key is "")
	Value     string `json:"value"`
	Timestamp int64  `json:"timestamp"`
}

// Consumer is a KafkaConsumer. Without group.id it reads every partition
// of its topics (manual assignment): it finds each start position with
// ListOffsets by auto.offset.reset and fetches from partition leaders in a
// loop. With group.id it subscribes through the group coordinator, runs an
// application loop of poll → process → commit, and keeps the positions and
// committed offsets of the partitions the group gives it.
type Consumer struct {
	name       string
	ep         *rpc.Endpoint
	fetchCells rpc.Cells[proto.FetchRequest] // the fetch requests travel in these (no boxing)
	trace      *trace.Trace
	cfg        config.Values
	meta       *metaCache
	topics     []string
	stopped    bool

	positions  map[names.TopicPartition]int64
	resetting  map[names.TopicPartition]bool
	failed     map[names.TopicPartition]string
	fetching   map[int32]bool
	fetchDone  map[int32]rpc.Callback
	keep       bool                // ConsumerOptions.KeepRecords
	consumed   recordLog[Consumed] // with keep only
	pollBuf    pollBuffers
	reqScratch fetchScratch
	fetchCfg   fetchConfig
	Count      int64
	hwm        map[names.TopicPartition]int64

	g   *groupClient // nil without group.id
	rnd *sim.Rand    // retry backoff jitter
}

// NewConsumer starts a consumer.
func NewConsumer(o ConsumerOptions, s *sim.Sim, n *sim.Network, tr *trace.Trace) *Consumer {
	c, err := StartConsumer(o, s, n, tr)
	if err != nil {
		panic(err) // callers that pass a group.id use StartConsumer
	}
	return c
}

// StartConsumer validates the options and starts a consumer.
func StartConsumer(o ConsumerOptions, s *sim.Sim, n *sim.Network, tr *trace.Trace) (*Consumer, error) {
	c := &Consumer{name: o.Name, trace: tr, cfg: o.Config, topics: append([]string(nil), o.Topics...), keep: o.KeepRecords,
		positions: map[names.TopicPartition]int64{}, resetting: map[names.TopicPartition]bool{}, failed: map[names.TopicPartition]string{}, fetching: map[int32]bool{}, fetchDone: map[int32]rpc.Callback{}, hwm: map[names.TopicPartition]int64{}}
	if o.Config.String("group.id") == "" {
		c.startManual(o, s, n)
		return c, nil
	}
	g, err := newGroupClient(c, o)
	if err != nil {
		return nil, err
	}
	c.g = g
	c.ep = rpc.NewEndpoint(s, n, names.Consumer(o.Name))
	c.rnd = s.Rand(string(names.Consumer(o.Name)) + "/backoff")
	c.meta = newMetaCache(c.ep, o.Bootstrap, &c.stopped)
	n.SetDown(c.ep.ID, false) // a restarted consumer of the same name
	n.Register(c.ep.ID, func(from sim.NodeID, msg any) {
		if !c.stopped {
			c.ep.Deliver(from, msg)
		}
	})
	g.start()
	return c, nil
}

func (c *Consumer) emit(kind, msg string, data map[string]any) {
	c.trace.Emit(trace.Event{Kind: kind, Node: string(c.ep.ID), Msg: msg, Data: data})
}

// emitFields is emit with the data as trace fields, for the frequent
// events (no map per event).
func (c *Consumer) emitFields(kind, msg string, fields ...trace.Field) {
	c.trace.EmitFields(trace.Event{Kind: kind, Node: string(c.ep.ID), Msg: msg}, fields...)
}

func (c *Consumer) backoff() time.Duration {
	return time.Duration(c.cfg.Int64("retry.backoff.ms")) * time.Millisecond
}

// backoffFor is the wait before the next coordinator lookup after n
// consecutive failed ones: Kafka's ExponentialBackoff(retry.backoff.ms, 2,
// retry.backoff.max.ms, jitter 0.2) (KIP-580), with the jitter drawn from
// the consumer's seeded stream. A retry.backoff.max.ms below
// retry.backoff.ms leaves the backoff flat, as in Kafka.
func (c *Consumer) backoffFor(n int) time.Duration {
	return expBackoff(c.backoff(), time.Duration(c.cfg.Int64("retry.backoff.max.ms"))*time.Millisecond, n, c.rnd)
}

func (c *Consumer) requestTimeout() time.Duration {
	return c.fetchSettings().requestTimeout
}

// Name is the consumer's name.
func (c *Consumer) Name() string { return c.name }

// Stopped reports whether the consumer was closed or crashed.
func (c *Consumer) Stopped() bool { return c.stopped }

// CrashArmed is where a crash asked for a later point of the poll loop
// will strike ("before_commit" or "before_process"); "" when none waits.
func (c *Consumer) CrashArmed() string {
	if c.stopped || c.g == nil {
		return ""
	}
	return c.g.crashAt
}

// Records lists consumed records in order (for a group consumer: what
// poll() returned to the application). It needs KeepRecords.
func (c *Consumer) Records() []Consumed {
	c.mustKeep("Records")
	return c.consumed.all()
}

// mustKeep panics when a caller asks for records the consumer was not
// asked to keep: an empty answer would let a checker pass without looking.
func (c *Consumer) mustKeep(what string) {
	if !c.keep {
		panic(fmt.Sprintf("client: consumer %s: %s needs ConsumerOptions.KeepRecords (cluster: KeepRecords before the consumer starts)", c.name, what))
	}
}

// Positions returns the next offset per partition, as "topic-p" keys.
func (c *Consumer) Positions() map[string]int64 {
	out := map[string]int64{}
	for k, v := range c.positions {
		out[k.String()] = v
	}
	return out
}

// Lag returns per-partition HWM (LSO under read_committed) − position as last seen.
func (c *Consumer) Lag() map[string]int64 {
	out := map[string]int64{}
	for k, h := range c.hwm {
		if p, ok := c.positions[k]; ok || c.g == nil {
			out[k.String()] = h - p
		}
	}
	return out
}

// Close stops the consumer. A group consumer leaves gracefully: it commits
// (with enable.auto.commit), runs onPartitionsRevoked, and sends
// LeaveGroup unless it is a static member.
func (c *Consumer) Close() {
	if c.g != nil {
		c.g.close()
		return
	}
	c.stopped = true
	c.ep.Reset()
	c.emit("consumer_closed", fmt.Sprintf("consumer %s closed after %d records", c.name, c.Count), nil)
}

// Crash kills the consumer process at once (kill -9): no commit, no
// LeaveGroup; the group notices after session.timeout.ms. With at
// "before_commit" or "before_process" it dies at the next such point of
// its poll loop instead.
func (c *Consumer) Crash(at string) error {
	if c.g == nil {
		if at != "" && at != "now" {
			return fmt.Errorf("client: consumer %s has no group.id: only an immediate crash is possible", c.name)
		}
		c.stopped = true
		c.ep.Reset()
		c.emit("consumer_crashed", fmt.Sprintf("consumer %s crashed", c.name), nil)
		return nil
	}
	return c.g.crash(at)
}

func tpNames(ks []names.TopicPartition) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.String()
	}
	return out
}
