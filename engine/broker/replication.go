package broker

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// fetcher is the replica fetcher thread for one leader broker.
type fetcher struct {
	leader  int32
	name    sim.NodeID // the leader's network name
	stopped bool
	busy    bool
	follow  []*Replica // runFetcher's scratch list, reused
	// fetched's list of the replicas a response's partitions apply to, in
	// order (nil for one this broker does not follow from this leader):
	// looked up once for the steps that handle the response.
	applies []*Replica

	// The arrays of the last request, reused for the next one once its
	// response arrived: the leader answered it and reads it no more. A
	// request that failed or timed out may still be read (a paused leader
	// works through its queue later), so its arrays are left to it.
	parts    []proto.FetchPartition
	topics   []proto.FetchTopic
	answered bool

	// The fetch session with the leader (KIP-227; fetch_session.go is the
	// leader's side), Kafka's FetchSessionHandler: the session's id, the
	// epoch of the next fetch (0: a full fetch, opening a session), and
	// the partitions as the session holds them, in f.follow's order.
	sessionID    int32
	sessionEpoch int32
	sent         []sessionPartition
	spare        []sessionPartition // the array of sent before the last fetch, for the next
	changed      []*Replica         // sessionRequest's scratch list, reused

	onResponse rpc.Callback // handles every response of this fetcher (made once)
}

func (b *Broker) lagMax() time.Duration {
	return time.Duration(b.opts.Config.Int64("replica.lag.time.max.ms")) * time.Millisecond
}

const replicaFetchBackoff = time.Second // replica.fetch.backoff.ms

// syncFetchers starts a fetcher per leader this broker follows and stops the rest.
func (b *Broker) syncFetchers() {
	want := map[int32]bool{}
	for r := range b.replicas.all() {
		if !r.IsLeader && r.Leader >= 0 {
			want[r.Leader] = true
		}
	}
	for id, f := range b.fetchers {
		if !want[id] {
			f.stopped = true
			delete(b.fetchers, id)
		}
	}
	ids := make([]int32, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if b.fetchers[id] == nil {
			f := &fetcher{leader: id}
			b.fetchers[id] = f
			b.runFetcher(f)
		}
	}
}

func (b *Broker) runFetcher(f *fetcher) {
	if f.stopped || f.busy || b.down {
		return
	}
	req := proto.FetchRequest{ReplicaID: b.opts.ID, ReplicaEpoch: b.epoch,
		MaxWaitMs: b.settings.fetchWaitMaxMs, MinBytes: 1, MaxBytes: 10 << 20}
	// The partitions this broker follows from f.leader, sorted by topic then
	// partition (the index's order), become one FetchTopic per topic.
	f.follow = f.follow[:0]
	for i := range b.replicas.topics { // replicas.all, without the iterator's calls
		for _, r := range b.replicas.topics[i].parts {
			if r != nil && !r.IsLeader && r.Leader == f.leader {
				f.follow = append(f.follow, r)
			}
		}
	}
	if len(f.follow) == 0 {
		return
	}
	parts, topics := f.parts[:0], f.topics[:0]
	if !f.answered {
		parts, topics = nil, nil
	}
	req.Session = b.sessionReqs.Put(proto.FetchSession{ID: f.sessionID, Epoch: f.sessionEpoch})
	parts, topics = f.sessionRequest(req.Session, parts, topics)
	req.Topics = topics
	f.parts, f.topics, f.answered = parts, topics, false
	clear(f.follow) // hold no replicas between fetches
	f.busy = true
	if f.name == "" {
		f.name = names.Broker(f.leader)
	}
	if f.onResponse == nil {
		inc := b.incarnation
		f.onResponse = func(body any, code proto.ErrorCode) {
			if b.down || b.incarnation != inc {
				return
			}
			b.fetched(f, body, code)
		}
	}
	b.ep.Call(f.name, b.fetchReqs.Put(req), 30*time.Second, f.onResponse)
}

// fetched handles the answer to a fetcher's request.
func (b *Broker) fetched(f *fetcher, body any, code proto.ErrorCode) {
	f.busy = false
	resp, ok := proto.TakeFetchResponse(body)
	if code != proto.None || !ok {
		f.sessionEpoch = 0 // the next fetch is full and opens a new session
		b.after(replicaFetchBackoff, func() { b.runFetcher(f) })
		return
	}
	f.answered = true
	if !f.sessionAnswered(resp.Session) {
		b.runFetcher(f) // a full fetch, at once (Kafka's fetcher does not back off here)
		return
	}
	st := b.storage()
	rs := f.applies[:0]
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			r := b.replicas.get(t.Name, pr.Index)
			if r == nil || r.IsLeader || r.Leader != f.leader {
				r = nil
			}
			rs = append(rs, r)
		}
	}
	// None of the steps changes which replicas follow f.leader.
	b.beforeFollowerFetch(rs, resp)
	backoff := b.applyFetched(rs, resp)
	b.afterFollowerFetchGaps(st, rs, resp)
	b.afterFollowerFetch(st, rs, resp)
	clear(rs) // hold no replicas between fetches
	f.applies = rs[:0]
	if backoff {
		b.after(replicaFetchBackoff, func() { b.runFetcher(f) })
		return
	}
	b.runFetcher(f)
}

// applyFetched appends fetched batches; it reports whether to back off.
// rs holds the replica of each partition of resp, in order (see fetcher.applies).
func (b *Broker) applyFetched(rs []*Replica, resp proto.FetchResponse) (backoff bool) {
	k := 0
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			r := rs[k]
			k++
			if r == nil {
				continue
			}
			switch {
			case pr.DivergingEpoch != nil:
				b.truncateDiverged(r, pr.DivergingEpoch)
			case pr.ErrorCode == proto.OffsetOutOfRange:
				// Simplified: Kafka asks the leader for its offsets; we restart from the HWM.
				b.truncateReplica(r, minI64(r.HWM, r.LEO()), "fetch offset out of range on the leader")
			case pr.ErrorCode != proto.None:
				backoff = true
			default:
				b.appendFetched(r, pr)
			}
		}
	}
	return backoff
}

func (b *Broker) appendFetched(r *Replica, pr proto.FetchPartitionResponse) {
	for _, bt := range pr.Batches {
		if bt.BaseOffset != r.LEO() {
			continue
		}
		// The leader's batch as it is: the log only reads it (and may keep
		// it for readers, as the leader's own read cache does).
		if err := r.log.Append(bt, b.now()); err != nil && !b.flushOnly(r, err) {
			tp := r.TP
			b.emit("storage_error", &tp, fmt.Sprintf("broker %d cannot append to %s: %v", b.opts.ID, tp, err), nil)
			return
		}
		r.noteEpoch(bt.PartitionLeaderEpoch, bt.BaseOffset)
		r.producers.record(bt)
	}
	if hw := minI64(pr.HighWatermark, r.LEO()); hw > r.HWM {
		r.HWM = hw
	}
}

func (b *Broker) truncateDiverged(r *Replica, d *proto.EpochEndOffset) {
	to := d.EndOffset
	if d.Epoch >= 0 {
		if _, mine := r.endOffsetForEpoch(d.Epoch); mine >= 0 && mine < to {
			to = mine
		}
	}
	b.truncateReplica(r, to, fmt.Sprintf("the leader's epoch %d ended at offset %d", d.Epoch, d.EndOffset))
}

func (b *Broker) truncateReplica(r *Replica, to int64, why string) {
	if to >= r.LEO() {
		return
	}
	from := r.LEO()
	if err := r.truncateTo(to); err != nil {
		return
	}
	tp := r.TP
	b.emit("log_truncated", &tp, fmt.Sprintf("broker %d truncated %s from offset %d to %d: %s", b.opts.ID, tp, from, to, why),
		map[string]any{"from_offset": to, "to_offset": from, "records_removed": from - to})
}

// noteFollowerFetch updates the leader's view of a follower: its LEO is the
// fetch offset, and it counts as caught up if it reached the leader's LEO
// (now, or as of its previous fetch).
func (b *Broker) noteFollowerFetch(body proto.FetchRequest) {
	now := b.now()
	for ti := range body.Topics {
		t := &body.Topics[ti]
		hosted := b.replicas.partitions(t.Name)
		for pi := range t.Partitions {
			fp := &t.Partitions[pi]
			if fp.Index < 0 || int(fp.Index) >= len(hosted) {
				continue
			}
			r := hosted[fp.Index]
			if r == nil || !r.IsLeader || fp.CurrentLeaderEpoch != r.LeaderEpoch || r.divergence(*fp) != nil {
				continue
			}
			f := r.followers.get(body.ReplicaID)
			if f == nil {
				continue
			}
			leo := r.LEO()
			f.leo = minI64(fp.FetchOffset, leo)
			if fp.FetchOffset >= leo {
				f.lastCaughtUpTime = now
			} else if fp.FetchOffset >= f.lastFetchLEO {
				f.lastCaughtUpTime = f.lastFetchAt
			}
			f.lastFetchLEO, f.lastFetchAt = leo, now
			if !metadata.Contains(r.ISR, body.ReplicaID) && f.leo >= r.HWM && f.leo >= r.epochStartOffset {
				b.alterISR(r, append(append([]int32(nil), r.ISR...), body.ReplicaID))
			}
			b.maybeAdvanceHWM(r)
		}
	}
}

// scheduleISRCheck starts the broker's isr-expiration task (every
// replica.lag.time.max.ms / 2) if it is not running.
func (b *Broker) scheduleISRCheck(*Replica) {
	if b.isrTicking {
		return
	}
	b.isrTicking = true
	b.after(b.lagMax()/2, func() {
		b.isrTicking = false
		b.checkISR()
		b.scheduleISRCheck(nil)
	})
}

func (b *Broker) checkISR() {
	now := b.now()
	for _, r := range b.Replicas() {
		if !r.IsLeader {
			continue
		}
		keep := make([]int32, 0, len(r.ISR))
		for _, id := range r.ISR {
			if f := r.followers.get(id); id != b.opts.ID && f != nil && now-f.lastCaughtUpTime > b.lagMax() {
				continue
			}
			keep = append(keep, id)
		}
		if len(keep) < len(r.ISR) {
			b.alterISR(r, keep)
		}
	}
}

func (b *Broker) alterISR(r *Replica, isr []int32) {
	if r.alterPending {
		return
	}
	r.alterPending = true
	req := proto.AlterPartitionRequest{BrokerID: b.opts.ID, BrokerEpoch: b.epoch, Topic: r.TP.Topic, Partition: r.TP.Partition,
		LeaderEpoch: r.LeaderEpoch, NewISR: isr, PartitionEpoch: r.PartitionEpoch}
	inc := b.incarnation
	old := len(r.ISR)
	b.callController(req, 5*time.Second, func(body any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		r.alterPending = false
		resp, ok := body.(proto.AlterPartitionResponse)
		if code != proto.None || !ok || resp.ErrorCode != proto.None || !r.IsLeader || resp.LeaderEpoch != r.LeaderEpoch {
			return // the metadata log will tell us the truth
		}
		r.ISR, r.PartitionEpoch = resp.ISR, resp.PartitionEpoch
		if len(r.ISR) < old {
			b.Metrics.IsrShrinks++
		} else if len(r.ISR) > old {
			b.Metrics.IsrExpands++
		}
		b.maybeAdvanceHWM(r)
	})
}

func minI64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

// flushOnly reports (and notes) an append whose batch landed but whose
// flush failed.
func (b *Broker) flushOnly(r *Replica, err error) bool {
	var fe *log.FlushError
	if errors.As(err, &fe) {
		b.noteFlushError(r, fe.Err)
		return true
	}
	return false
}
