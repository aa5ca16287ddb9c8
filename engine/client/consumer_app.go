package client

import (
	"fmt"
	"sort"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// The application thread of a group consumer: poll() → process each record
// (o.Process each) → commit by its strategy → poll() again. Between polls it
// is "outside poll": if that lasts longer than max.poll.interval.ms the
// consumer leaves the group. While it waits inside poll() for records it
// also drives the group protocol (discovery, joins) as KafkaConsumer does.

func (g *groupClient) appLoop() {
	g.appScheduled = false
	c := g.c
	if c.stopped || g.busy || g.preparing || g.closing {
		return // the application thread is blocked (processing, commitSync, a listener)
	}
	if g.closeAsked {
		g.doClose()
		return
	}
	if g.fatal != "" {
		return
	}
	if g.txn != nil && !g.txn.ready {
		return // initTransactions() comes before the first poll
	}
	g.inPoll = true
	g.lastPollAt = g.now()
	if g.coordinator < 0 {
		g.findCoordinator()
	}
	if g.hasSynced && g.state == syncing {
		g.joinComplete()
		return
	}
	if g.coordinator >= 0 && (g.rejoin || g.state == unjoined) && g.state != joining && g.state != syncing && !g.preparing {
		g.joinPrepare()
		if g.busy || g.preparing {
			return
		}
	}
	g.initPositions()
	g.maybeAutoCommit()
	if g.busy {
		return
	}
	recs := g.take(int(c.cfg.Int64("max.poll.records")))
	g.fetchMore()
	if len(recs) == 0 {
		return // woken by the next fetch answer or group event
	}
	g.pollReturned(recs)
}

// allConsumed is what auto-commit and commit() send: the position of every
// owned partition.
func (g *groupClient) allConsumed() map[tpKey]int64 {
	out := map[tpKey]int64{}
	for k := range g.owned {
		if p, ok := g.c.positions[k]; ok {
			out[k] = p
		}
	}
	return out
}

// take returns up to max buffered records, partition by partition starting
// where the previous poll left off, and moves the positions past them.
func (g *groupClient) take(max int) []Consumed {
	c := g.c
	keys := sortedTPs(g.owned)
	if len(keys) == 0 {
		return nil
	}
	var out []Consumed
	start := g.rr % len(keys)
	g.rr++
	for i := 0; i < len(keys) && len(out) < max; i++ {
		k := keys[(start+i)%len(keys)]
		buf := g.buffer[k]
		if len(buf) == 0 {
			continue
		}
		n := min(len(buf), max-len(out))
		from := c.positions[k]
		out = append(out, buf[:n]...)
		c.positions[k] = buf[n-1].Offset + 1
		g.buffer[k] = buf[n:]
		c.emit("consumed", "", map[string]any{"topic": k.topic, "partition": k.part, "from": from, "to": c.positions[k]})
	}
	return out
}

// fetchMore sends a fetch to each leader with owned partitions whose
// buffer is empty (the consumer prefetches while the application works).
func (g *groupClient) fetchMore() {
	c := g.c
	byLeader := map[int32][]tpKey{}
	var leaders []int32
	for _, k := range sortedTPs(g.owned) {
		if _, ok := c.positions[k]; !ok || len(g.buffer[k]) > 0 {
			continue
		}
		leader := c.meta.leader(k.topic, k.part)
		if leader < 0 {
			g.retryLater()
			continue
		}
		if len(byLeader[leader]) == 0 {
			leaders = append(leaders, leader)
		}
		byLeader[leader] = append(byLeader[leader], k)
	}
	sort.Slice(leaders, func(i, j int) bool { return leaders[i] < leaders[j] })
	for _, id := range leaders {
		if !c.fetching[id] {
			g.fetch(id, byLeader[id])
		}
	}
}

func (g *groupClient) fetch(leader int32, parts []tpKey) {
	c := g.c
	req := c.fetchRequest(parts)
	asked := map[tpKey]int64{}
	for _, k := range parts {
		asked[k] = c.positions[k]
	}
	c.fetching[leader] = true
	c.ep.Call(nodeOf(leader), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		c.fetching[leader] = false
		resp, ok := body.(proto.FetchResponse)
		if code != proto.None || !ok {
			c.meta.refresh(nil)
			g.after(c.backoff(), g.wake)
			return
		}
		backoff := false
		for _, t := range resp.Topics {
			for _, pr := range t.Partitions {
				k := tpKey{t.Name, pr.Index}
				pos, has := c.positions[k]
				if !g.owned[k] || !has || pos != asked[k] {
					continue // revoked or moved meanwhile: a stale answer
				}
				switch pr.ErrorCode {
				case proto.None:
				case proto.OffsetOutOfRange:
					c.emit("offset_out_of_range", fmt.Sprintf("consumer %s: offset %d of %s-%d is out of range (log start %d); auto.offset.reset=%s decides", c.name, pos, k.topic, k.part, pr.LogStartOffset, c.cfg.String("auto.offset.reset")),
						map[string]any{"topic": k.topic, "partition": k.part, "offset": pos, "error": "OFFSET_OUT_OF_RANGE"})
					delete(c.positions, k)
					g.needReset[k] = true
					continue
				default:
					c.meta.refresh(nil)
					backoff = true
					continue
				}
				c.hwm[k] = pr.HighWatermark
				if g.readCommitted {
					c.hwm[k] = pr.LastStableOffset
					g.lso[k] = pr.LastStableOffset
				}
				g.bufferBatches(k, pr)
			}
		}
		if backoff {
			g.after(c.backoff(), g.wake)
			return
		}
		g.fetchMore()
		g.wake()
	})
}

func (g *groupClient) bufferBatches(k tpKey, pr proto.FetchPartitionResponse) {
	c := g.c
	pos := c.positions[k]
	var recs []Consumed
	for _, bt := range pr.Batches {
		if bt.IsControl() {
			if bt.NextOffset() > pos && len(recs) == 0 {
				pos = bt.NextOffset()
			}
			continue
		}
		for i, r := range bt.Records {
			off := bt.BaseOffset + int64(r.OffsetDelta)
			if off < pos {
				continue
			}
			recs = append(recs, Consumed{Topic: k.topic, Partition: k.part, Offset: off, Key: string(r.Key), Value: string(r.Value), Timestamp: bt.RecordTimestamp(i)})
		}
	}
	if len(recs) == 0 {
		// Only control batches (or aborted gaps): skip them without a poll.
		if last := lastOffset(pr); last >= pos {
			pos = last + 1
		}
		c.positions[k] = pos
		return
	}
	g.buffer[k] = recs
}

func lastOffset(pr proto.FetchPartitionResponse) int64 {
	if n := len(pr.Batches); n > 0 {
		return pr.Batches[n-1].LastOffset()
	}
	return -1
}

// pollReturned hands records to the application.
func (g *groupClient) pollReturned(recs []Consumed) {
	c := g.c
	g.inPoll = false
	g.lastPollAt = g.now()
	g.armPollTimer()
	for _, r := range recs {
		c.consumed.add(r)
	}
	c.Count += int64(len(recs))
	g.busy = true
	switch g.o.Commit {
	case CommitBefore:
		g.commit(g.allConsumed(), true, "commitSync before processing (at-most-once)", func(bool) { g.process(recs, g.afterProcess) })
	case CommitTxn:
		g.txn.begin()
		g.process(recs, g.afterProcess)
	default:
		g.process(recs, g.afterProcess)
	}
}

// process works through the records, o.Process each.
func (g *groupClient) process(recs []Consumed, done func()) {
	if g.crashAt == "before_process" {
		g.crashNow()
		return
	}
	i := 0
	var next func()
	// A loop, not a recursion, between records processed at once: one
	// stack frame per record of a poll overflowed the browser's stack
	// (RangeError in engine.wasm at 10,000 records/s).
	next = func() {
		for {
			if g.fatal != "" || g.closing {
				return // an exception ended the loop
			}
			r := recs[i]
			g.processed = append(g.processed, r)
			if g.txn != nil {
				g.txn.send(g.o.Output, r.Key, r.Value)
			}
			i++
			if i == len(recs) {
				done()
				return
			}
			if g.o.Process > 0 {
				g.after(g.o.Process, next)
				return
			}
		}
	}
	if g.o.Process > 0 {
		g.after(g.o.Process, next)
		return
	}
	next()
}

func (g *groupClient) afterProcess() {
	resume := func() {
		g.busy = false
		g.appLoop()
	}
	switch g.o.Commit {
	case CommitSync:
		g.commit(g.allConsumed(), true, "commitSync after processing", func(bool) { resume() })
	case CommitAsync:
		g.commit(g.allConsumed(), false, "commitAsync after processing", nil)
		if !g.c.stopped {
			resume()
		}
	case CommitTxn:
		g.txnCommit(resume)
	default:
		resume()
	}
}

// History is every record this consumer name processed, over its restarts,
// in order.
func (c *Consumer) History() []Consumed {
	if c.g == nil {
		return c.consumed.all()
	}
	var out []Consumed
	if c.g.prev != nil {
		out = append(out, c.g.prev.History()...)
	}
	return append(out, c.g.processed...)
}

// Processed lists the records this consumer's application finished.
func (c *Consumer) Processed() []Consumed {
	if c.g == nil {
		return c.consumed.all()
	}
	return c.g.processed
}
