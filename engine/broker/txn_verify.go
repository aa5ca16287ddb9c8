package broker

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// Transaction verification (KIP-890; Kafka's
// transaction.partition.verification.enable, on by default since 3.6):
// before a producer's first transactional write to a partition in a
// transaction, the partition leader asks the transaction coordinator
// whether the partition is in the producer's ongoing transaction
// (AddPartitionsToTxn with VerifyOnly) and holds the produce request until
// it knows. A write the coordinator does not expect — a late write of an
// ended transaction — is refused instead of opening a transaction no
// marker will ever close: TRANSACTION_ABORTABLE with transaction.version=2
// (TransactionAbortableException), INVALID_TXN_STATE before. A write with
// an epoch older than the partition's is refused at once
// (INVALID_PRODUCER_EPOCH). Simplified: the whole produce request waits,
// and the engine's clients still send AddPartitionsToTxn themselves (a
// Kafka 4.x client with version 2 lets the leader add the partition).

// verdictKey names one producer's write to one partition in one epoch.
type verdictKey struct {
	tp    names.TopicPartition
	pid   int64
	epoch int16
}

const txnVerifyTimeout = 5 * time.Second

// verifyTransactions holds a produce request whose transactional batches
// need the coordinator's word, and runs it again once every one has a
// verdict. It reports whether it took the request.
func (b *Broker) verifyTransactions(from sim.NodeID, req proto.Request, body proto.ProduceRequest) bool {
	h := hostOf(b)
	if h == nil || body.TransactionalID == "" || !b.opts.Config.Bool("transaction.partition.verification.enable") {
		return false
	}
	var need []names.TopicPartition
	var pid int64
	var epoch int16
	for _, t := range body.Topics {
		for _, p := range t.Partitions {
			bt := p.Batch
			tp := names.TopicPartition{Topic: t.Name, Partition: p.Index}
			r := b.replicas.get(tp.Topic, tp.Partition)
			if bt == nil || !bt.IsTransactional() || bt.IsControl() || r == nil || !r.IsLeader {
				continue
			}
			if e := r.producers[bt.ProducerID]; e != nil && bt.ProducerEpoch < e.Epoch {
				continue // refused by the epoch check at append
			}
			if _, open := h.index(r).open[bt.ProducerID]; open {
				continue // its transaction is already open here
			}
			if _, ok := h.verdicts[verdictKey{tp, bt.ProducerID, bt.ProducerEpoch}]; ok {
				continue
			}
			need = append(need, tp)
			pid, epoch = bt.ProducerID, bt.ProducerEpoch
		}
	}
	if len(need) == 0 {
		return false
	}
	decide := func(code proto.ErrorCode, per map[names.TopicPartition]proto.ErrorCode) {
		if h.live() == nil {
			return
		}
		for _, tp := range need {
			c := code
			if c == proto.None {
				c = per[tp]
				if _, ok := per[tp]; !ok {
					c = proto.TransactionAbortable
				}
			}
			switch c {
			case proto.None, proto.ProducerFenced, proto.InvalidProducerIDMapping:
			case proto.TransactionAbortable:
				if h.txnVersion() < 2 {
					c = proto.InvalidTxnState
				}
			default: // the coordinator is busy or out of reach: the producer retries
				c = proto.NotEnoughReplicas
			}
			h.verdicts[verdictKey{tp, pid, epoch}] = c
		}
		b.handleProduce(from, req, body)
	}
	node, ok := b.txnCoordinatorNode(body.TransactionalID)
	if !ok {
		b.after(0, func() { decide(proto.CoordinatorNotAvailable, nil) })
		return true
	}
	vreq := proto.AddPartitionsToTxnRequest{TransactionalID: body.TransactionalID, ProducerID: pid, ProducerEpoch: epoch, Topics: groupTPs(need), VerifyOnly: true}
	b.ep.Call(names.Broker(node), vreq, txnVerifyTimeout, func(resp any, code proto.ErrorCode) {
		r, _ := resp.(proto.AddPartitionsToTxnResponse)
		if code == proto.None {
			code = r.ErrorCode
		}
		per := map[names.TopicPartition]proto.ErrorCode{}
		for _, v := range r.Verified {
			per[names.TopicPartition{Topic: v.Topic, Partition: v.Partition}] = v.ErrorCode
		}
		decide(code, per)
	})
	return true
}

// txnCoordinatorNode is the leader of the transactional id's __transaction_state partition.
func (b *Broker) txnCoordinatorNode(id string) (int32, bool) {
	t := b.image.Topics[coordinator.TransactionStateTopic]
	if t == nil || len(t.Partitions) == 0 {
		return -1, false
	}
	p := b.image.Partition(coordinator.TransactionStateTopic, int32(coord.Partition(id, len(t.Partitions))))
	if p == nil || p.Leader < 0 {
		return -1, false
	}
	return p.Leader, true
}

// txnVerdict takes the verdict on a transactional batch about to be
// appended (once: a retry is verified again), or None.
func (b *Broker) txnVerdict(tp names.TopicPartition, pid int64, epoch int16) (proto.ErrorCode, string) {
	h := hostOf(b)
	if h == nil {
		return proto.None, ""
	}
	k := verdictKey{tp, pid, epoch}
	code, ok := h.verdicts[k]
	if !ok {
		return proto.None, ""
	}
	delete(h.verdicts, k)
	if code == proto.None {
		return code, ""
	}
	return code, fmt.Sprintf("the transaction coordinator does not expect producer %d epoch %d to write to %s (transaction verification): %s", pid, epoch, tp, code)
}

// txnVersion is the cluster's transaction.version.
func (h *groupHost) txnVersion() int { return h.txns.Version() }
