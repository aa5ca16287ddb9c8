// Package outcome sums up what a run did to the records and to the
// consumer groups, for comparing two branches of one run side by side:
// records acknowledged, acknowledged records lost, records in a log twice,
// produce latency p99 and partition-seconds without an owner. It reads
// only what the engine already hands the page — the run's events (Tally
// takes them in order) and a snapshot — so the page and a native test
// compute the same figures. Diff says what differs between two outcomes.
package outcome

import (
	"encoding/json"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Kinds are the event kinds a Tally reads: ask the engine for these only.
var Kinds = []string{"appended", "produce_acked", "partitions_assigned", "partitions_revoked",
	"partitions_lost", "consumer_crashed", "consumer_closed"}

// Outcome is one run's figures at one time.
type Outcome struct {
	TimeUS int64
	// Acked counts the records the producers saw acknowledged (acks=0
	// counts a record once sent, as Kafka's client does).
	Acked int64
	// Lost counts acknowledged records (acks=1 or all) the partition's
	// leader no longer holds at their offset: its log ends before them or
	// holds a record of another leader epoch there (KIP-101). Records of a
	// partition with no leader online are not counted either way.
	Lost int64
	// Duplicated counts records written to a log twice: a batch whose
	// first attempt was appended, then retried (the producer saw a timeout
	// or a lost connection) and appended again, both still in the log.
	// Simplified: a batch is matched to its retry by partition and size,
	// not by its contents.
	Duplicated int64
	// P99MS is the highest produce-latency p99 of the producers (send() to
	// acknowledgement, ms); -1 when no producer measured one.
	P99MS float64
	// UnownedPartitionS sums, over the consumer groups, the seconds each
	// partition a group had assigned was owned by none of its members,
	// since the Tally's From.
	UnownedPartitionS float64
	// Partial says the engine had discarded events the figures need (its
	// trace keeps the newest 20,000): Lost, Duplicated and the unowned
	// time count what was kept.
	Partial bool
}

type where struct {
	topic     string
	partition int32
	base, n   int64
}

type batch struct {
	where
	epoch int32 // -1: unknown
}

// Tally reads a run's events in order (Observe) and keeps what Outcome
// needs: the acknowledged batches with the leader epoch that appended
// them, the appends no acknowledgement matched, and each group's owners.
type Tally struct {
	// FromUS is where the unowned partition-seconds start counting (the
	// fork of two branches: before it they are the same run).
	FromUS int64
	// LastSeq is the last event observed: ask the engine for the events
	// after it.
	LastSeq int64

	appended map[where]int32 // the last append of a batch: its leader epoch
	pending  []batch         // appends no acknowledgement claimed yet, oldest first
	acked    []batch
	dups     []batch // first attempts appended again by a retry
	groups   map[string]*groupOwners
	atUS     int64
	unowned  float64
	partial  bool
}

type groupOwners struct {
	all   map[string]bool            // partitions the group ever had assigned
	owned map[string]map[string]bool // member node → its partitions
}

// NewTally starts a tally counting unowned time from fromUS.
func NewTally(fromUS int64) *Tally {
	return &Tally{FromUS: fromUS, appended: map[where]int32{}, groups: map[string]*groupOwners{}, atUS: fromUS}
}

// Dropped tells the tally the engine had discarded events after LastSeq
// (the events reply's dropped count past the cursor).
func (t *Tally) Dropped() { t.partial = true }

// data holds the fields of the kinds a tally reads (one type for all: a
// lean page).
type data struct {
	Acks        int16    `json:"acks"`
	Attempts    int      `json:"attempts"`
	BaseOffset  int64    `json:"base_offset"`
	LeaderEpoch int32    `json:"leader_epoch"`
	Partition   int32    `json:"partition"`
	Records     int64    `json:"records"`
	Topic       string   `json:"topic"`
	Group       string   `json:"group"`
	Partitions  []string `json:"partitions"`
}

// Observe takes the next event of the run.
func (t *Tally) Observe(e contract.RawEvent) {
	if e.Seq > t.LastSeq {
		t.LastSeq = e.Seq
	}
	var d data
	if json.Unmarshal(e.Data, &d) != nil {
		return
	}
	switch e.Kind {
	case "appended":
		if e.Partition == nil || d.Acks == 0 {
			return
		}
		w := where{e.Topic, *e.Partition, d.BaseOffset, d.Records}
		t.appended[w] = d.LeaderEpoch
		t.pending = append(t.pending, batch{w, d.LeaderEpoch})
	case "produce_acked":
		if d.BaseOffset < 0 || d.Records < 1 {
			return // acks=0: no offset to check
		}
		w := where{d.Topic, d.Partition, d.BaseOffset, d.Records}
		epoch, ok := t.appended[w]
		if !ok {
			epoch = -1
		}
		t.acked = append(t.acked, batch{w, epoch})
		t.claim(w, d.Attempts > 1)
	case "partitions_assigned", "partitions_revoked", "partitions_lost", "consumer_crashed", "consumer_closed":
		t.owners(e, d)
	}
}

// claim matches an acknowledgement with its append; with retried, an
// earlier unclaimed append of a batch of the same size on the partition
// was its first attempt: a duplicate.
func (t *Tally) claim(w where, retried bool) {
	for i, p := range t.pending {
		if p.where == w {
			t.pending = append(t.pending[:i], t.pending[i+1:]...)
			break
		}
	}
	if !retried {
		return
	}
	for i, p := range t.pending {
		if p.topic == w.topic && p.partition == w.partition && p.n == w.n && p.base < w.base {
			t.dups = append(t.dups, p)
			t.pending = append(t.pending[:i], t.pending[i+1:]...)
			return
		}
	}
}

func (t *Tally) owners(e contract.RawEvent, d data) {
	if d.Group == "" {
		return
	}
	t.advance(e.TimeUS)
	g := t.groups[d.Group]
	if g == nil {
		g = &groupOwners{all: map[string]bool{}, owned: map[string]map[string]bool{}}
		t.groups[d.Group] = g
	}
	ps := g.owned[e.Node]
	if ps == nil {
		ps = map[string]bool{}
		g.owned[e.Node] = ps
	}
	switch e.Kind {
	case "partitions_assigned":
		clear(ps)
		for _, tp := range d.Partitions {
			ps[tp], g.all[tp] = true, true
		}
	case "partitions_revoked", "partitions_lost":
		for _, tp := range d.Partitions {
			delete(ps, tp)
		}
	default: // the consumer crashed or closed
		clear(ps)
	}
}

// advance counts the unowned partitions up to us.
func (t *Tally) advance(us int64) {
	if us <= t.atUS {
		return
	}
	n := 0
	for _, g := range t.groups {
		for tp := range g.all {
			if !g.ownedBySome(tp) {
				n++
			}
		}
	}
	t.unowned += float64(n) * float64(us-t.atUS) / 1e6
	t.atUS = us
}

func (g *groupOwners) ownedBySome(tp string) bool {
	for _, ps := range g.owned {
		if ps[tp] {
			return true
		}
	}
	return false
}

// Outcome computes the figures at the snapshot's time from what the tally
// observed up to then.
func (t *Tally) Outcome(s view.Snapshot) Outcome {
	t.advance(s.TimeUS)
	o := Outcome{TimeUS: s.TimeUS, P99MS: -1, UnownedPartitionS: t.unowned, Partial: t.partial}
	for _, p := range s.Producers {
		o.Acked += p.Acked
		if v, ok := p.Metrics["produce-latency-p99-ms"]; ok && v > o.P99MS {
			o.P99MS = v
		}
	}
	leaders := leaderLogs(s)
	for _, b := range t.acked {
		o.Lost += leaders.lost(b)
	}
	for _, b := range t.dups {
		if leaders.lost(b) == 0 {
			o.Duplicated += b.n
		}
	}
	return o
}

type tp struct {
	topic     string
	partition int32
}

// leaderLog is what a partition's leader holds: where its log ends and
// which leader epoch wrote each offset (its leader-epoch cache).
type leaderLog struct {
	start, leo int64
	epochs     []view.EpochEntry
}

type logs map[tp]*leaderLog

func leaderLogs(s view.Snapshot) logs {
	out := logs{}
	for _, p := range s.Partitions {
		for _, r := range p.Replicas {
			if r.Broker == p.Leader && r.State == "leader" {
				out[tp{p.Topic, p.Partition}] = &leaderLog{r.LogStartOffset, r.LEO, r.Epochs}
			}
		}
	}
	return out
}

// lost counts the records of b the leader no longer holds (0 when the
// partition has no leader online: unknown, not lost). Records below the
// log start offset were deleted by retention, not lost.
func (l logs) lost(b batch) int64 {
	log := l[tp{b.topic, b.partition}]
	if log == nil {
		return 0
	}
	n := int64(0)
	for o := max(b.base, log.start); o < b.base+b.n; o++ {
		if o >= log.leo {
			n++
		} else if e := log.epochAt(o); e >= 0 && b.epoch >= 0 && e != b.epoch {
			n++
		}
	}
	return n
}

// epochAt is the leader epoch that wrote offset o (-1 when the cache does
// not reach back to it); the cache lists epochs by start offset.
func (l *leaderLog) epochAt(o int64) int32 {
	e := int32(-1)
	for _, x := range l.epochs {
		if x.StartOffset > o {
			break
		}
		e = x.Epoch
	}
	return e
}
