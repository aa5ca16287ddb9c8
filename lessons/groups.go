package lessons

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over consumer groups: state, committed offsets, the
// coordinator, offset offsetResets, rebalances, lag and idle members.

func init() {
	register[groupStateParams]("group_state", "the consumer group exists, in state (if set: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead) with exactly members members (if set)", 0, groupState)
	register[groupCommittedParams]("group_offsets_committed", "the group has committed offsets on the topic's partitions adding up to at least min", 0, groupOffsetsCommitted)
	register[offsetResetParams]("offset_reset_seen", "a consumer of the group, started with auto.offset.reset=reset and no committed offset, began at the earliest or latest offset, or failed with NoOffsetForPartitionException for none", needsEvents, offsetResetSeen)
	register[groupParams]("coordinator_moved", "the group's coordinator moved to another broker (from coordinator_found events) and the new one has loaded the group from __consumer_offsets", needsEvents, coordinatorMoved)
	register[rebalanceParams]("rebalance_seen", "at least min (default 1) rebalances of the running group (not its first) started because of trigger: join, leave, session_timeout, poll_timeout, partitions_added, subscription_changed or any", needsEvents, rebalanceSeen)
	register[groupParams]("partitions_kept_through_rebalance", "in a rebalance after the group's first, a member kept owning a partition (cooperative rebalancing; eager gives everything back first)", needsEvents, partitionsKeptThroughRebalance)
	register[groupLagParams]("group_lag", "the group's total lag (HWM − committed offset, summed over its partitions) compares to n with op, with at least min_members members (if set); unknown lag never matches", 0, groupLag)
	register[idleParams]("idle_members", "the group is Stable and at least min (default 1) of its members own no partition", 0, idleMembers)
}

func findGroup(s view.Snapshot, id string) *view.GroupSnapshot {
	for i := range s.Groups {
		if s.Groups[i].GroupID == id {
			return &s.Groups[i]
		}
	}
	return nil
}

func noGroup(id string) string { return say("group %s does not exist yet", id) }

type groupParams struct {
	Group string `json:"group"`
}

func (p *groupParams) validate() error { return needGroup(p.Group) }

func needGroup(g string) error {
	if g == "" {
		return errors.New("missing \"group\"")
	}
	return nil
}

var groupStates = []string{"Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead"}

type groupStateParams struct {
	Group   string `json:"group"`
	State   string `json:"state"`
	Members *int   `json:"members"`
}

func (p *groupStateParams) validate() error {
	if p.State != "" && !slices.Contains(groupStates, p.State) {
		return fmt.Errorf("\"state\" must be one of %s; got %q", strings.Join(groupStates, ", "), p.State)
	}
	if p.Members != nil && *p.Members < 0 {
		return fmt.Errorf("\"members\" must not be negative, got %d", *p.Members)
	}
	return needGroup(p.Group)
}

// groupState: the group's state and member count.
func groupState(s view.Snapshot, _ []view.Event, p *groupStateParams) (bool, string) {
	g := findGroup(s, p.Group)
	if g == nil {
		return false, noGroup(p.Group)
	}
	detail := say("group %s is %s in generation %d with %s; broker %d coordinates it (it leads __consumer_offsets-%d)",
		g.GroupID, g.State, g.Generation, plural(len(g.Members), "member"), g.Coordinator, g.CoordinatorPartition)
	ok := (p.State == "" || g.State == p.State) && (p.Members == nil || len(g.Members) == *p.Members)
	return ok, detail
}

type groupCommittedParams struct {
	Group string `json:"group"`
	Topic string `json:"topic"`
	Min   int64  `json:"min"`
}

func (p *groupCommittedParams) validate() error {
	if err := needGroup(p.Group); err != nil {
		return err
	}
	if err := needTopic(p.Topic); err != nil {
		return err
	}
	return atLeastOne("min", p.Min)
}

// groupOffsetsCommitted: the committed offsets of the topic's partitions
// add up to at least min.
func groupOffsetsCommitted(s view.Snapshot, _ []view.Event, p *groupCommittedParams) (bool, string) {
	g := findGroup(s, p.Group)
	if g == nil {
		return false, noGroup(p.Group)
	}
	var sum int64
	var parts []string
	for _, gp := range g.Partitions {
		if gp.Topic == p.Topic && gp.Committed >= 0 {
			sum += gp.Committed
			parts = append(parts, fmt.Sprintf("%s-%d=%d", gp.Topic, gp.Partition, gp.Committed))
		}
	}
	if len(parts) == 0 {
		return false, say("group %s has committed no offsets for %s yet", g.GroupID, p.Topic)
	}
	return sum >= p.Min, say("group %s has committed %s (%d in all); the goal is %d", g.GroupID, strings.Join(parts, ", "), sum, p.Min)
}

var offsetResets = []string{"earliest", "latest", "none"}

type offsetResetParams struct {
	Group string `json:"group"`
	Reset string `json:"reset"`
}

func (p *offsetResetParams) validate() error {
	if !slices.Contains(offsetResets, p.Reset) {
		return fmt.Errorf("\"reset\" must be earliest, latest or none; got %q", p.Reset)
	}
	return needGroup(p.Group)
}

// offsetResetSeen: a consumer of the group without a committed offset
// started where its auto.offset.reset said (read from its consumer_started
// configs; Kafka's default is latest), or failed for none.
func offsetResetSeen(_ view.Snapshot, evs []view.Event, p *offsetResetParams) (bool, string) {
	reset := map[string]string{} // node → auto.offset.reset of its latest start
	for _, e := range evs {
		switch e.Kind {
		case "consumer_started":
			r := "latest"
			if d, _ := typed[evdata.ConsumerStarted](e); d.Configs["auto.offset.reset"] != "" {
				r = d.Configs["auto.offset.reset"]
			}
			reset[e.Node] = r
		case "position_reset":
			d, ok := typed[evdata.PositionReset](e)
			if ok && p.Reset != "none" && d.Group == p.Group && reset[e.Node] == p.Reset {
				return true, say("%s started %s-%d at offset %d at %s: no committed offset, auto.offset.reset=%s",
					consumerName(e.Node), d.Topic, d.Partition, d.Offset, at(e), p.Reset)
			}
		case "consumer_error":
			d, ok := typed[evdata.ConsumerError](e)
			if ok && p.Reset == "none" && d.Group == p.Group && reset[e.Node] == "none" &&
				strings.Contains(d.Error, "NoOffsetForPartitionException") {
				return true, say("%s failed at %s: %s", consumerName(e.Node), at(e), d.Error)
			}
		}
	}
	return false, say("no consumer of group %s has started without a committed offset under auto.offset.reset=%s yet", p.Group, p.Reset)
}

// consumerName turns a trace node ("consumer-c1") into words.
func consumerName(node string) string {
	return say("consumer %s", strings.TrimPrefix(node, "consumer-"))
}

// coordinatorMoved: the first coordinator a consumer found for the group
// is no longer the one the snapshot shows, and the new one has loaded the
// group.
func coordinatorMoved(s view.Snapshot, evs []view.Event, p *groupParams) (bool, string) {
	first := int32(-1)
	for _, e := range evs {
		if e.Kind != "coordinator_found" {
			continue
		}
		if d, ok := typed[evdata.CoordinatorFound](e); ok && d.Group == p.Group {
			first = d.Coordinator
			break
		}
	}
	if first < 0 {
		return false, say("no consumer has looked up the coordinator of group %s yet", p.Group)
	}
	g := findGroup(s, p.Group)
	if g == nil {
		return false, noGroup(p.Group)
	}
	if g.Coordinator == first || g.Coordinator < 0 {
		return false, say("broker %d still coordinates group %s (it leads __consumer_offsets-%d)", first, p.Group, g.CoordinatorPartition)
	}
	if !g.Loaded {
		return false, say("broker %d now leads __consumer_offsets-%d and is still loading group %s", g.Coordinator, g.CoordinatorPartition, p.Group)
	}
	kept := 0
	for _, gp := range g.Partitions {
		if gp.Committed >= 0 {
			kept++
		}
	}
	return true, say("group %s moved from broker %d to broker %d, the new leader of __consumer_offsets-%d; it read back committed offsets for %s",
		p.Group, first, g.Coordinator, g.CoordinatorPartition, plural(kept, "partition"))
}

var rebalanceTriggers = []string{"join", "leave", "session_timeout", "poll_timeout", "partitions_added", "subscription_changed", "any"}

type rebalanceParams struct {
	Group   string `json:"group"`
	Trigger string `json:"trigger"`
	Min     int    `json:"min"`
}

func (p *rebalanceParams) validate() error {
	if !slices.Contains(rebalanceTriggers, p.Trigger) {
		return fmt.Errorf("\"trigger\" must be one of %s; got %q", strings.Join(rebalanceTriggers, ", "), p.Trigger)
	}
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return needGroup(p.Group)
}

// rebalanceCause names why a group_state_changed event to
// PreparingRebalance started; lastRemoved is the reason of the group's
// latest member_removed event. It reads the coordinator's reason text.
func rebalanceCause(reason, lastRemoved string) string {
	switch {
	case strings.Contains(reason, "session timed out"):
		return "session_timeout"
	case strings.Contains(reason, "member(s) left"):
		if strings.Contains(lastRemoved, "poll timeout") {
			return "poll_timeout"
		}
		return "leave"
	case strings.Contains(reason, "updated its subscription"):
		return "subscription_changed"
	case strings.Contains(reason, "partitions (the assignment used"):
		return "partitions_added"
	case strings.HasPrefix(reason, "member ") && strings.HasSuffix(reason, " joined"):
		return "join"
	}
	return "other"
}

// rebalanceSeen: rebalances of the running group, by cause.
func rebalanceSeen(_ view.Snapshot, evs []view.Event, p *rebalanceParams) (bool, string) {
	lastRemoved := ""
	n := 0
	var first *view.Event
	firstReason := ""
	var seen []string
	for i, e := range evs {
		switch e.Kind {
		case "member_removed":
			if d, ok := typed[evdata.MemberRemoved](e); ok && d.Group == p.Group {
				lastRemoved = d.Reason
			}
			continue
		case "group_state_changed":
		default:
			continue
		}
		d, ok := typed[evdata.GroupStateChanged](e)
		if !ok || d.Group != p.Group || d.To != "PreparingRebalance" || d.From == "Empty" {
			continue
		}
		cause := rebalanceCause(d.Reason, lastRemoved)
		if p.Trigger == "any" || cause == p.Trigger {
			n++
			if first == nil {
				first, firstReason = &evs[i], d.Reason
			}
		}
		seen = append(seen, say("%s at %s", strings.ReplaceAll(cause, "_", " "), at(e)))
	}
	want := strings.ReplaceAll(p.Trigger, "_", " ")
	if n >= p.Min {
		return true, say("group %s rebalanced %s for %s, first at %s: %s", p.Group, times(n), want, at(*first), firstReason)
	}
	if len(seen) == 0 {
		if first := firstGeneration(evs, p.Group); len(first) > 1 {
			return false, say("group %s has not rebalanced since it formed: %s joined its first generation together, within group.initial.rebalance.delay.ms of the first, and that is no rebalance; start another member now that the group is Stable", p.Group, strings.Join(first, ", "))
		}
		return false, say("group %s has not rebalanced since it formed", p.Group)
	}
	return false, say("group %s rebalanced %s for %s (the goal is %d); its rebalances: %s", p.Group, times(n), want, p.Min, strings.Join(seen, ", "))
}

// firstGeneration lists the consumers that joined the group's first
// generation, in the order they joined.
func firstGeneration(evs []view.Event, group string) []string {
	var out []string
	gen := int32(-1)
	for _, e := range evs {
		if e.Kind != "group_joined" {
			continue
		}
		d, ok := typed[evdata.GroupJoined](e)
		if !ok || d.Group != group {
			continue
		}
		if gen < 0 {
			gen = d.Generation
		}
		if d.Generation != gen {
			break
		}
		name := strings.TrimPrefix(e.Node, "consumer-")
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// partitionsKeptThroughRebalance: a partitions_assigned event after the
// first generation lists partitions the member owned before (not "added"):
// eager members give back everything first, so only cooperative ones do.
func partitionsKeptThroughRebalance(_ view.Snapshot, evs []view.Event, p *groupParams) (bool, string) {
	rebalances := 0
	for _, e := range evs {
		if e.Kind != "partitions_assigned" {
			continue
		}
		d, ok := typed[evdata.PartitionsAssigned](e)
		if !ok || d.Group != p.Group || d.Generation <= 1 {
			continue
		}
		rebalances++
		var kept []string
		for _, tp := range d.Partitions {
			if !slices.Contains(d.Added, tp) {
				kept = append(kept, tp)
			}
		}
		if len(kept) > 0 {
			return true, say("%s kept consuming %s through the rebalance to generation %d (at %s)",
				consumerName(e.Node), strings.Join(kept, " "), d.Generation, at(e))
		}
	}
	if rebalances == 0 {
		return false, say("group %s has not rebalanced since its first generation", p.Group)
	}
	return false, say("in every rebalance of group %s so far, each member gave back all its partitions before getting new ones", p.Group)
}

type groupLagParams struct {
	Group      string `json:"group"`
	Op         string `json:"op"`
	N          *int   `json:"n"`
	MinMembers int    `json:"min_members"`
}

func (p *groupLagParams) validate() error {
	if _, ok := compare[p.Op]; !ok {
		return fmt.Errorf("\"op\" must be one of <, <=, ==, !=, >=, >; got %q", p.Op)
	}
	if p.N == nil || *p.N < 0 {
		return errors.New("\"n\" must be given and not negative")
	}
	if p.MinMembers < 0 {
		return fmt.Errorf("\"min_members\" must not be negative, got %d", p.MinMembers)
	}
	return needGroup(p.Group)
}

// groupLag: the total lag, HWM (LSO for read_committed) − committed offset
// per partition, compares to n.
func groupLag(s view.Snapshot, _ []view.Event, p *groupLagParams) (bool, string) {
	g := findGroup(s, p.Group)
	if g == nil {
		return false, noGroup(p.Group)
	}
	if len(g.Partitions) == 0 {
		return false, say("group %s has no partitions yet", g.GroupID)
	}
	var total int64
	var parts []string
	unknown := false
	for _, gp := range g.Partitions {
		switch {
		case gp.Lag < 0:
			unknown = true
			parts = append(parts, say("%s-%d unknown", gp.Topic, gp.Partition))
		case gp.Committed >= 0:
			total += gp.Lag
			parts = append(parts, fmt.Sprintf("%s-%d %d−%d=%d", gp.Topic, gp.Partition, gp.HWM, gp.Committed, gp.Lag))
		default:
			total += gp.Lag
			parts = append(parts, say("%s-%d %d (nothing committed yet)", gp.Topic, gp.Partition, gp.Lag))
		}
	}
	detail := say("group %s has lag %d with %s (HWM−committed: %s); the goal is %s %d",
		g.GroupID, total, plural(len(g.Members), "member"), strings.Join(parts, ", "), p.Op, *p.N)
	if len(g.Members) < p.MinMembers {
		return false, detail + say(" with at least %d members", p.MinMembers)
	}
	return !unknown && compare[p.Op](int(total), *p.N), detail
}

type idleParams struct {
	Group string `json:"group"`
	Min   int    `json:"min"`
}

func (p *idleParams) validate() error {
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return needGroup(p.Group)
}

// idleMembers: a Stable group with members that own no partition.
func idleMembers(s view.Snapshot, _ []view.Event, p *idleParams) (bool, string) {
	g := findGroup(s, p.Group)
	if g == nil {
		return false, noGroup(p.Group)
	}
	var idle []string
	for _, m := range g.Members {
		if len(m.Assignment) == 0 {
			name := m.Consumer
			if name == "" {
				name = m.MemberID
			}
			idle = append(idle, name)
		}
	}
	detail := say("group %s is %s with %s on %s", g.GroupID, g.State, plural(len(g.Members), "member"), plural(len(g.Partitions), "partition"))
	if len(idle) > 0 {
		detail += say("; idle: %s", strings.Join(idle, ", "))
	} else {
		detail += say("; every member owns a partition")
	}
	return g.State == "Stable" && len(idle) >= p.Min, detail
}
