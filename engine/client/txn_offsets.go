package client

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// sendOffsets is sendOffsetsToTransaction(offsets, groupMetadata):
// AddOffsetsToTxn to the transaction coordinator, then TxnOffsetCommit to
// the group coordinator with the consumer's generation (KIP-447).
func (t *txnProducer) sendOffsets(offsets map[names.TopicPartition]int64, then func(code proto.ErrorCode)) {
	c, g := t.c(), t.g
	t.findCoordinator(func() {
		req := proto.AddOffsetsToTxnRequest{TransactionalID: t.id, ProducerID: t.pid, ProducerEpoch: t.epoch, GroupID: g.groupID}
		c.ep.Call(nodeOf(t.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
			if c.stopped {
				return
			}
			resp, _ := body.(proto.AddOffsetsToTxnResponse)
			if code = firstCode(code, resp.ErrorCode); code != proto.None {
				if code == proto.ProducerFenced || code == proto.InvalidProducerEpoch {
					t.fence(code)
					return
				}
				if code == proto.ConcurrentTransactions || retriableCoordinatorError(code) {
					t.retryCoordinator(code, func() { t.sendOffsets(offsets, then) })
					return
				}
				then(code)
				return
			}
			t.txnOffsetCommit(offsets, then)
		})
	})
}

func (t *txnProducer) txnOffsetCommit(offsets map[names.TopicPartition]int64, then func(code proto.ErrorCode)) {
	c, g := t.c(), t.g
	g.whenCoordinator(func() {
		keys := make([]names.TopicPartition, 0, len(offsets))
		for k := range offsets {
			keys = append(keys, k)
		}
		names.Sort(keys)
		req := proto.TxnOffsetCommitRequest{TransactionalID: t.id, GroupID: g.groupID, ProducerID: t.pid, ProducerEpoch: t.epoch,
			GenerationID: g.generation, MemberID: g.memberID, GroupInstanceID: g.instanceID}
		for _, k := range keys {
			p := proto.OffsetCommitPartition{Index: k.Partition, CommittedOffset: offsets[k], CommittedLeaderEpoch: -1}
			if n := len(req.Topics); n > 0 && req.Topics[n-1].Name == k.Topic {
				req.Topics[n-1].Partitions = append(req.Topics[n-1].Partitions, p)
				continue
			}
			req.Topics = append(req.Topics, proto.OffsetCommitTopic{Name: k.Topic, Partitions: []proto.OffsetCommitPartition{p}})
		}
		c.ep.Call(nodeOf(g.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
			if c.stopped {
				return
			}
			resp, ok := body.(proto.TxnOffsetCommitResponse)
			if code == proto.None && ok {
				for _, tr := range resp.Topics {
					for _, p := range tr.Partitions {
						code = firstCode(code, p.ErrorCode)
					}
				}
			}
			if retriableCoordinatorError(code) || code == proto.CoordinatorLoadInProgress {
				g.coordinatorLost(fmt.Sprintf("TxnOffsetCommit: %s", code))
				g.after(c.backoff(), func() { t.txnOffsetCommit(offsets, then) })
				return
			}
			then(code)
		})
	})
}

// txnCommit ends one poll of an exactly-once application: flush the
// output, stage the input offsets in the transaction, commit it. If
// anything fails, the transaction is aborted and the consumer seeks back
// to its committed offsets.
func (g *groupClient) txnCommit(resume func()) {
	t := g.txn
	offs := g.allConsumed()
	abort := func(why string) {
		g.c.emit("transaction_aborting", fmt.Sprintf("consumer %s aborts its transaction: %s; it rereads from the committed offsets", g.c.name, why),
			map[string]any{"group": g.groupID, "transactional_id": t.id, "reason": why})
		t.endTxn(false, func(proto.ErrorCode) {
			for k := range g.owned {
				g.unposition(k)
				g.dropBuffer(k)
			}
			resume()
		})
	}
	t.flushThen(func() {
		if t.err != "" {
			abort(t.err)
			return
		}
		t.sendOffsets(offs, func(code proto.ErrorCode) {
			if code != proto.None {
				abort(fmt.Sprintf("sendOffsetsToTransaction failed with %s", code))
				return
			}
			if g.crashAt == "before_commit" {
				g.crashNow()
				return
			}
			t.endTxn(true, func(code proto.ErrorCode) {
				if code != proto.None {
					abort(fmt.Sprintf("commitTransaction failed with %s", code))
					return
				}
				for k, off := range offs {
					g.committed[k] = off
				}
				resume()
			})
		})
	})
}
