package broker

import (
	"cmp"
	"slices"
	"strings"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// Incremental fetch sessions (KIP-227), the leader's side: Kafka's
// FetchSessionCache. A follower's first fetch is full and opens a session;
// its later fetches list only the partitions whose fetch position changed
// (and the ones it forgot), and the answers list only the partitions with
// something new — records, an error, a diverging epoch, or a high
// watermark or log start offset the follower has not been told. The
// leader still reads, and notes the follower's position in, every
// partition of the session at each fetch, as Kafka does; what a session
// spares is the idle partitions on the wire (a follower of 3 brokers
// follows ~17 idle __consumer_offsets partitions from each leader).
//
// Simplified: the session keeps its partitions sorted by topic and
// partition (Kafka keeps insertion order and moves the partitions it
// answered to the end, for fairness under fetch.max.bytes); a full cache
// (max.incremental.fetch.session.cache.slots) opens no new session rather
// than evicting one; session ids count up per broker instead of being
// random.

// fetchSessions is a broker's cache of open fetch sessions.
type fetchSessions struct {
	last int32 // the last session id handed out, never reused (not even after a restart)
	byID map[int32]*fetchSession
}

// fetchSession is one open session: the partitions it fetches, kept as
// the request every fetch of the session stands for, and what its last
// answer told the fetcher of each.
type fetchSession struct {
	id    int32
	epoch int32 // the epoch the next incremental fetch must carry

	// fps holds the partitions' positions sorted by topic and partition,
	// topics cuts it per topic, and told is what the fetcher was told of
	// each (by index in fps). A parked fetch reads fps and topics: they
	// are copied before a change while parked is set.
	fps    []proto.FetchPartition
	names  []string // the topic of each of fps
	topics []proto.FetchTopic
	told   []told
	parked bool
}

// told is what a session's last answers carried of one partition; hw is
// unknownHW until an answer without an error carried the partition, so
// the next one includes it.
type told struct{ hw, lso, logStart int64 }

// sessionPartition is a partition's position as a follower's session
// holds it.
type sessionPartition struct {
	topic string
	fp    proto.FetchPartition
}

// unknownHW marks a session partition whose high watermark the fetcher
// has not been told.
const unknownHW = -2

// fetchContext is how a fetch was taken: its session, if any, and whether
// its answer is incremental.
type fetchContext struct {
	session     *fetchSession
	epoch       int32 // the session's epoch once this fetch was taken
	incremental bool
	answered    bool // the fetch asked about a session: its answer says which
}

// openFetch takes a fetch into the session cache (Kafka's
// FetchManager.newContext). It returns the fetch to serve — for an
// incremental fetch, every partition of its session — and its context,
// or a session error for the answer's top level.
func (b *Broker) openFetch(body proto.FetchRequest) (proto.FetchRequest, fetchContext, proto.ErrorCode) {
	c, fs := &b.sessions, body.Session
	switch {
	case fs == nil:
		return body, fetchContext{}, proto.None
	case fs.Epoch == proto.FinalEpoch:
		if fs.ID != 0 {
			delete(c.byID, fs.ID)
		}
		return body, fetchContext{answered: true}, proto.None
	case fs.Epoch == 0:
		if fs.ID != 0 {
			delete(c.byID, fs.ID)
		}
		if len(c.byID) >= int(b.opts.Config.Int64("max.incremental.fetch.session.cache.slots")) {
			return body, fetchContext{answered: true}, proto.None
		}
		c.last++
		s := &fetchSession{id: c.last, epoch: 1}
		for _, t := range body.Topics {
			for _, fp := range t.Partitions {
				s.put(t.Name, fp)
			}
		}
		s.cut()
		if c.byID == nil {
			c.byID = map[int32]*fetchSession{}
		}
		c.byID[s.id] = s
		return body, fetchContext{session: s, epoch: s.epoch, answered: true}, proto.None
	}
	s := c.byID[fs.ID]
	if s == nil {
		return body, fetchContext{}, proto.FetchSessionIDNotFound
	}
	if s.epoch != fs.Epoch {
		return body, fetchContext{}, proto.InvalidFetchSessionEpoch
	}
	if len(body.Topics) > 0 || len(fs.Forgotten) > 0 {
		s.unpark()
	}
	reshaped := false
	for _, t := range body.Topics {
		for _, fp := range t.Partitions {
			reshaped = s.put(t.Name, fp) || reshaped
		}
	}
	for _, t := range fs.Forgotten {
		for _, p := range t.Partitions {
			reshaped = s.forget(t.Name, p) || reshaped
		}
	}
	if reshaped {
		s.cut()
	}
	s.epoch++
	if s.epoch < 0 {
		s.epoch = 1 // Kafka's epoch wraps to 1
	}
	body.Topics, body.Session = s.topics, nil
	return body, fetchContext{session: s, epoch: s.epoch, incremental: true, answered: true}, proto.None
}

// find returns the index of a partition in the session, or where it goes.
func (s *fetchSession) find(topic string, p int32) (int, bool) {
	lo, hi := 0, len(s.fps)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c := cmp.Or(strings.Compare(s.names[m], topic), cmp.Compare(s.fps[m].Index, p)); c < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(s.fps) && s.names[lo] == topic && s.fps[lo].Index == p
}

// put adds a partition, or updates its position; it reports an addition
// (the session's shape changed: topics must be cut again).
func (s *fetchSession) put(topic string, fp proto.FetchPartition) bool {
	i, ok := s.find(topic, fp.Index)
	if ok {
		s.fps[i] = fp
		return false
	}
	s.fps = slices.Insert(s.fps, i, fp)
	s.names = slices.Insert(s.names, i, topic)
	s.told = slices.Insert(s.told, i, told{unknownHW, unknownHW, unknownHW})
	return true
}

// forget removes a partition; it reports whether the session had it.
func (s *fetchSession) forget(topic string, p int32) bool {
	i, ok := s.find(topic, p)
	if ok {
		s.fps = slices.Delete(s.fps, i, i+1)
		s.names = slices.Delete(s.names, i, i+1)
		s.told = slices.Delete(s.told, i, i+1)
	}
	return ok
}

// unpark gives the session arrays of its own before a change, if a
// parked fetch reads the ones it has.
func (s *fetchSession) unpark() {
	if s.parked {
		s.fps, s.parked = slices.Clone(s.fps), false
		s.cut()
	}
}

// cut rebuilds topics, the per-topic view of fps.
func (s *fetchSession) cut() {
	s.topics = cutTopics(s.topics[:0], s.fps, func(i int) string { return s.names[i] })
}

// cutTopics appends to topics one FetchTopic per run of consecutive
// partitions of fps of one topic (name(i) is the topic of fps[i]): the
// partitions stay in fps's array.
func cutTopics(topics []proto.FetchTopic, fps []proto.FetchPartition, name func(i int) string) []proto.FetchTopic {
	for i := 0; i < len(fps); {
		j := i + 1
		for j < len(fps) && name(j) == name(i) {
			j++
		}
		topics = append(topics, proto.FetchTopic{Name: name(i), Partitions: fps[i:j:j]})
		i = j
	}
	return topics
}

// answer shapes the answer to a fetch taken in ctx: an incremental answer
// keeps only the partitions with something new (sizes, the bytes of each
// partition, is cut alike); the session remembers what it told. resp
// holds every partition of the fetch, in the session's order.
func (b *Broker) answer(ctx fetchContext, resp proto.FetchResponse, sizes []int) (proto.FetchResponse, []int) {
	s := ctx.session
	if s == nil {
		if ctx.answered {
			resp.Session = b.sessionResps.Put(proto.FetchSessionAnswer{})
		}
		return resp, sizes
	}
	resp.Session = b.sessionResps.Put(proto.FetchSessionAnswer{ID: s.id})
	if s.epoch != ctx.epoch {
		return resp, sizes // a later fetch of the session came first: this answer is nobody's
	}
	k, keptSizes := 0, 0
	topics := resp.Topics[:0]
	for _, t := range resp.Topics {
		parts := t.Partitions[:0]
		for _, pr := range t.Partitions {
			var sp *told
			if ctx.incremental { // the fetch was the session's own: its order
				sp = &s.told[k]
			} else if i, ok := s.find(t.Name, pr.Index); ok {
				sp = &s.told[i]
			} else {
				sp = &told{} // not reached: a full fetch put every partition
			}
			must := len(pr.Batches) > 0 || pr.ErrorCode != proto.None || pr.DivergingEpoch != nil ||
				pr.HighWatermark != sp.hw || pr.LastStableOffset != sp.lso || pr.LogStartOffset != sp.logStart
			if pr.ErrorCode != proto.None {
				sp.hw, sp.lso, sp.logStart = unknownHW, unknownHW, unknownHW
			} else {
				sp.hw, sp.lso, sp.logStart = pr.HighWatermark, pr.LastStableOffset, pr.LogStartOffset
			}
			if must || !ctx.incremental {
				parts = append(parts, pr)
				sizes[keptSizes] = sizes[k]
				keptSizes++
			}
			k++
		}
		if len(parts) > 0 {
			topics = append(topics, proto.FetchTopicResponse{Name: t.Name, Partitions: parts})
		}
	}
	resp.Topics = topics
	if len(topics) == 0 {
		resp.Topics = nil
	}
	return resp, sizes[:keptSizes]
}

// sessionRequest fills a follower's fetch of f.follow (every partition it
// follows from the leader) into parts and topics: all of them for a full
// fetch, or, in an open session, the ones whose position changed since
// the session last heard of them, with the ones dropped as fs.Forgotten.
func (f *fetcher) sessionRequest(fs *proto.FetchSession, parts []proto.FetchPartition, topics []proto.FetchTopic) ([]proto.FetchPartition, []proto.FetchTopic) {
	full := fs.Epoch == 0
	sent := f.sent
	f.sent, f.spare = f.spare[:0], sent
	k := 0 // the next of sent not yet matched
	tps := f.changed[:0]
	for _, r := range f.follow {
		fp := proto.FetchPartition{Index: r.TP.Partition, CurrentLeaderEpoch: r.LeaderEpoch, FetchOffset: r.LEO(),
			LastFetchedEpoch: r.latestEpoch(), LogStartOffset: r.log.LogStartOffset(), PartitionMaxBytes: 1 << 20}
		f.sent = append(f.sent, sessionPartition{topic: r.TP.Topic, fp: fp})
		changed := true
		for ; !full && k < len(sent); k++ {
			c := 0
			if sent[k].fp.Index != r.TP.Partition || sent[k].topic != r.TP.Topic { // mostly the same partition
				c = cmp.Or(strings.Compare(sent[k].topic, r.TP.Topic), cmp.Compare(sent[k].fp.Index, r.TP.Partition))
			}
			if c > 0 {
				break
			}
			if c == 0 {
				changed = sent[k].fp != fp
				k++
				break
			}
			fs.Forgotten = addForgotten(fs.Forgotten, sent[k].topic, sent[k].fp.Index)
		}
		if changed {
			parts = append(parts, fp)
			tps = append(tps, r)
		}
	}
	for ; !full && k < len(sent); k++ {
		fs.Forgotten = addForgotten(fs.Forgotten, sent[k].topic, sent[k].fp.Index)
	}
	topics = cutTopics(topics, parts, func(i int) string { return tps[i].TP.Topic })
	clear(tps) // hold no replicas between fetches
	f.changed = tps[:0]
	return parts, topics
}

// addForgotten adds a partition to an incremental fetch's forgotten list.
func addForgotten(l []proto.FetchTopicForgotten, topic string, p int32) []proto.FetchTopicForgotten {
	if n := len(l); n > 0 && l[n-1].Name == topic {
		l[n-1].Partitions = append(l[n-1].Partitions, p)
		return l
	}
	return append(l, proto.FetchTopicForgotten{Name: topic, Partitions: []int32{p}})
}

// sessionAnswered moves a follower's session on by the session part of an
// answer (Kafka's FetchSessionHandler.handleResponse). It reports false
// when the session failed: the answer carries no partitions, and the
// next fetch is full.
func (f *fetcher) sessionAnswered(a *proto.FetchSessionAnswer) bool {
	switch {
	case a == nil:
		f.sessionID, f.sessionEpoch = 0, 0
	case a.ErrorCode == proto.FetchSessionIDNotFound:
		f.sessionID, f.sessionEpoch = 0, 0
		return false
	case a.ErrorCode != proto.None:
		f.sessionEpoch = 0 // close this session, open a new one
		return false
	case a.ID == 0: // the leader opened no session (its cache is full) or closed it
		f.sessionID, f.sessionEpoch = 0, 0
	case f.sessionEpoch == 0:
		f.sessionID, f.sessionEpoch = a.ID, 1
	default:
		f.sessionEpoch++
		if f.sessionEpoch < 0 {
			f.sessionEpoch = 1
		}
	}
	return true
}
