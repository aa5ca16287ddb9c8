package client

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// The transactional producer's requests (TransactionManager's
// TxnRequestHandlers): FindCoordinator, InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn with TxnOffsetCommit, and EndTxn. One is out at a time
// (inflight); a retriable answer retries it after retry.backoff.ms.

// findCoordinator looks up a coordinator (transaction or group) and calls then with it.
func (t *txnManualState) findCoordinator(key string, keyType int8, then func(node int32)) {
	p := t.p
	cands := p.meta.candidates()
	if len(cands) == 0 {
		p.meta.refresh(nil)
		p.ep.Sim.After(p.retryBackoff, func() { t.findCoordinator(key, keyType, then) })
		return
	}
	id := cands[t.rr%len(cands)]
	t.rr++
	p.ep.Call(nodeOf(id), proto.FindCoordinatorRequest{Key: key, KeyType: keyType}, p.requestTimeout, func(body any, code proto.ErrorCode) {
		if p.stopped {
			return
		}
		resp, ok := body.(proto.FindCoordinatorResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None {
			p.ep.Sim.After(p.retryBackoff, func() { t.findCoordinator(key, keyType, then) })
			return
		}
		then(resp.NodeID)
	})
}

// toCoordinator sends a request to the transaction coordinator, finding
// it first. handle gets the answer's error code (a transport error
// included) and the body.
func (t *txnManualState) toCoordinator(req any, handle func(code proto.ErrorCode, body any)) {
	p := t.p
	t.inflight = true
	send := func(node int32) {
		t.coordinator = node
		p.ep.Call(nodeOf(node), req, p.requestTimeout, func(body any, code proto.ErrorCode) {
			if p.stopped {
				return
			}
			t.inflight = false
			if code == proto.None {
				code = errorOf(body)
			}
			if retriableCoordinatorError(code) || code == proto.CoordinatorLoadInProgress {
				t.coordinator = -1
			}
			handle(code, body)
			p.wakeup()
		})
	}
	if t.coordinator >= 0 {
		send(t.coordinator)
		return
	}
	t.findCoordinator(t.id, proto.CoordinatorTransaction, send)
}

func errorOf(body any) proto.ErrorCode {
	switch r := body.(type) {
	case proto.InitProducerIDResponse:
		return r.ErrorCode
	case proto.AddPartitionsToTxnResponse:
		return r.ErrorCode
	case proto.AddOffsetsToTxnResponse:
		return r.ErrorCode
	case proto.EndTxnResponse:
		return r.ErrorCode
	}
	return proto.None
}

// retriable: the request is sent again after retry.backoff.ms.
func txnRetriable(code proto.ErrorCode) bool {
	return retriableCoordinatorError(code) || code == proto.CoordinatorLoadInProgress || code == proto.ConcurrentTransactions
}

func (t *txnManualState) retry(fn func()) {
	t.inflight = true // nothing else goes out while the request waits to be retried
	t.p.ep.Sim.After(t.p.retryBackoff, func() {
		t.inflight = false
		if !t.p.stopped {
			fn()
		}
	})
}

// sendInitProducerID is InitProducerId with the transactional.id and
// transaction.timeout.ms: a new epoch that fences older instances.
func (t *txnManualState) sendInitProducerID() {
	p := t.p
	req := proto.InitProducerIDRequest{TransactionalID: t.id, TransactionTimeoutMs: t.timeoutMs}
	t.toCoordinator(req, func(code proto.ErrorCode, body any) {
		if txnRetriable(code) {
			t.retry(t.sendInitProducerID)
			return
		}
		if code != proto.None {
			p.pidPending = false
			t.fail(code)
			return
		}
		resp := body.(proto.InitProducerIDResponse)
		done := t.initDone
		t.initDone = nil
		done(resp.ProducerID, resp.ProducerEpoch)
		p.emit("transactions_initialized", fmt.Sprintf("producer %s: initTransactions() returned: transactional.id %s has producer id %d, epoch %d; any older instance with this id is fenced",
			p.name, t.id, resp.ProducerID, resp.ProducerEpoch), map[string]any{"transactional_id": t.id, "producer_id": resp.ProducerID, "producer_epoch": resp.ProducerEpoch})
		t.transition(txnReady, nil)
		t.finishCall(nil)
	})
}

// addPartitions is AddPartitionsToTxn for the partitions send() wrote to
// since the last one.
func (t *txnManualState) addPartitions() {
	p := t.p
	tps := names.SortedKeys(t.newParts)
	t.newParts = map[names.TopicPartition]bool{}
	req := proto.AddPartitionsToTxnRequest{TransactionalID: t.id, ProducerID: p.pid, ProducerEpoch: p.pidEpoch, Topics: protoTPs(tps)}
	t.toCoordinator(req, func(code proto.ErrorCode, _ any) {
		switch {
		case code == proto.None:
			t.started = true
			strs := make([]string, len(tps))
			for i, tp := range tps {
				t.added[tp] = true
				strs[i] = tp.String()
			}
			p.emit("partitions_added_to_txn", fmt.Sprintf("producer %s added %s to its transaction (AddPartitionsToTxn): the coordinator will write their markers",
				p.name, strings.Join(strs, ", ")), map[string]any{"transactional_id": t.id, "partitions": strs})
		case txnRetriable(code):
			for _, tp := range tps {
				t.newParts[tp] = true
			}
			t.retry(p.wakeup)
		default:
			t.fail(code)
		}
	})
}

// addOffsets is sendOffsetsToTransaction: AddOffsetsToTxn to the
// transaction coordinator, then TxnOffsetCommit to the group's coordinator.
func (t *txnManualState) addOffsets() {
	p := t.p
	args := t.offsets
	req := proto.AddOffsetsToTxnRequest{TransactionalID: t.id, ProducerID: p.pid, ProducerEpoch: p.pidEpoch, GroupID: args.group}
	t.toCoordinator(req, func(code proto.ErrorCode, _ any) {
		switch {
		case code == proto.None:
			t.started = true
			t.inflight = true
			t.findCoordinator(args.group, proto.CoordinatorGroup, func(node int32) { t.txnOffsetCommit(node, args) })
		case txnRetriable(code):
			t.retry(t.addOffsets)
		default:
			t.fail(code)
		}
	})
}

func (t *txnManualState) txnOffsetCommit(node int32, args *txnCallArgs) {
	p := t.p
	req := proto.TxnOffsetCommitRequest{TransactionalID: t.id, GroupID: args.group, ProducerID: p.pid, ProducerEpoch: p.pidEpoch, GenerationID: -1}
	for _, k := range names.SortedKeys(args.offsets) {
		part := proto.OffsetCommitPartition{Index: k.Partition, CommittedOffset: args.offsets[k], CommittedLeaderEpoch: -1}
		if n := len(req.Topics); n > 0 && req.Topics[n-1].Name == k.Topic {
			req.Topics[n-1].Partitions = append(req.Topics[n-1].Partitions, part)
			continue
		}
		req.Topics = append(req.Topics, proto.OffsetCommitTopic{Name: k.Topic, Partitions: []proto.OffsetCommitPartition{part}})
	}
	p.ep.Call(nodeOf(node), req, p.requestTimeout, func(body any, code proto.ErrorCode) {
		if p.stopped {
			return
		}
		if resp, ok := body.(proto.TxnOffsetCommitResponse); ok && code == proto.None {
			for _, tr := range resp.Topics {
				for _, pr := range tr.Partitions {
					code = firstCode(code, pr.ErrorCode)
				}
			}
		}
		switch {
		case code == proto.None:
			t.inflight = false
			p.emit("offsets_sent_to_txn", fmt.Sprintf("producer %s staged %d offset(s) of group %s in its transaction (TxnOffsetCommit): they count only if it commits",
				p.name, len(args.offsets), args.group), map[string]any{"transactional_id": t.id, "group": args.group, "partitions": len(args.offsets)})
			t.finishCall(nil)
			p.wakeup()
		case txnRetriable(code):
			p.ep.Sim.After(p.retryBackoff, func() {
				t.findCoordinator(args.group, proto.CoordinatorGroup, func(node int32) { t.txnOffsetCommit(node, args) })
			})
		default:
			t.inflight = false
			t.fail(code)
			p.wakeup()
		}
	})
}

// endTxn is EndTxn: commit or abort. With transaction.version=2 the answer
// carries the bumped epoch.
func (t *txnManualState) endTxn(commit bool) {
	p := t.p
	t.ending = false
	req := proto.EndTxnRequest{TransactionalID: t.id, ProducerID: p.pid, ProducerEpoch: p.pidEpoch, Committed: commit}
	t.toCoordinator(req, func(code proto.ErrorCode, body any) {
		switch {
		case code == proto.None:
			resp := body.(proto.EndTxnResponse)
			t.completeTransaction(resp.ProducerID, resp.ProducerEpoch)
		case txnRetriable(code):
			t.ending = true
			t.retry(p.wakeup)
		default:
			t.fail(code)
		}
	})
}
