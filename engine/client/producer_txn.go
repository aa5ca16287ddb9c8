package client

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/view"
)

// This file is the transactional half of Kafka's TransactionManager for a
// producer with a transactional.id (txnHooks): its client-side state
// machine and the application thread's transactional calls
// (initTransactions, beginTransaction, sendOffsetsToTransaction,
// commitTransaction, abortTransaction). producer_txn_requests.go sends its
// requests. Simplified: the calls block without max.block.ms (Kafka throws
// TimeoutException after it and lets the call be retried), and with
// transaction.version=2 the client still sends AddPartitionsToTxn (a Kafka
// 4.x client lets the partition leader add the partition instead).

// txnPhase is TransactionManager.State, with Kafka's names.
type txnPhase int8

const (
	txnUninitialized txnPhase = iota
	txnInitializing
	txnReady
	txnInTransaction
	txnCommitting
	txnAborting
	txnAbortableError
	txnFatalError
)

func (s txnPhase) String() string {
	return [...]string{"UNINITIALIZED", "INITIALIZING", "READY", "IN_TRANSACTION", "COMMITTING_TRANSACTION",
		"ABORTING_TRANSACTION", "ABORTABLE_ERROR", "FATAL_ERROR"}[s]
}

// validFrom is State.isTransitionValid: the states a target may be entered from.
func (s txnPhase) validFrom(src txnPhase) bool {
	switch s {
	case txnInitializing:
		return src == txnUninitialized || src == txnAborting
	case txnReady:
		return src == txnInitializing || src == txnCommitting || src == txnAborting
	case txnInTransaction:
		return src == txnReady
	case txnCommitting:
		return src == txnInTransaction
	case txnAborting:
		return src == txnInTransaction || src == txnAbortableError
	case txnAbortableError:
		return src == txnInTransaction || src == txnCommitting || src == txnAbortableError
	case txnFatalError:
		return true
	}
	return false
}

// txnError is an exception a transactional call throws: Kafka's class name
// and message.
type txnError struct{ class, msg string }

// txnManualState is the transactional half of one producer.
type txnManualState struct {
	p         *Producer
	id        string
	timeoutMs int32
	state     txnPhase
	lastError *txnError

	coordinator int32 // -1: unknown
	rr          int   // FindCoordinator round robin
	inflight    bool  // a transactional request is out: produce requests wait
	started     bool  // a partition or offsets joined this transaction
	added       map[names.TopicPartition]bool
	newParts    map[names.TopicPartition]bool // to add with AddPartitionsToTxn
	ending      bool                          // EndTxn is due once every batch is done
	call        callOp                        // the blocking call being served, or -1
	offsets     *txnCallArgs                  // sendOffsetsToTransaction's arguments
	initDone    func(pid int64, epoch int16)
	version     int // 2 once the coordinator answered EndTxn with a bumped epoch (KIP-890)

	Committed, Aborted int
}

// txnCallArgs are sendOffsetsToTransaction's arguments: the offsets to
// commit for the group (ConsumerGroupMetadata without a generation: the
// group id only, as a producer used without a consumer sends it).
type txnCallArgs struct {
	group   string
	offsets map[names.TopicPartition]int64
}

// newTxnHooks builds the transactional half for a producer with a
// transactional.id.
func newTxnHooks(p *Producer) (txnHooks, error) {
	ms := p.cfg.Int64("transaction.timeout.ms")
	if ms > 1<<31-1 {
		return nil, fmt.Errorf("transaction.timeout.ms=%d is out of range", ms)
	}
	return &txnManualState{p: p, id: p.transactionalID, timeoutMs: int32(ms), coordinator: -1, call: -1,
		added: map[names.TopicPartition]bool{}, newParts: map[names.TopicPartition]bool{}}, nil
}

// transition is TransactionManager.transitionTo: an invalid one throws
// IllegalStateException with Kafka's wording.
func (t *txnManualState) transition(to txnPhase, cause *txnError) *txnError {
	if !to.validFrom(t.state) {
		return &txnError{"IllegalStateException", fmt.Sprintf("TransactionalId %s: Invalid transition attempted from state %s to state %s", t.id, t.state, to)}
	}
	from := t.state
	t.state = to
	if to == txnAbortableError || to == txnFatalError {
		t.lastError = cause
	} else {
		t.lastError = nil
	}
	data := map[string]any{"transactional_id": t.id, "from": from.String(), "to": to.String()}
	msg := fmt.Sprintf("producer %s's transaction manager: %s → %s", t.p.name, from, to)
	if cause != nil {
		data["error"] = cause.class
		msg += ": " + cause.class + ": " + cause.msg
	}
	t.p.emit("transaction_state", msg, data)
	return nil
}

// maybeFailWithError is TransactionManager.maybeFailWithError.
func (t *txnManualState) maybeFailWithError() *txnError {
	if t.state != txnAbortableError && t.state != txnFatalError {
		return nil
	}
	switch t.lastError.class {
	case "ProducerFencedException":
		return &txnError{"ProducerFencedException", "The producer has been rejected from the broker because it tried to use an old epoch with the transactionalId"}
	case "InvalidProducerEpochException":
		return &txnError{"InvalidProducerEpochException", fmt.Sprintf("Producer attempted to produce with an old epoch (producerId=%d, epoch=%d)", t.p.pid, t.p.pidEpoch)}
	}
	return &txnError{"KafkaException", "Cannot execute transactional method because we are in an error state: " + t.lastError.class + ": " + t.lastError.msg}
}

// sendError is failIfNotReadyForSend: "" when send() may append.
func (t *txnManualState) sendError() (class, msg string) {
	if t.state == txnAbortableError || t.state == txnFatalError {
		return "KafkaException", "Cannot perform send because at least one previous transactional or idempotent request has failed with errors."
	}
	if t.p.pid < 0 {
		return "IllegalStateException", "Cannot perform a 'send' before completing a call to initTransactions when transactions are enabled."
	}
	if t.state != txnInTransaction {
		return "IllegalStateException", "Cannot call send in state " + t.state.String()
	}
	return "", ""
}

// runCall starts a transactional call of the application thread; done
// reports that it returned (or threw) at once, else it blocks until
// finishCall.
func (p *Producer) runTxnCall(c *appCall) (done bool) {
	t, _ := p.txn.(*txnManualState)
	name := [...]string{callInitTxn: "initTransactions", callBeginTxn: "beginTransaction", callSendOffsets: "sendOffsetsToTransaction",
		callCommitTxn: "commitTransaction", callAbortTxn: "abortTransaction"}[c.op]
	if t == nil {
		p.throw(name, &txnError{"IllegalStateException", "Transactional method invoked on a non-transactional producer."})
		return true
	}
	var err *txnError
	switch c.op {
	case callInitTxn:
		if err = t.transition(txnInitializing, nil); err == nil {
			t.call = c.op
			p.initProducerID()
			return false
		}
	case callBeginTxn:
		if err = t.maybeFailWithError(); err == nil {
			err = t.transition(txnInTransaction, nil)
		}
		if err == nil {
			t.started = false
			p.emit("transaction_begun", fmt.Sprintf("producer %s began a transaction (transactional.id %s, producer id %d, epoch %d); the coordinator hears of it with the first partition",
				p.name, t.id, p.pid, p.pidEpoch), map[string]any{"transactional_id": t.id, "producer_id": p.pid, "producer_epoch": p.pidEpoch})
			return true
		}
	case callSendOffsets:
		if err = t.maybeFailWithError(); err == nil && t.state != txnInTransaction {
			err = &txnError{"KafkaException", "Cannot send offsets to transaction either because the producer is not in an active transaction"}
		}
		if err == nil {
			t.call, t.offsets = c.op, c.txn
			t.addOffsets()
			return false
		}
	case callCommitTxn:
		if err = t.maybeFailWithError(); err == nil {
			err = t.transition(txnCommitting, nil)
		}
		if err == nil {
			t.call = c.op
			t.beginCompleting()
			return false
		}
	case callAbortTxn:
		if t.state != txnAbortableError {
			err = t.maybeFailWithError()
		}
		if err == nil {
			err = t.transition(txnAborting, nil)
		}
		if err == nil {
			t.call = c.op
			t.newParts = map[names.TopicPartition]bool{}
			p.abortUndrained("TRANSACTION_ABORTED", "Failing batch since transaction was aborted")
			t.beginCompleting()
			return false
		}
	}
	p.throw(name, err)
	return true
}

// throw reports an exception a call threw to the application.
func (p *Producer) throw(call string, err *txnError) {
	p.emit("transaction_call_failed", fmt.Sprintf("%s() threw %s: %s", call, err.class, err.msg),
		map[string]any{"call": call, "error": err.class, "message": err.msg})
}

// finishCall ends the blocking call being served; err is what it threw.
func (t *txnManualState) finishCall(err *txnError) {
	p := t.p
	op := t.call
	if op < 0 {
		return
	}
	t.call, t.offsets = -1, nil
	if err != nil {
		p.throw([...]string{callInitTxn: "initTransactions", callSendOffsets: "sendOffsetsToTransaction", callCommitTxn: "commitTransaction", callAbortTxn: "abortTransaction"}[op], err)
	}
	if p.blocked == blockTxn {
		p.unblock()
		p.popCall()
		p.ep.Sim.After(0, p.processCalls)
	}
}

// beginCompleting is beginCommit/beginAbort: every batch becomes sendable,
// and EndTxn goes out once all are done (none if the transaction never
// reached the coordinator).
func (t *txnManualState) beginCompleting() {
	t.ending = true
	t.p.wakeup()
}

// completeTransaction is the end of EndTxn (or of a transaction that never
// reached the coordinator): READY again, with the next epoch under
// transaction.version=2.
func (t *txnManualState) completeTransaction(pid int64, epoch int16) {
	p := t.p
	commit := t.state == txnCommitting
	if pid > 0 {
		t.version = 2
		if pid != p.pid || epoch != p.pidEpoch {
			p.emit("producer_epoch_bumped", fmt.Sprintf("producer %s ended its transaction with epoch %d; the coordinator bumped it to %d for the next one (transaction.version=2, KIP-890): a late write of the ended transaction is now refused",
				p.name, p.pidEpoch, epoch), map[string]any{"producer_id": pid, "producer_epoch": epoch, "transactional_id": t.id, "partitions": []string{}})
		}
		p.pid, p.pidEpoch = pid, epoch
	}
	if commit {
		t.Committed++
	} else {
		t.Aborted++
	}
	t.ending, t.started = false, false
	t.added = map[names.TopicPartition]bool{}
	t.newParts = map[names.TopicPartition]bool{}
	t.transition(txnReady, nil)
	t.finishCall(nil)
}

// fail moves the manager to an error state and fails the blocking call.
func (t *txnManualState) fail(code proto.ErrorCode) {
	var err *txnError
	fatal := false
	switch code {
	case proto.ProducerFenced, proto.InvalidProducerIDMapping:
		fatal = true
		err = &txnError{"ProducerFencedException", "There is a newer producer with the same transactionalId which fences the current one."}
	case proto.InvalidProducerEpoch:
		err = &txnError{"InvalidProducerEpochException", "Producer attempted to produce with an old epoch."}
	case proto.TransactionAbortable:
		err = &txnError{"TransactionAbortableException", "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID."}
	case proto.InvalidTransactionTimeout:
		fatal = true
		err = &txnError{"InvalidTxnTimeoutException", fmt.Sprintf("The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms): transaction.timeout.ms=%d", t.timeoutMs)}
	default:
		err = &txnError{"KafkaException", code.String()}
	}
	switch {
	case fatal || t.state == txnInitializing:
		t.transition(txnFatalError, err)
	case t.state == txnAborting:
		// Kafka stays aborting and fails the call; the application may call abort again
	default:
		t.transition(txnAbortableError, err)
	}
	t.ending = false
	t.finishCall(err)
}

// --- txnHooks ---

func (t *txnManualState) initProducerID(done func(pid int64, epoch int16)) {
	if t.state != txnInitializing {
		t.p.pidPending = false // no producer id before initTransactions()
		return
	}
	t.initDone = done
	t.sendInitProducerID()
}

func (t *txnManualState) sendAllowed(topic string, partition int32) bool {
	return t.state != txnFatalError && t.added[names.TopicPartition{Topic: topic, Partition: partition}]
}

func (t *txnManualState) completing() bool { return t.state == txnCommitting || t.state == txnAborting }

func (t *txnManualState) onAppend(topic string, partition int32) {
	tp := names.TopicPartition{Topic: topic, Partition: partition}
	if !t.added[tp] {
		t.newParts[tp] = true
	}
}

// onBatchDone is handleFailedBatch: a failed batch makes the transaction
// abortable (or the producer fenced).
func (t *txnManualState) onBatchDone(topic string, partition int32, errName string) {
	switch {
	case errName == "" || errName == "TRANSACTION_ABORTED" || t.state == txnAborting || t.state == txnFatalError:
	case errName == proto.ProducerFenced.String():
		t.fail(proto.ProducerFenced)
	case errName == proto.InvalidProducerEpoch.String():
		t.fail(proto.InvalidProducerEpoch)
	case errName == proto.TransactionAbortable.String():
		t.fail(proto.TransactionAbortable)
	case t.state != txnAbortableError:
		t.transition(txnAbortableError, &txnError{"KafkaException", fmt.Sprintf("a record to %s-%d failed with %s", topic, partition, errName)})
		if t.state == txnAbortableError && t.call == callCommitTxn {
			t.ending = false
			t.finishCall(t.maybeFailWithError())
		}
	}
}

// poll runs before each sender pass: one transactional request at a time,
// and produce requests wait while one is out (Sender.maybeSendAndPollTransactionalRequest).
func (t *txnManualState) poll() bool {
	p := t.p
	switch {
	case t.state == txnUninitialized || t.state == txnInitializing || t.state == txnFatalError:
		return true
	case t.inflight:
		return true
	case len(t.newParts) > 0 && (t.state == txnInTransaction || t.state == txnCommitting):
		t.addPartitions()
		return true
	case t.ending && !p.hasIncomplete():
		if !t.started {
			t.completeTransaction(0, 0) // nothing reached the coordinator: no EndTxn
			return false
		}
		t.endTxn(t.state == txnCommitting)
		return true
	}
	return false
}

// TxnView is the transactional state for a snapshot (nil without a transactional.id).
func (p *Producer) TxnView() *view.ProducerTxn {
	t, _ := p.txn.(*txnManualState)
	if t == nil {
		return nil
	}
	v := &view.ProducerTxn{TransactionalID: t.id, State: t.state.String(), ProducerID: p.pid, ProducerEpoch: p.pidEpoch,
		TimeoutMs: t.timeoutMs, Committed: t.Committed, Aborted: t.Aborted, Partitions: []string{}}
	for _, tp := range names.SortedKeys(t.added) {
		v.Partitions = append(v.Partitions, tp.String())
	}
	if t.lastError != nil {
		v.LastError = t.lastError.class + ": " + t.lastError.msg
	}
	return v
}

// InitTransactions is KafkaProducer.initTransactions(): find the
// transaction coordinator and get the producer id and a new epoch for the
// transactional.id (fencing any older instance). It blocks the
// application thread until done.
func (p *Producer) InitTransactions() { p.txnCall(appCall{op: callInitTxn}) }

// BeginTransaction is KafkaProducer.beginTransaction(): a local state change.
func (p *Producer) BeginTransaction() { p.txnCall(appCall{op: callBeginTxn}) }

// SendOffsetsToTransaction is KafkaProducer.sendOffsetsToTransaction(offsets,
// new ConsumerGroupMetadata(group)): the group's offsets commit with the transaction.
func (p *Producer) SendOffsetsToTransaction(group string, offsets map[names.TopicPartition]int64) {
	p.txnCall(appCall{op: callSendOffsets, txn: &txnCallArgs{group: group, offsets: offsets}})
}

// CommitTransaction is KafkaProducer.commitTransaction(): flush, then EndTxn(commit).
func (p *Producer) CommitTransaction() { p.txnCall(appCall{op: callCommitTxn}) }

// AbortTransaction is KafkaProducer.abortTransaction(): fail what was never
// sent, wait for what was, then EndTxn(abort).
func (p *Producer) AbortTransaction() { p.txnCall(appCall{op: callAbortTxn}) }

func (p *Producer) txnCall(c appCall) {
	p.calls = append(p.calls, c)
	p.processCalls()
}
