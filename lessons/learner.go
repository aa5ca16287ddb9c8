package lessons

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Learner is what the learner did in the page that the engine cannot see:
// the records they opened. Goals that ask the learner to look at something
// check it here.
type Learner struct {
	Opened []RecordRef
}

// RecordRef names one record of one partition.
type RecordRef struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
}

// learnerOps are solution ops the page runs itself (never sent to the
// engine): open_record {"topic", "partition", "offset"} opens a record.
var learnerOps = map[string]bool{"open_record": true}

// IsLearnerOp reports whether a solution op is done in the page, not by
// the engine.
func IsLearnerOp(op string) bool { return learnerOps[op] }

// EvalFor checks the goal against the engine's state and what the learner
// did in the page: a goal with "opened": true holds only once the learner
// opened a record that shows what the goal is about.
func (g *Goal) EvalFor(s view.Snapshot, evs []view.Event, lr Learner) (ok bool, detail string) {
	if g.pred == nil {
		return false, fmt.Sprintf("goal %q was not loaded with its lesson", g.ID)
	}
	return g.pred.eval(s, evs, lr, g.params)
}

// AsksToOpen reports whether the goal holds only after the learner opened
// a record (its params say "opened": true).
func (g *Goal) AsksToOpen() bool {
	o, ok := g.params.(interface{ asksToOpen() bool })
	return ok && o.asksToOpen()
}

// openParam is the "opened" param of the record predicates that can ask
// the learner to open a record: when true, the goal holds only once the
// learner opened one of the records that make it hold.
type openParam struct {
	Opened bool `json:"opened"`
}

func (o openParam) asksToOpen() bool { return o.Opened }

// witnesses are the records that make a goal hold, by partition.
type witnesses map[int32]map[int64]bool

func (w witnesses) add(partition int32, offset int64) {
	if w[partition] == nil {
		w[partition] = map[int64]bool{}
	}
	w[partition][offset] = true
}

// opened returns the witnesses of topic the learner opened, and in how
// many partitions.
func (w witnesses) opened(topic string, lr Learner) (refs []RecordRef, partitions int) {
	seen := map[RecordRef]bool{}
	parts := map[int32]bool{}
	for _, r := range lr.Opened {
		if r.Topic != topic || !w[r.Partition][r.Offset] || seen[r] {
			continue
		}
		seen[r] = true
		parts[r.Partition] = true
		refs = append(refs, r)
	}
	return refs, len(parts)
}

// firstWitness names one witness, lowest partition and offset first.
func (w witnesses) first(topic string) string {
	best := RecordRef{Partition: -1}
	for p, offs := range w {
		for o := range offs {
			if best.Partition < 0 || p < best.Partition || (p == best.Partition && o < best.Offset) {
				best = RecordRef{topic, p, o}
			}
		}
	}
	if best.Partition < 0 {
		return ""
	}
	return say("offset %d of %s-%d", best.Offset, best.Topic, best.Partition)
}

// check finishes a goal that holds in the engine's state (detail says
// why): with "opened" it holds only once the learner opened witnesses of
// topic in at least partitions partitions.
func (o openParam) check(topic string, w witnesses, partitions int, lr Learner, detail string) (bool, string) {
	if !o.Opened {
		return true, detail
	}
	refs, n := w.opened(topic, lr)
	switch {
	case n >= partitions:
		return true, say("%s; you opened %s", detail, plural(len(refs), "record"))
	case n == 0:
		return false, say("%s; now open such a record in the record panel, for example the one at %s", detail, w.first(topic))
	}
	return false, say("%s; you opened such a record in %s, now open one in %s more", detail, plural(n, "partition"), plural(partitions-n, "partition"))
}
