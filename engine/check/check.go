// Package check is a safety checker in Jepsen's vocabulary: given a run's
// History — the partitions' final logs, the records producers saw
// acknowledged, what consumers read and the leadership events — it reports
// every violation of Kafka's guarantees (lost-write, duplicate,
// inconsistent-offsets, nonmonotonic-poll, poll-skip, hwm-gt-leo,
// two-leaders-one-epoch, two-owners-one-epoch, and for share groups share-skip and
// share-over-delivered) and which acknowledged records were lost. It works
// on data only, so tests, the headless runner and lessons can all use it.
package check

import (
	"fmt"
	"sort"
	"strings"
)

// Kind names a class of violation.
type Kind string

// The kinds of violation, in the order Check reports them.
const (
	// LostWrite: an acknowledged record (acks=1 or all) is not in the
	// partition's final committed log (below the HWM) at its offset.
	LostWrite Kind = "lost-write"
	// Duplicate: one producer record (producer + send order) is in a log twice.
	Duplicate Kind = "duplicate"
	// InconsistentOffsets: two replicas hold different records at an offset
	// below both their HWMs, or consumers read different records at one offset.
	InconsistentOffsets Kind = "inconsistent-offsets"
	// NonmonotonicPoll: a consumer's offsets for a partition went backwards.
	NonmonotonicPoll Kind = "nonmonotonic-poll"
	// PollSkip: a consumer jumped over committed records it should have read.
	PollSkip Kind = "poll-skip"
	// HWMGreaterThanLEO: a replica's high watermark is past its log end.
	HWMGreaterThanLEO Kind = "hwm-gt-leo"
	// TwoLeadersOneEpoch: two brokers led a partition in the same leader epoch.
	TwoLeadersOneEpoch Kind = "two-leaders-one-epoch"
	// TwoOwnersOneEpoch: two members of a consumer group owned a partition
	// at one member epoch (a classic group's generation).
	TwoOwnersOneEpoch Kind = "two-owners-one-epoch"
)

// Kinds lists every kind in report order.
var Kinds = []Kind{LostWrite, Duplicate, InconsistentOffsets, NonmonotonicPoll, PollSkip, HWMGreaterThanLEO, TwoLeadersOneEpoch, TwoOwnersOneEpoch, ShareSkip, ShareOverDelivered}

// Violation is one broken guarantee. Offset is -1 when none applies.
type Violation struct {
	Kind      Kind   `json:"kind"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Detail    string `json:"detail"`
}

func (v Violation) String() string {
	if v.Offset < 0 {
		return fmt.Sprintf("%s %s-%d: %s", v.Kind, v.Topic, v.Partition, v.Detail)
	}
	return fmt.Sprintf("%s %s-%d@%d: %s", v.Kind, v.Topic, v.Partition, v.Offset, v.Detail)
}

// Result is the checker's verdict.
type Result struct {
	Violations []Violation `json:"violations"`
	// Lost lists the acknowledged records that are not in the committed
	// log at their offset, in the order of History.Acks.
	Lost []Ack `json:"lost"`
	// Acked counts acknowledged records with an offset (acks=1 or all);
	// Read counts consumer reads.
	Acked int `json:"acked"`
	Read  int `json:"read"`
}

// OK reports whether there is no violation.
func (r Result) OK() bool { return len(r.Violations) == 0 }

// Count returns how many violations of kind there are.
func (r Result) Count(kind Kind) int {
	n := 0
	for _, v := range r.Violations {
		if v.Kind == kind {
			n++
		}
	}
	return n
}

// Summary is one line such as "ok: 412 acknowledged, 380 read" or
// "lost-write×3 duplicate×1 (412 acknowledged, 380 read)".
func (r Result) Summary() string {
	if r.OK() {
		return fmt.Sprintf("ok: %d acknowledged, %d read", r.Acked, r.Read)
	}
	var parts []string
	for _, k := range Kinds {
		if n := r.Count(k); n > 0 {
			parts = append(parts, fmt.Sprintf("%s×%d", k, n))
		}
	}
	return fmt.Sprintf("%s (%d acknowledged, %d read)", strings.Join(parts, " "), r.Acked, r.Read)
}

// Check runs every check on h.
func Check(h History) Result {
	var r Result
	for _, a := range h.Acks {
		if a.Offset >= 0 {
			r.Acked++
		}
	}
	r.Read = len(h.Reads)
	lost, lostAcks := lostWrites(&h)
	r.Lost = lostAcks
	r.Violations = append(r.Violations, lost...)
	r.Violations = append(r.Violations, duplicates(&h)...)
	r.Violations = append(r.Violations, inconsistentReads(&h)...)
	r.Violations = append(r.Violations, polls(&h)...)
	r.Violations = append(r.Violations, CheckReplicas(h.Partitions)...)
	r.Violations = append(r.Violations, CheckLeaders(h.Events)...)
	r.Violations = append(r.Violations, CheckOwners(h.Events)...)
	r.Violations = append(r.Violations, checkShares(&h)...)
	sortViolations(r.Violations)
	return r
}

// CheckReplicas runs the checks on replica state alone, which hold whatever
// acks and election settings say: no HWM past its LEO (hwm-gt-leo), and
// replicas agree on every record below both their HWMs
// (inconsistent-offsets; only where Records are filled in). Without
// records it is cheap enough to run after every step of a simulation.
func CheckReplicas(parts []Partition) []Violation {
	out := inconsistentReplicas(parts)
	for _, p := range parts {
		for _, r := range p.Replicas {
			if r.HWM > r.LEO {
				out = append(out, Violation{Kind: HWMGreaterThanLEO, Topic: p.Topic, Partition: p.Partition, Offset: r.HWM,
					Detail: fmt.Sprintf("broker %d's high watermark %d is past its log end offset %d", r.Broker, r.HWM, r.LEO)})
			}
		}
	}
	return out
}

func sortViolations(vs []Violation) {
	rank := map[Kind]int{}
	for i, k := range Kinds {
		rank[k] = i
	}
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if rank[a.Kind] != rank[b.Kind] {
			return rank[a.Kind] < rank[b.Kind]
		}
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.Partition != b.Partition {
			return a.Partition < b.Partition
		}
		return a.Offset < b.Offset
	})
}

// quote shortens a key or value for a detail line.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return fmt.Sprintf("%q", s)
}
