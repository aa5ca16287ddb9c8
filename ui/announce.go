package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// announcer turns the changes that matter to a learner who cannot see the
// cluster view (a new leader, a partition without one, an ISR that shrank or
// grew, a goal met) into one polite message for screen readers (the page's
// aria-live region). At most one message every announceEveryMS: a running
// cluster changes many times a second, and a flood is as useless as silence.
type announcer struct {
	gen     int                  // the session's Gen the state below is from
	nowUS   int64                // the snapshot's time (a rewind starts over)
	parts   map[string]partState // by "topic-partition"
	pending []string
	lastMS  float64
}

type partState struct {
	leader, epoch int32
	isr           string
}

// announceEveryMS is the shortest wall time between two announcements.
const announceEveryMS = 3000.0

// maxAnnounced is how many changes one message reads out; the rest are
// counted ("And 4 more changes.").
const maxAnnounced = 2

// observe compares a snapshot with the last one and queues what changed. A
// new run (gen) or a jump back in time starts over without a word: the
// learner asked for it.
func (an *announcer) observe(gen int, snap view.Snapshot) {
	fresh := an.parts == nil || gen != an.gen || snap.TimeUS < an.nowUS
	an.gen, an.nowUS = gen, snap.TimeUS
	if fresh {
		an.parts, an.pending = map[string]partState{}, nil
	}
	for _, p := range snap.Partitions {
		if strings.HasPrefix(p.Topic, "__") {
			continue // internal topics: noise for a learner
		}
		name := p.Topic + "-" + strconv.Itoa(int(p.Partition))
		now := partState{leader: p.Leader, epoch: p.LeaderEpoch, isr: joinIDs(p.ISR, " ")}
		was, seen := an.parts[name]
		an.parts[name] = now
		if fresh || !seen {
			continue
		}
		switch {
		case now.leader != was.leader && now.leader < 0:
			an.pending = append(an.pending, Tf("a11y.noleader", name))
		case now.leader != was.leader || now.epoch != was.epoch && now.leader >= 0:
			an.pending = append(an.pending, Tf("a11y.leader", name, now.leader, now.epoch))
		}
		switch n, w := len(p.ISR), len(strings.Fields(was.isr)); {
		case n < w:
			an.pending = append(an.pending, Tf("a11y.isr.shrink", name, now.isr))
		case n > w:
			an.pending = append(an.pending, Tf("a11y.isr.expand", name, now.isr))
		}
	}
}

// goal queues a goal met.
func (an *announcer) goal(text string) {
	an.pending = append(an.pending, Tf("a11y.goal", text))
}

// take returns the message due at wall time nowMS, if one is.
func (an *announcer) take(nowMS float64) (string, bool) {
	if len(an.pending) == 0 || an.lastMS > 0 && nowMS-an.lastMS < announceEveryMS {
		return "", false
	}
	n := min(len(an.pending), maxAnnounced)
	msg := strings.Join(an.pending[:n], " ")
	if rest := len(an.pending) - n; rest > 0 {
		msg += " " + fmt.Sprintf(T("a11y.more"), rest)
	}
	an.pending, an.lastMS = nil, nowMS
	return msg, true
}
