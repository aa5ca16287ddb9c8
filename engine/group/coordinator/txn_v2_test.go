package coordinator

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// With transaction.version=2 (KIP-890) every EndTxn bumps the epoch: the
// markers carry the new one, the answer tells the producer, a retry of the
// lost answer (the old epoch) gets the same outcome, and the old epoch is
// fenced from then on.
func TestTransactionV2EpochBump(t *testing.T) {
	h := newFakeHost()
	tc := NewTxn(h, TxnConfig{Partitions: 3, MaxTimeout: 15 * time.Minute, CleanupInterval: 10 * time.Second, Version: 2})
	var init capture[proto.InitProducerIDResponse]
	tc.InitProducerID(proto.InitProducerIDRequest{TransactionalID: "tx", TransactionTimeoutMs: 60000}, init.fn)
	h.run(10 * time.Millisecond)
	pid := init.got.ProducerID
	var code capture[proto.ErrorCode]
	tc.AddPartitions("tx", pid, 0, []names.TopicPartition{{Topic: "out", Partition: 0}}, code.fn)
	h.run(10 * time.Millisecond)
	type endAnswer struct {
		code  proto.ErrorCode
		pid   int64
		epoch int16
	}
	var end capture[endAnswer]
	endFn := func(c proto.ErrorCode, p int64, e int16) { end.fn(endAnswer{c, p, e}) }
	tc.EndTxn(proto.EndTxnRequest{TransactionalID: "tx", ProducerID: pid, ProducerEpoch: 0, Committed: true}, endFn)
	h.run(10 * time.Millisecond)
	if end.got != (endAnswer{proto.None, pid, 1}) || tc.Txn("tx").State != CompleteCommit || h.markers[0].Epoch != 1 {
		t.Fatalf("EndTxn: %+v, state %s, markers %+v; want epoch 1 in the answer and the marker", end.got, tc.Txn("tx").State, h.markers)
	}
	tc.EndTxn(proto.EndTxnRequest{TransactionalID: "tx", ProducerID: pid, ProducerEpoch: 0, Committed: true}, endFn)
	if end.got != (endAnswer{proto.None, pid, 1}) {
		t.Fatalf("retried EndTxn: %+v, want the same outcome", end.got)
	}
	tc.EndTxn(proto.EndTxnRequest{TransactionalID: "tx", ProducerID: pid, ProducerEpoch: 0, Committed: false}, endFn)
	if end.got.code != proto.ProducerFenced {
		t.Fatalf("an abort with the ended epoch: %+v, want PRODUCER_FENCED", end.got)
	}
	tc.AddPartitions("tx", pid, 0, []names.TopicPartition{{Topic: "out", Partition: 1}}, code.fn)
	if code.got != proto.ProducerFenced {
		t.Fatalf("AddPartitionsToTxn with the ended epoch: %s, want PRODUCER_FENCED", code.got)
	}
	tc.AddPartitions("tx", pid, 1, []names.TopicPartition{{Topic: "out", Partition: 1}}, code.fn)
	h.run(10 * time.Millisecond)
	if code.got != proto.None || tc.Txn("tx").State != TxnOngoing {
		t.Fatalf("the next transaction in epoch 1: %s, state %s", code.got, tc.Txn("tx").State)
	}
}

// VerifyPartitions (a partition leader's AddPartitionsToTxn with
// VerifyOnly): a partition of the ongoing transaction passes, another gets
// TRANSACTION_ABORTABLE, an older epoch PRODUCER_FENCED, and nothing is added.
func TestVerifyPartitions(t *testing.T) {
	h := newFakeHost()
	tc := NewTxn(h, TxnConfig{Partitions: 3, MaxTimeout: 15 * time.Minute, CleanupInterval: 10 * time.Second, Version: 2})
	var init capture[proto.InitProducerIDResponse]
	tc.InitProducerID(proto.InitProducerIDRequest{TransactionalID: "tx", TransactionTimeoutMs: 60000}, init.fn)
	h.run(10 * time.Millisecond)
	pid := init.got.ProducerID
	var code capture[proto.ErrorCode]
	in, out := names.TopicPartition{Topic: "out", Partition: 0}, names.TopicPartition{Topic: "out", Partition: 1}
	tc.AddPartitions("tx", pid, 0, []names.TopicPartition{in}, code.fn)
	h.run(10 * time.Millisecond)
	var got proto.ErrorCode
	var per map[names.TopicPartition]proto.ErrorCode
	tc.VerifyPartitions("tx", pid, 0, []names.TopicPartition{in, out}, func(c proto.ErrorCode, p map[names.TopicPartition]proto.ErrorCode) { got, per = c, p })
	if got != proto.None || per[in] != proto.None || per[out] != proto.TransactionAbortable || len(tc.Txn("tx").Parts) != 1 {
		t.Fatalf("verify: %s %v, parts %v; want %s NONE and %s TRANSACTION_ABORTABLE, nothing added", got, per, tc.Txn("tx").Parts, in, out)
	}
	tc.VerifyPartitions("tx", pid, -1, []names.TopicPartition{in}, func(c proto.ErrorCode, _ map[names.TopicPartition]proto.ErrorCode) { got = c })
	if got != proto.ProducerFenced {
		t.Fatalf("an older epoch: %s, want PRODUCER_FENCED", got)
	}
}
