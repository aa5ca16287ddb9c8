package broker

import (
	"slices"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// Fetch (API key 1) serves consumers (up to the high watermark) and
// follower replicas (up to the log end, with KIP-320 divergence checks).
// Consumers always fetch from the leader here (no KIP-392 follower fetching).

type delayedFetch struct {
	b     *Broker
	from  sim.NodeID
	req   proto.Request
	body  proto.FetchRequest
	ctx   fetchContext // its fetch session (fetch_session.go)
	timer sim.Timer    // fetch.max.wait.ms; the fetch is its own event (no closures)
	inc   int          // the broker's incarnation when it parked
	done  bool
	fired bool // its timer ran out: a deferred answer may still hold it
}

// Fire answers the fetch when fetch.max.wait.ms ran out, as b.after would
// run it: not in a later incarnation, and after resuming if paused.
func (d *delayedFetch) Fire() {
	b := d.b
	d.fired = true
	if b.down || b.incarnation != d.inc {
		return
	}
	if b.paused {
		b.deferred = append(b.deferred, func() { b.completeFetch(d) })
		return
	}
	b.completeFetch(d)
}

func (b *Broker) handleFetch(from sim.NodeID, req proto.Request, body proto.FetchRequest) {
	body, ctx, code := b.openFetch(body)
	if code != proto.None {
		b.ep.Reply(from, req, b.fetchResps.Put(proto.FetchResponse{Session: b.sessionResps.Put(proto.FetchSessionAnswer{ErrorCode: code})}))
		return
	}
	if body.ReplicaID >= 0 {
		b.replies.noteRequest(b, body.ReplicaID)
		b.noteFollowerFetch(body)
	}
	size, errs := b.scanFetch(body)
	if size >= int(body.MinBytes) || body.MaxWaitMs <= 0 || errs {
		b.answerFetch(from, req, body, ctx)
		return
	}
	d := b.purgatory.newDelayedFetch()
	*d = delayedFetch{b: b, from: from, req: req, body: body, ctx: ctx, inc: b.incarnation}
	if ctx.session != nil {
		ctx.session.parked = true // its request arrays stay with d
	}
	b.ep.Sim.Arm(&d.timer, b.now()+time.Duration(body.MaxWaitMs)*time.Millisecond, d)
	b.purgatory.fetches = append(b.purgatory.fetches, d)
}

// answerFetch sends the answer to a fetch scanFetch just read, shaped by
// its session.
func (b *Broker) answerFetch(to sim.NodeID, req proto.Request, body proto.FetchRequest, ctx fetchContext) {
	resp, sizes := b.answer(ctx, b.fetchResponse(body), b.fetchSizes)
	b.chargeFetch(body.ReplicaID >= 0, resp, sizes)
	b.ep.Reply(to, req, b.fetchResps.Put(resp))
}

func (b *Broker) completeFetch(d *delayedFetch) {
	if d.done {
		return
	}
	d.done = true
	d.timer.Cancel()
	b.scanFetch(d.body)
	b.answerFetch(d.from, d.req, d.body, d.ctx)
	if s := d.ctx.session; s != nil && s.epoch == d.ctx.epoch {
		s.parked = false // its request arrays are free for the session's next fetch
	}
	kept := b.purgatory.fetches[:0]
	for _, x := range b.purgatory.fetches {
		if !x.done {
			kept = append(kept, x)
		}
	}
	b.purgatory.fetches = kept
	if !d.fired {
		b.purgatory.spareDelayed = append(b.purgatory.spareDelayed, d)
	}
}

// newDelayedFetch returns an answered fetch to park another in, or a new
// one. An answered fetch is reused only if nothing can reach it any more:
// it left the list and its timer was cancelled before it fired. It keeps
// its fields (done) until reused, for a check walking an older copy of
// the list.
func (p *purgatory) newDelayedFetch() *delayedFetch {
	if n := len(p.spareDelayed); n > 0 {
		d := p.spareDelayed[n-1]
		p.spareDelayed[n-1] = nil
		p.spareDelayed = p.spareDelayed[:n-1]
		return d
	}
	return &delayedFetch{}
}

// checkFetch answers parked fetches that now have enough data.
func (p *purgatory) checkFetch(b *Broker) {
	waiting := append(p.spareFetches[:0], p.fetches...)
	p.spareFetches = nil
	for _, d := range waiting {
		if d.done {
			continue
		}
		if d.body.MinBytes <= 1 {
			// Any new data (or an error) satisfies fetch.min.bytes=1; without
			// either a scan finds nothing (a fetch with min bytes 0 never parks).
			if b.fetchable(d.body) {
				b.completeFetch(d)
			}
			continue
		}
		if size, errs := b.scanFetch(d.body); size >= int(d.body.MinBytes) || errs {
			b.completeFetch(d)
		}
	}
	clear(waiting)
	p.spareFetches = waiting[:0]
}

// scanFetch reads every partition of a fetch into b.fetchScratch and
// returns the bytes found and whether any partition has an error. Parked
// fetches are scanned often and answered rarely, so the response is only
// built (fetchResponse) when it is sent.
func (b *Broker) scanFetch(body proto.FetchRequest) (int, bool) {
	b.fetchScratch, b.fetchSizes = b.fetchScratch[:0], b.fetchSizes[:0]
	total, errs := 0, false
	budget := int(body.MaxBytes)
	follower := body.ReplicaID >= 0
	for ti := range body.Topics {
		t := &body.Topics[ti]
		hosted := b.replicas.partitions(t.Name)
		for pi := range t.Partitions {
			fp := &t.Partitions[pi]
			var r *Replica
			if fp.Index >= 0 && int(fp.Index) < len(hosted) {
				r = hosted[fp.Index]
			}
			b.fetchScratch = append(b.fetchScratch, proto.FetchPartitionResponse{})
			pr := &b.fetchScratch[len(b.fetchScratch)-1]
			size := b.readReplica(pr, t.Name, r, fp, follower, budget)
			if pr.ErrorCode != proto.None {
				errs = true
			}
			total += size
			budget -= size
			if budget < 0 {
				budget = 0
			}
			b.fetchSizes = append(b.fetchSizes, size)
		}
	}
	return total, errs
}

// fetchResponse builds the response of the fetch scanFetch just read, its
// partitions in one array cut per topic.
func (b *Broker) fetchResponse(body proto.FetchRequest) proto.FetchResponse {
	var resp proto.FetchResponse
	if len(body.Topics) == 0 {
		return resp
	}
	arrays := b.replies.take(body.ReplicaID)
	parts := append(arrays.parts[:0], b.fetchScratch...)
	clear(b.fetchScratch) // hold no batches between fetches
	topics := slices.Grow(arrays.topics[:0], len(body.Topics))[:len(body.Topics)]
	b.replies.lend(body.ReplicaID, replyArrays{parts, topics})
	resp.Topics = topics
	for i, t := range body.Topics {
		topics[i] = proto.FetchTopicResponse{Name: t.Name}
		if n := len(t.Partitions); n > 0 {
			topics[i].Partitions, parts = parts[:n:n], parts[n:]
		}
	}
	return resp
}

// followerReplies keeps, per follower, the arrays of the last fetch
// response it was sent, to build its next response in. A follower sends
// its next fetch only after it handled the last response, or gave up
// waiting for it (and then ignores it): so once a fetch from it arrives
// while none of its fetches is parked, nothing reads the arrays any more.
// Consumers' responses are always new arrays.
type followerReplies map[int32]*followerReply

type followerReply struct {
	lent replyArrays // the arrays of the last response sent
	free bool        // lent may be reused
}

type replyArrays struct {
	parts  []proto.FetchPartitionResponse
	topics []proto.FetchTopicResponse
}

// noteRequest frees a follower's last response arrays if none of its
// fetches waits in purgatory.
func (fr *followerReplies) noteRequest(b *Broker, replica int32) {
	r := (*fr)[replica]
	if r == nil {
		return
	}
	for _, d := range b.purgatory.fetches {
		if !d.done && d.body.ReplicaID == replica {
			return
		}
	}
	r.free = true
}

// take returns arrays for a response to replica: the free ones, or none.
func (fr *followerReplies) take(replica int32) replyArrays {
	if r := (*fr)[replica]; r != nil && r.free {
		r.free = false
		return r.lent
	}
	return replyArrays{}
}

// lend notes the arrays of a response sent to replica.
func (fr *followerReplies) lend(replica int32, a replyArrays) {
	if replica < 0 {
		return
	}
	if *fr == nil {
		*fr = followerReplies{}
	}
	r := (*fr)[replica]
	if r == nil {
		r = &followerReply{}
		(*fr)[replica] = r
	}
	r.lent, r.free = a, false
}

func (b *Broker) readPartition(tp names.TopicPartition, fp proto.FetchPartition, follower bool, budget int) (proto.FetchPartitionResponse, int) {
	var pr proto.FetchPartitionResponse
	size := b.readReplica(&pr, tp.Topic, b.replicas.get(tp.Topic, tp.Partition), &fp, follower, budget)
	return pr, size
}

// readReplica answers one partition of a fetch into pr from r, the hosted
// replica (or nil), and returns the bytes of the batches it holds.
func (b *Broker) readReplica(pr *proto.FetchPartitionResponse, topic string, r *Replica, fp *proto.FetchPartition, follower bool, budget int) int {
	*pr = proto.FetchPartitionResponse{Index: fp.Index, HighWatermark: -1, LastStableOffset: -1, LogStartOffset: -1}
	switch {
	case r == nil && b.image.Partition(topic, fp.Index) == nil: // a hosted replica's partition is always in the image
		pr.ErrorCode = proto.UnknownTopicOrPartition
		return 0
	case r == nil || !r.IsLeader:
		pr.ErrorCode = proto.NotLeaderOrFollower
		return 0
	case fp.CurrentLeaderEpoch >= 0 && fp.CurrentLeaderEpoch < r.LeaderEpoch:
		pr.ErrorCode = proto.FencedLeaderEpoch
		return 0
	case fp.CurrentLeaderEpoch > r.LeaderEpoch:
		pr.ErrorCode = proto.UnknownLeaderEpoch
		return 0
	}
	logStart, leo := r.log.LogStartOffset(), r.LEO()
	pr.HighWatermark, pr.LastStableOffset, pr.LogStartOffset = r.HWM, r.HWM, logStart
	if follower {
		if div := r.divergence(*fp); div != nil {
			pr.DivergingEpoch = div
			return 0
		}
	}
	if fp.FetchOffset < logStart || fp.FetchOffset > leo {
		pr.ErrorCode = proto.OffsetOutOfRange
		return 0
	}
	limit := r.HWM
	if follower {
		limit = leo
	}
	if fp.FetchOffset >= limit {
		return 0
	}
	max := int(fp.PartitionMaxBytes)
	if budget < max {
		max = budget
	}
	if max <= 0 {
		max = 1 // Kafka returns at least one batch so a large batch cannot stall a reader
	}
	batches, size, err := r.log.ReadToCounted(fp.FetchOffset, limit, max)
	if err != nil {
		pr.ErrorCode = proto.KafkaStorageError
		return 0
	}
	// Every batch after the first starts below limit; the first may not.
	if len(batches) == 0 || batches[0].BaseOffset >= limit {
		return 0
	}
	pr.Batches = batches[:len(batches):len(batches)]
	return size
}

// divergence compares a follower's last fetched epoch with the leader's
// epoch cache (KIP-320): if the follower's log ended that epoch later than
// the leader did, it must truncate to the leader's end of that epoch.
func (r *Replica) divergence(fp proto.FetchPartition) *proto.EpochEndOffset {
	if fp.LastFetchedEpoch < 0 || fp.FetchOffset == 0 {
		return nil
	}
	epoch, end := r.endOffsetForEpoch(fp.LastFetchedEpoch)
	if epoch < 0 {
		return &proto.EpochEndOffset{Epoch: -1, EndOffset: r.log.LogStartOffset()}
	}
	if end < fp.FetchOffset || epoch < fp.LastFetchedEpoch {
		return &proto.EpochEndOffset{Epoch: epoch, EndOffset: end}
	}
	return nil
}

// fetchable reports, without reading the log, whether any partition of a
// fetch has data to return or an error to report.
func (b *Broker) fetchable(body proto.FetchRequest) bool {
	for ti := range body.Topics {
		t := &body.Topics[ti]
		hosted := b.replicas.partitions(t.Name) // one lookup per topic
		for pi := range t.Partitions {
			fp := &t.Partitions[pi]
			var r *Replica
			if fp.Index >= 0 && int(fp.Index) < len(hosted) {
				r = hosted[fp.Index]
			}
			if r == nil || !r.IsLeader || fp.CurrentLeaderEpoch != -1 && fp.CurrentLeaderEpoch != r.LeaderEpoch {
				return true
			}
			leo, limit := r.LEO(), r.HWM
			if body.ReplicaID >= 0 {
				limit = leo
			}
			if fp.FetchOffset < limit || fp.FetchOffset > leo || fp.FetchOffset < r.log.LogStartOffset() {
				return true
			}
		}
	}
	return false
}
