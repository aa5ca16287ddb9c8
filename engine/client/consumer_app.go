package client

import (
	"fmt"
	"slices"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/trace"
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
	if g.cp != nil {
		if g.cp.poll() {
			return
		}
	} else if g.hasSynced && g.state == syncing {
		g.joinComplete()
		return
	}
	if g.cp == nil && g.coordinator >= 0 && (g.rejoin || g.state == unjoined) && g.state != joining && g.state != syncing && !g.preparing {
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
	recs := g.take(c.fetchSettings().maxPollRecords)
	g.fetchMore()
	if len(recs) == 0 {
		return // woken by the next fetch answer or group event
	}
	g.pollReturned(recs)
}

// allConsumed is what auto-commit and commit() send: the position of every
// owned partition.
func (g *groupClient) allConsumed() map[names.TopicPartition]int64 {
	out := map[names.TopicPartition]int64{}
	for k := range g.owned {
		if p, ok := g.c.positions[k]; ok {
			out[k] = p
		}
	}
	return out
}

// take returns up to max buffered records, partition by partition starting
// where the previous poll left off, and moves the positions past them.
// Keys and values are copied out of the fetched batches only when someone
// reads them (KeepRecords, an exactly-once application's output).
func (g *groupClient) take(max int) []Consumed {
	c := g.c
	keys := g.ownedTPs()
	if len(keys) == 0 {
		return nil
	}
	var out []Consumed
	if g.o.Process == 0 && g.o.Commit != CommitBefore {
		// Processing ends before poll() runs again: the slice is reused.
		out = g.polled[:0]
	}
	values := c.keep || g.txn != nil
	bufs := g.ownedBufs
	start := g.rr % len(keys)
	g.rr++
	for i := 0; i < len(keys) && len(out) < max; i++ {
		j := (start + i) % len(keys)
		b := bufs[j]
		if b.left == 0 {
			continue
		}
		k := keys[j]
		n := min(b.left, max-len(out))
		from := c.positions[k]
		out = b.take(out, k, n, values)
		to := out[len(out)-1].Offset + 1
		c.positions[k] = to
		c.emitFields("consumed", "", trace.Int("from", from), trace.Int("partition", k.Partition), trace.Int("to", to), trace.String("topic", k.Topic))
	}
	if g.o.Process == 0 && g.o.Commit != CommitBefore {
		g.polled = out
	}
	return out
}

// fetchedBuf is a partition's fetched records that poll() has not returned
// yet: the fetched batches themselves, read record by record as poll()
// takes them, so buffering a fetch copies nothing.
type fetchedBuf struct {
	batches []*record.Batch
	bi, ri  int // the next record is batches[bi].Records[ri]
	left    int // records left
}

// take appends the next n records of partition k to out.
func (b *fetchedBuf) take(out []Consumed, k names.TopicPartition, n int, values bool) []Consumed {
	for n > 0 {
		bt := b.batches[b.bi]
		if bt.IsControl() || b.ri >= len(bt.Records) {
			b.bi, b.ri = b.bi+1, 0
			continue
		}
		r := &bt.Records[b.ri]
		rec := Consumed{Topic: k.Topic, Partition: k.Partition, Offset: bt.BaseOffset + int64(r.OffsetDelta), Timestamp: bt.RecordTimestamp(b.ri)}
		if values {
			rec.Key, rec.Value = keyValue(r.Key, r.Value)
			rec.KeyNull = r.Key == nil
		}
		out = append(out, rec)
		b.ri++
		b.left--
		n--
	}
	return out
}

// fetchMore sends a fetch to each leader with owned partitions whose
// buffer is empty (the consumer prefetches while the application works).
func (g *groupClient) fetchMore() {
	c := g.c
	buf := c.pollBuf
	c.pollBuf = pollBuffers{} // a fetch answered from inside this one gets its own
	ready := buf.ready[:0]
	keys := g.ownedTPs()
	bufs := g.ownedBufs // beside keys
	for i, k := range keys {
		if bufs[i].left > 0 {
			continue
		}
		leader := c.meta.leader(k.Topic, k.Partition)
		if leader >= 0 && c.fetching[leader] {
			continue // its leader's fetch is in flight: not sent below either
		}
		if _, ok := c.positions[k]; !ok {
			continue
		}
		if leader < 0 {
			g.retryLater()
			continue
		}
		ready = append(ready, leaderTP{leader, k})
	}
	// by leader; each leader's partitions stay in sorted order
	// (an insertion sort: stable, allocates nothing, unlike sort.SliceStable,
	// and adds no generic sort's code to engine.wasm for a handful of items)
	for i := 1; i < len(ready); i++ {
		for j := i; j > 0 && ready[j].leader < ready[j-1].leader; j-- {
			ready[j], ready[j-1] = ready[j-1], ready[j]
		}
	}
	for i := 0; i < len(ready); {
		id, j := ready[i].leader, i
		for j < len(ready) && ready[j].leader == id {
			j++
		}
		if !c.fetching[id] {
			g.fetch(id, ready[i:j])
		}
		i = j
	}
	buf.ready = ready
	c.pollBuf = buf
}

// leaderFetch is a group consumer's fetch from one leader: at most one
// is in flight per leader (Consumer.fetching), so its partitions, the
// positions they were fetched at and its callback are made once and reused.
type leaderFetch struct {
	g      *groupClient
	leader int32
	parts  []names.TopicPartition // the partitions of the fetch in flight
	asked  []int64                // the position each partition was fetched at
	done   rpc.Callback           // fetched, bound once
}

func (g *groupClient) fetch(leader int32, ready []leaderTP) {
	c := g.c
	f := g.fetches[leader]
	if f == nil {
		if g.fetches == nil {
			g.fetches = map[int32]*leaderFetch{}
		}
		f = &leaderFetch{g: g, leader: leader}
		f.done = f.fetched
		g.fetches[leader] = f
	}
	f.parts, f.asked = f.parts[:0], f.asked[:0]
	for _, r := range ready {
		f.parts = append(f.parts, r.tp)
		f.asked = append(f.asked, c.positions[r.tp])
	}
	req := c.fetchRequest(f.parts)
	c.fetching[leader] = true
	c.ep.Call(nodeOf(leader), c.fetchCells.Put(req), c.requestTimeout(), f.done)
}

// fetched handles the answer to the fetch in flight.
func (f *leaderFetch) fetched(body any, code proto.ErrorCode) {
	g := f.g
	c := g.c
	if c.stopped {
		return
	}
	c.fetching[f.leader] = false
	resp, ok := proto.TakeFetchResponse(body)
	if code != proto.None || !ok {
		c.meta.refresh(nil)
		g.after(c.backoff(), g.wake)
		return
	}
	backoff := false
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			k := names.TopicPartition{Topic: t.Name, Partition: pr.Index}
			pos, has := c.positions[k]
			if i := slices.Index(f.parts, k); !g.owned[k] || !has || i < 0 || pos != f.asked[i] {
				continue // revoked or moved meanwhile: a stale answer
			}
			switch pr.ErrorCode {
			case proto.None:
			case proto.OffsetOutOfRange:
				c.emit("offset_out_of_range", fmt.Sprintf("consumer %s: offset %d of %s is out of range (log start %d); auto.offset.reset=%s decides", c.name, pos, k, pr.LogStartOffset, c.cfg.String("auto.offset.reset")),
					map[string]any{"topic": k.Topic, "partition": k.Partition, "offset": pos, "error": "OFFSET_OUT_OF_RANGE"})
				g.fetchedOutOfRange(k, pos)
				continue
			default:
				c.meta.refresh(g.checkPartitionCounts)
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
	g.fetchMore() // may send this leader's next fetch, reusing f
	g.wake()
}

// bufferBatches keeps the records of a fetch at or past the position for
// poll(); control batches and records below the position are skipped.
func (g *groupClient) bufferBatches(k names.TopicPartition, pr proto.FetchPartitionResponse) {
	c := g.c
	pos := c.positions[k]
	b := fetchedBuf{batches: pr.Batches}
	for i, bt := range pr.Batches {
		if bt.IsControl() {
			if bt.NextOffset() > pos && b.left == 0 {
				pos = bt.NextOffset()
			}
			continue
		}
		if bt.BaseOffset >= pos { // every record is at or past pos
			if b.left == 0 {
				b.bi, b.ri = i, 0
			}
			b.left += len(bt.Records)
			continue
		}
		for j, r := range bt.Records {
			if bt.BaseOffset+int64(r.OffsetDelta) < pos {
				continue
			}
			if b.left == 0 {
				b.bi, b.ri = i, j
			}
			b.left++
		}
	}
	if b.left == 0 {
		// Only control batches (or aborted gaps): skip them without a poll.
		if last := lastOffset(pr); last >= pos {
			pos = last + 1
		}
		c.positions[k] = pos
		return
	}
	*g.bufOf(k) = b
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
	if c.keep {
		for _, r := range recs {
			c.consumed.add(r)
		}
	}
	c.Count += int64(len(recs))
	g.busy = true
	switch g.o.Commit {
	case CommitBefore:
		g.commit(g.allConsumed(), true, "commitSync before processing (at-most-once)", func(bool) { g.process(recs, g.afterProcessFn) })
	case CommitTxn:
		g.txn.begin()
		g.process(recs, g.afterProcessFn)
	default:
		g.process(recs, g.afterProcessFn)
	}
}

// process works through the records, o.Process each; an exception (fail)
// or close ends the loop between two records.
func (g *groupClient) process(recs []Consumed, done func()) {
	if g.crashAt == "before_process" {
		g.crashNow()
		return
	}
	if g.o.Process > 0 {
		i := 0
		var next func()
		next = func() {
			if g.fatal != "" || g.closing {
				return
			}
			g.processOne(recs[i])
			if i++; i == len(recs) {
				done()
				return
			}
			g.after(g.o.Process, next)
		}
		g.after(g.o.Process, next)
		return
	}
	// A loop, not one stack frame per record: a recursion overflowed the
	// browser's stack (RangeError in engine.wasm at 10,000 records/s).
	for _, r := range recs {
		if g.fatal != "" || g.closing {
			return
		}
		g.processOne(r)
	}
	done()
}

// processOne is the application's work on one record.
func (g *groupClient) processOne(r Consumed) {
	g.done.add(r.Topic, r.Partition, r.Offset)
	if g.c.keep {
		g.processed = append(g.processed, r)
	}
	if g.txn != nil {
		g.txn.send(g.o.Output, r.Key, r.Value)
	}
}

func (g *groupClient) afterProcess() {
	switch g.o.Commit {
	case CommitSync:
		g.commit(g.allConsumed(), true, "commitSync after processing", func(bool) { g.resume() })
	case CommitAsync:
		g.commit(g.allConsumed(), false, "commitAsync after processing", nil)
		if !g.c.stopped {
			g.resume()
		}
	case CommitTxn:
		g.txnCommit(g.resume)
	default:
		g.resume()
	}
}

// resume returns the application thread to poll() after processing.
func (g *groupClient) resume() {
	g.busy = false
	g.appLoop()
}

// History is every record this consumer name processed, over its restarts,
// in order. It needs KeepRecords.
func (c *Consumer) History() []Consumed {
	c.mustKeep("History")
	if c.g == nil {
		return c.consumed.all()
	}
	var out []Consumed
	if c.g.prev != nil {
		out = append(out, c.g.prev.History()...)
	}
	return append(out, c.g.processed...)
}

// Processed lists the records this consumer's application finished. It
// needs KeepRecords.
func (c *Consumer) Processed() []Consumed {
	c.mustKeep("Processed")
	if c.g == nil {
		return c.consumed.all()
	}
	return c.g.processed
}
