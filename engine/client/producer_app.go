package client

import "fmt"

// This file is the application thread: send(), flush() and close() run in
// order, and a call that blocks (on metadata or buffer.memory, up to
// max.block.ms, or in flush/close) holds the ones behind it.

// appCall is one call of the application thread: send, flush or close.
type appCall struct {
	op  callOp
	msg Message
	txn *txnCallArgs // sendOffsetsToTransaction's offsets
}

type callOp int8

const (
	callSend callOp = iota
	callFlush
	callClose
	// The transactional calls (producer_txn.go).
	callInitTxn
	callBeginTxn
	callSendOffsets
	callCommitTxn
	callAbortTxn
)

// blockReason says what the application thread is blocked in.
type blockReason int8

const (
	notBlocked    blockReason = iota
	blockMetadata             // send() waits for the topic's metadata
	blockMemory               // send() waits for buffer.memory (BufferPool.allocate)
	blockFlush                // flush() waits for earlier records
	blockClose                // close() waits for everything
	blockTxn                  // a transactional call waits for the coordinator
)

func (r blockReason) String() string {
	return [...]string{"", "metadata", "buffer.memory", "flush", "close", "transaction"}[r]
}

// processCalls runs the application thread's calls in order until one blocks.
func (p *Producer) processCalls() {
	for len(p.calls) > 0 && p.blocked == notBlocked {
		c := &p.calls[0]
		switch {
		case p.stopped:
			op, topic := c.op, c.msg.Topic
			p.popCall()
			if op == callSend {
				p.fail(1, "ILLEGAL_STATE_EXCEPTION")
				p.emit("send_failed", "Cannot perform operation after producer has been closed", map[string]any{"error": "ILLEGAL_STATE_EXCEPTION", "topic": topic})
			}
		case c.op == callFlush:
			p.beginFlush()
			if p.flushWait > 0 {
				p.blockOn(blockFlush, "")
				p.wakeSoon()
				return
			}
			p.popCall()
		case c.op == callClose:
			p.closing = true
			p.blockOn(blockClose, "")
			p.wakeSoon()
			p.maybeClosed()
			return
		case c.op >= callInitTxn:
			if !p.runTxnCall(c) {
				p.blockOn(blockTxn, "")
				return
			}
			p.popCall()
		case !p.send(&c.msg):
			return // blocked
		default:
			p.popCall()
		}
	}
}

// blockOn marks the application thread as blocked and, for send(), arms
// the max.block.ms timeout. flush() and close() wait without a limit.
func (p *Producer) blockOn(r blockReason, why string) {
	if p.blocked != notBlocked {
		if p.blocked != r && (r == blockMemory || r == blockMetadata) {
			p.blocked, p.blockWhy = r, why // the same send() moved on to the next wait
		}
		return
	}
	p.blocked, p.blockedSince, p.blockWhy = r, p.now(), why
	if r != blockMemory && r != blockMetadata {
		return
	}
	p.blockTimer = p.ep.Sim.After(p.maxBlock, func() {
		if p.blocked != blockMemory && p.blocked != blockMetadata || p.stopped {
			return
		}
		m, waited, why := p.calls[0].msg, p.blocked, p.blockWhy
		p.popCall()
		p.unblock()
		p.fail(1, "TIMEOUT_EXCEPTION")
		p.emit("send_timeout", fmt.Sprintf("send() blocked for max.block.ms=%d and threw TimeoutException: %s", p.maxBlock.Milliseconds(), why),
			map[string]any{"error": "TIMEOUT_EXCEPTION", "topic": m.Topic, "waited_for": waited.String()})
		p.processCalls()
	})
}

func (p *Producer) unblock() {
	if p.blocked == notBlocked {
		return
	}
	if p.blocked == blockMemory || p.blocked == blockMetadata {
		p.Stats.BlockedSendTime += p.now() - p.blockedSince
	}
	p.blocked = notBlocked
	p.blockTimer.Cancel()
	p.blockTimer = nil
}

// awaitMetadata asks for metadata for a send() blocked on it, one request
// chain at a time.
func (p *Producer) awaitMetadata() {
	if p.metaWaiting {
		return
	}
	p.metaWaiting = true
	p.meta.refresh(func() {
		p.metaWaiting = false
		p.onMetadata()
		p.retryMetadata()
	})
}

// retryMetadata runs after that refresh: try the send() again, or refresh
// again after retry.backoff.ms.
func (p *Producer) retryMetadata() {
	if p.stopped || p.blocked != blockMetadata {
		return
	}
	m := &p.calls[0].msg
	if n := p.meta.partitions(m.Topic); n == 0 || m.Partition >= int32(n) {
		p.metaWaiting = true
		p.ep.Sim.After(p.retryBackoff, func() {
			p.metaWaiting = false
			if p.blocked == blockMetadata {
				p.awaitMetadata()
			}
		})
		return
	}
	p.retrySend()
}

// retrySend runs a blocked send() again (memory was freed or metadata
// arrived); if it blocks again its max.block.ms deadline stays.
func (p *Producer) retrySend() {
	if p.stopped || p.blocked != blockMemory && p.blocked != blockMetadata {
		return
	}
	if p.send(&p.calls[0].msg) {
		p.popCall()
		p.processCalls()
	}
}
