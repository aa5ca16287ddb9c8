package lessons

import (
	"fmt"
	"slices"
	"strings"
	"time"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/rebalance"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates that measure a rebalance with the engine's own measure
// (engine/rebalance, the one BenchmarkRebalanceProtocols reports): the
// partition-seconds no member owned a partition and the time to settle
// after a member joined a settled group.

func init() {
	register[rebalanceCostParams]("rebalance_measured", "a member joined the group (its member-th consumer if member is set, else its latest) while all its partitions were owned, the group rebalances with protocol (eager, cooperative or consumer), and it settled again: every partition owned and no ownership change for 10 s; the detail gives the partition-seconds unowned and the time to settle, measured from the consumers' events; with compare, every group named there must have settled too (any protocol), and the detail lists them all side by side", needsEvents, rebalanceMeasured)
}

// settleQuiet is how long ownership must stay unchanged (and complete)
// before a rebalance counts as settled: more than the consumer protocol's
// default heartbeat interval (5 s), which paces its handovers.
const settleQuiet = 10 * time.Second

var rebalanceProtocols = map[string]string{"eager": "EAGER", "cooperative": "COOPERATIVE", "consumer": "CONSUMER"}

type rebalanceCostParams struct {
	Group    string `json:"group"`
	Protocol string `json:"protocol"`
	// Member picks the join to measure: the start of the group's
	// member-th consumer (0: the latest start).
	Member int `json:"member"`
	// Compare names more groups whose same join must have settled too.
	Compare []string `json:"compare"`
}

func (p *rebalanceCostParams) validate() error {
	if _, ok := rebalanceProtocols[p.Protocol]; !ok {
		return fmt.Errorf("\"protocol\" must be eager, cooperative or consumer; got %q", p.Protocol)
	}
	if p.Member < 0 {
		return fmt.Errorf("\"member\" must not be negative, got %d", p.Member)
	}
	return needGroup(p.Group)
}

// joinCost is one measured join: who joined when, with which protocol,
// and what it cost.
type joinCost struct {
	joiner   string
	protocol string // EAGER, COOPERATIVE or CONSUMER (the joiner's)
	at       time.Duration
	cost     rebalance.Cost
}

// measureJoin measures a join to the group: the start of its member-th
// consumer, or of its latest one (member 0). It returns why there is no
// settled measurement yet.
func measureJoin(s view.Snapshot, evs []view.Event, group string, member int) (joinCost, string) {
	var j joinCost
	var topics []string
	var started []string
	for _, e := range evs {
		if e.Kind != "consumer_started" {
			continue
		}
		d, ok := typed[evdata.ConsumerStarted](e)
		if !ok || d.Group != group || member > 0 && (len(started) >= member || slices.Contains(started, e.Node)) {
			continue
		}
		if !slices.Contains(started, e.Node) {
			started = append(started, e.Node)
		}
		j.joiner, j.protocol, j.at, topics = consumerName(e.Node), d.Protocol, e.At(), d.Topics
	}
	if j.joiner == "" {
		return j, noGroup(group)
	}
	if member > 0 && len(started) < member {
		return j, say("%s of group %s started so far; the goal measures the join of member %d", plural(len(started), "consumer"), group, member)
	}
	counts := map[string]int32{}
	for _, t := range s.Topics {
		if slices.Contains(topics, t.Name) {
			counts[t.Name] = int32(t.Partitions)
		}
	}
	now := time.Duration(s.TimeUS) * time.Microsecond
	before := rebalance.NewMeter(group, counts, j.at, j.at)
	m := rebalance.NewMeter(group, counts, j.at, now)
	for i := range evs {
		before.Observe(&evs[i])
		m.Observe(&evs[i])
	}
	if n := before.Result().Unowned; n > 0 {
		return j, say("%s joined group %s at %s while %s of it had no owner yet: let the group settle, then start one more member", j.joiner, group, at0(j.at), plural(n, "partition"))
	}
	j.cost = m.Result()
	switch {
	case j.cost.Changes == 0:
		return j, say("%s joined group %s at %s; no partition has changed hands yet", j.joiner, group, at0(j.at))
	case j.cost.Unowned == 0 && now-j.at-j.cost.Settle < settleQuiet:
		return j, say("group %s: every partition has an owner again since %s; it counts as settled after %s without a change (%.1f partition-seconds unowned so far)",
			group, at0(j.at+j.cost.Settle), settleQuiet, j.cost.UnownedPartitionS)
	case j.cost.Unowned > 0:
		return j, say("group %s is still rebalancing after %s joined at %s: %s without an owner now, %.1f partition-seconds unowned so far",
			group, j.joiner, at0(j.at), plural(j.cost.Unowned, "partition"), j.cost.UnownedPartitionS)
	}
	return j, ""
}

// at0 formats a time for details: "45.007s".
func at0(d time.Duration) string { return d.Round(time.Millisecond).String() }

// costText is a measured join in words.
func costText(group string, j joinCost) string {
	return say("group %s (%s): %.1f partition-seconds unowned, settled %s after %s joined, %s moved",
		group, strings.ToLower(j.protocol), j.cost.UnownedPartitionS, j.cost.Settle.Round(10*time.Millisecond), j.joiner, plural(j.cost.Moves, "partition"))
}

// rebalanceMeasured: the group's join has settled, under protocol, and so
// has the same join of every group to compare with.
func rebalanceMeasured(s view.Snapshot, evs []view.Event, p *rebalanceCostParams) (bool, string) {
	j, missing := measureJoin(s, evs, p.Group, p.Member)
	if missing != "" {
		return false, missing
	}
	if want := rebalanceProtocols[p.Protocol]; j.protocol != want {
		return false, say("%s joined group %s with the %s protocol, not %s; start the group's next member with the settings the step names",
			j.joiner, p.Group, strings.ToLower(j.protocol), strings.ToLower(want))
	}
	var done, waiting []string
	for _, g := range p.Compare {
		o, missing := measureJoin(s, evs, g, p.Member)
		if missing != "" {
			waiting = append(waiting, missing)
			continue
		}
		done = append(done, costText(g, o))
	}
	done = append(done, costText(p.Group, j))
	return len(waiting) == 0, strings.Join(append(done, waiting...), "; ")
}
