package lessons

import "github.com/brokerlab/brokerlab/engine/view"

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
// did in the page.
func (g *Goal) EvalFor(s view.Snapshot, evs []view.Event, lr Learner) (ok bool, detail string) {
	return g.Eval(s, evs)
}
