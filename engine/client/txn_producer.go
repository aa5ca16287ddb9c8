package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
)

// txnProducer is the transactional producer of an exactly-once consumer
// application (consume → transform → produce): Kafka's TransactionManager
// with a minimal sender. Its transactional.id is "<group.id>-<consumer
// name>", so a restarted instance fences the crashed one. Simplified: it
// shares the consumer's network node and metadata, sends one batch per
// partition at a time with linger.ms=0, and never compresses.
type txnProducer struct {
	g         *groupClient
	id        string
	timeoutMs int32

	coordinator int32
	finding     bool
	pid         int64
	epoch       int16
	ready       bool

	inTxn    bool
	added    map[names.TopicPartition]bool
	adding   bool
	waiting  []txnMessage // not yet mapped to a partition
	queue    map[names.TopicPartition][]record.Record
	inflight map[names.TopicPartition][]record.Record
	seq      map[names.TopicPartition]int32
	rr       int
	flushers []func()
	waitMeta bool
	err      string // abortable error of the current transaction
	fenced   bool

	Committed, Aborted int
}

type txnMessage struct{ topic, key, value string }

func newTxnProducer(g *groupClient) *txnProducer {
	t := &txnProducer{g: g, id: g.groupID + "-" + g.c.name, timeoutMs: 60000, coordinator: -1, pid: -1, epoch: -1,
		added: map[names.TopicPartition]bool{}, queue: map[names.TopicPartition][]record.Record{}, inflight: map[names.TopicPartition][]record.Record{}, seq: map[names.TopicPartition]int32{}}
	t.initTransactions()
	return t
}

func (t *txnProducer) c() *Consumer { return t.g.c }

// findCoordinator looks up the transaction coordinator of the transactional id.
func (t *txnProducer) findCoordinator(then func()) {
	c := t.c()
	if t.coordinator >= 0 {
		then()
		return
	}
	cands := c.meta.candidates()
	if len(cands) == 0 {
		t.g.after(c.backoff(), func() { t.findCoordinator(then) })
		return
	}
	id := cands[t.rr%len(cands)]
	t.rr++
	c.ep.Call(nodeOf(id), proto.FindCoordinatorRequest{Key: t.id, KeyType: proto.CoordinatorTransaction}, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		resp, ok := body.(proto.FindCoordinatorResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			c.meta.refresh(nil)
			t.g.after(c.backoff(), func() { t.findCoordinator(then) })
			return
		}
		t.coordinator = resp.NodeID
		then()
	})
}

// retryCoordinator forgets the coordinator and retries fn after a backoff.
func (t *txnProducer) retryCoordinator(code proto.ErrorCode, fn func()) {
	if code == proto.NotCoordinator || code == proto.CoordinatorNotAvailable || code == proto.RequestTimedOut || code == proto.NetworkException {
		t.coordinator = -1
	}
	t.g.after(t.c().backoff(), fn)
}

// initTransactions is KafkaProducer.initTransactions(): InitProducerId with
// the transactional id gets the producer id and a new epoch, fencing any
// older instance and aborting its open transaction.
func (t *txnProducer) initTransactions() {
	c := t.c()
	t.findCoordinator(func() {
		req := proto.InitProducerIDRequest{TransactionalID: t.id, TransactionTimeoutMs: t.timeoutMs}
		c.ep.Call(nodeOf(t.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
			if c.stopped {
				return
			}
			resp, ok := body.(proto.InitProducerIDResponse)
			if code != proto.None || !ok || resp.ErrorCode != proto.None {
				t.retryCoordinator(firstCode(code, resp.ErrorCode), t.initTransactions)
				return
			}
			t.pid, t.epoch, t.ready = resp.ProducerID, resp.ProducerEpoch, true
			t.seq = map[names.TopicPartition]int32{}
			c.emit("transactions_initialized", fmt.Sprintf("consumer %s's producer has transactional.id %s: producer id %d, epoch %d (older instances are fenced)", c.name, t.id, t.pid, t.epoch),
				map[string]any{"transactional_id": t.id, "producer_id": t.pid, "producer_epoch": t.epoch})
			t.g.wake()
		})
	})
}

func (t *txnProducer) begin() {
	t.inTxn, t.err = true, ""
	t.added = map[names.TopicPartition]bool{}
}

// send is producer.send() inside the transaction.
func (t *txnProducer) send(topic, key, value string) {
	t.waiting = append(t.waiting, txnMessage{topic, key, value})
	t.pump()
}

func (t *txnProducer) pump() {
	c := t.c()
	if c.stopped || t.fenced {
		return
	}
	rest := t.waiting[:0]
	for _, m := range t.waiting {
		n := c.meta.partitions(m.topic)
		if n == 0 {
			rest = append(rest, m)
			continue
		}
		var p int
		if m.key != "" {
			p = partition.ForKey([]byte(m.key), n)
		} else {
			p = t.rr % n
			t.rr++
		}
		k := names.TopicPartition{Topic: m.topic, Partition: int32(p)}
		t.queue[k] = append(t.queue[k], record.Record{Key: []byte(m.key), Value: []byte(m.value)})
	}
	t.waiting = rest
	if len(t.waiting) > 0 && !t.waitMeta {
		t.waitMeta = true
		c.meta.refresh(nil)
		t.g.after(c.backoff(), func() { t.waitMeta = false; t.pump() })
	}
	var toAdd []names.TopicPartition
	for _, k := range sortedQueueKeys(t.queue) {
		if !t.added[k] {
			toAdd = append(toAdd, k)
			continue
		}
		if len(t.inflight[k]) == 0 && len(t.queue[k]) > 0 {
			t.produce(k, t.queue[k])
			delete(t.queue, k)
		}
	}
	if len(toAdd) > 0 && !t.adding {
		t.addPartitions(toAdd)
	}
	t.maybeFlushed()
}

func sortedQueueKeys(m map[names.TopicPartition][]record.Record) []names.TopicPartition {
	out := make([]names.TopicPartition, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	names.Sort(out)
	return out
}

// addPartitions is AddPartitionsToTxn, sent before the first record to a
// partition in this transaction.
func (t *txnProducer) addPartitions(ks []names.TopicPartition) {
	c := t.c()
	t.adding = true
	t.findCoordinator(func() {
		req := proto.AddPartitionsToTxnRequest{TransactionalID: t.id, ProducerID: t.pid, ProducerEpoch: t.epoch, Topics: protoTPs(ks)}
		c.ep.Call(nodeOf(t.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
			if c.stopped {
				return
			}
			t.adding = false
			resp, ok := body.(proto.AddPartitionsToTxnResponse)
			switch code = firstCode(code, resp.ErrorCode); {
			case code == proto.None && ok:
				for _, k := range ks {
					t.added[k] = true
				}
				t.pump()
			case code == proto.ProducerFenced || code == proto.InvalidProducerEpoch || code == proto.InvalidProducerIDMapping:
				t.fence(code)
			default:
				t.retryCoordinator(code, t.pump)
			}
		})
	})
}

func (t *txnProducer) produce(k names.TopicPartition, recs []record.Record) {
	c := t.c()
	t.inflight[k] = recs
	leader := c.meta.leader(k.Topic, k.Partition)
	if leader < 0 {
		c.meta.refresh(nil)
		t.g.after(c.backoff(), func() { t.resend(k) })
		return
	}
	bt := record.NewBatch(t.g.o.EpochMs+int64(c.ep.Sim.Now()/time.Millisecond), recs...)
	bt.Attributes = record.MakeAttributes(record.CompressionNone, record.CreateTime, true, false)
	bt.ProducerID, bt.ProducerEpoch, bt.BaseSequence = t.pid, t.epoch, t.seq[k]
	req := proto.ProduceRequest{Acks: -1, TimeoutMs: 30000, TransactionalID: t.id,
		Topics: []proto.ProduceTopic{{Name: k.Topic, Partitions: []proto.ProducePartition{{Index: k.Partition, Batch: bt}}}}}
	c.ep.Call(nodeOf(leader), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		resp, ok := proto.TakeProduceResponse(body)
		if code == proto.None && ok {
			code = producedCode(resp, k)
		}
		switch code {
		case proto.None:
			t.seq[k] += int32(len(recs))
			delete(t.inflight, k)
			t.pump()
		case proto.ProducerFenced, proto.InvalidProducerEpoch:
			delete(t.inflight, k)
			t.fence(code)
		case proto.OutOfOrderSequenceNumber, proto.InvalidTxnState, proto.MessageTooLarge:
			delete(t.inflight, k)
			t.err = code.String()
			t.maybeFlushed()
		default:
			c.meta.refresh(nil)
			t.g.after(c.backoff(), func() { t.resend(k) })
		}
	})
}

func (t *txnProducer) resend(k names.TopicPartition) {
	if recs := t.inflight[k]; len(recs) > 0 && !t.c().stopped {
		t.produce(k, recs)
	}
}

func (t *txnProducer) fence(code proto.ErrorCode) {
	if t.fenced {
		return
	}
	t.fenced = true
	t.g.fail(fmt.Sprintf("ProducerFencedException (%s): another instance with transactional.id %s took over", code, t.id))
}

// flushThen calls fn once every record of the transaction is acknowledged.
func (t *txnProducer) flushThen(fn func()) {
	t.flushers = append(t.flushers, fn)
	t.pump()
}

func (t *txnProducer) maybeFlushed() {
	if len(t.waiting) > 0 || len(t.queue) > 0 || len(t.inflight) > 0 || t.adding {
		return
	}
	fs := t.flushers
	t.flushers = nil
	for _, f := range fs {
		f()
	}
}

// endTxn is commitTransaction() (commit) or abortTransaction().
func (t *txnProducer) endTxn(commit bool, then func(code proto.ErrorCode)) {
	c := t.c()
	t.findCoordinator(func() {
		req := proto.EndTxnRequest{TransactionalID: t.id, ProducerID: t.pid, ProducerEpoch: t.epoch, Committed: commit}
		c.ep.Call(nodeOf(t.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
			if c.stopped {
				return
			}
			resp, _ := body.(proto.EndTxnResponse)
			code = firstCode(code, resp.ErrorCode)
			switch {
			case code == proto.None:
				if resp.ProducerID > 0 {
					// transaction.version=2 (KIP-890): the coordinator bumped the
					// epoch; the next transaction uses it, sequences from 0.
					t.pid, t.epoch = resp.ProducerID, resp.ProducerEpoch
					t.seq = map[names.TopicPartition]int32{}
				}
				t.inTxn = false
				if commit {
					t.Committed++
				} else {
					t.Aborted++
				}
				then(code)
			case code == proto.ProducerFenced || code == proto.InvalidProducerEpoch || code == proto.InvalidProducerIDMapping:
				t.fence(code)
			case code == proto.ConcurrentTransactions || retriableCoordinatorError(code):
				t.retryCoordinator(code, func() { t.endTxn(commit, then) })
			default:
				then(code)
			}
		})
	})
}

func producedCode(resp proto.ProduceResponse, k names.TopicPartition) proto.ErrorCode {
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if t.Name == k.Topic && p.Index == k.Partition {
				return p.ErrorCode
			}
		}
	}
	return proto.UnknownTopicOrPartition
}
