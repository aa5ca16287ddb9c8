package lessons

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over share groups (KIP-932): members beyond the partition
// count all receiving records, a share consumer's counts, records coming
// back after their acquisition lock ran out, and records archived.

func init() {
	register[idleParams]("share_members_busy", "the share group has more running share consumers than share-partitions and each of them received at least min (default 1) records", 0, shareMembersBusy)
	register[shareConsumerParams]("share_consumer", "the share consumer exists, in state (running, crashed, closed) if set, processing each record for at least min_process_ms and having received at least min_delivered records", 0, shareConsumer)
	register[groupParams]("share_lock_expired", "records a member of the share group held went back to Available when group.share.record.lock.duration.ms passed, and another member acquired one of them again (delivery count above 1)", needsEvents, shareLockExpired)
	register[shareArchivedParams]("share_record_archived", "a record of the share group was archived: because it was released or its lock expired until group.share.delivery.count.limit (why limit), because the consumer rejected it (why rejected), or either (why any, the default)", needsEvents, shareRecordArchived)
}

// shareGroup is the share group id of the snapshot, nil if there is none.
func shareGroup(s view.Snapshot, id string) *view.GroupSnapshot {
	if g := findGroup(s, id); g != nil && g.Share != nil {
		return g
	}
	return nil
}

// shareMembersBusy: more running members than share-partitions, and
// every one of them received records.
func shareMembersBusy(s view.Snapshot, _ []view.Event, p *idleParams) (bool, string) {
	g := shareGroup(s, p.Group)
	if g == nil {
		return false, say("share group %s does not exist yet", p.Group)
	}
	parts := len(g.Share.Partitions)
	running, idle := 0, []string{}
	for _, c := range s.ShareConsumers {
		if c.Group != p.Group || c.State != "running" {
			continue
		}
		running++
		if c.Delivered < int64(p.Min) {
			idle = append(idle, c.Name)
		}
	}
	if running <= parts {
		return false, say("share group %s has %s on %s: start more share consumers than partitions", p.Group, plural(running, "running member"), plural(parts, "partition"))
	}
	if len(idle) > 0 {
		return false, say("share group %s has %s on %s; still waiting for records: %s", p.Group, plural(running, "running member"), plural(parts, "partition"), strings.Join(idle, ", "))
	}
	return true, say("share group %s has %s on %s and every one received records", p.Group, plural(running, "running member"), plural(parts, "partition"))
}

var shareConsumerStates = []string{"running", "crashed", "closed"}

type shareConsumerParams struct {
	Consumer     string `json:"consumer"`
	State        string `json:"state"`
	MinProcessMs int64  `json:"min_process_ms"`
	MinDelivered int64  `json:"min_delivered"`
}

func (p *shareConsumerParams) validate() error {
	if p.Consumer == "" {
		return errors.New("missing \"consumer\"")
	}
	if p.State != "" && !slices.Contains(shareConsumerStates, p.State) {
		return fmt.Errorf("\"state\" must be one of %s; got %q", strings.Join(shareConsumerStates, ", "), p.State)
	}
	if p.MinProcessMs < 0 || p.MinDelivered < 0 {
		return errors.New("\"min_process_ms\" and \"min_delivered\" must not be negative")
	}
	return nil
}

// shareConsumer: a share consumer's state, processing time and records.
func shareConsumer(s view.Snapshot, _ []view.Event, p *shareConsumerParams) (bool, string) {
	for _, c := range s.ShareConsumers {
		if c.Name != p.Consumer {
			continue
		}
		detail := say("share consumer %s is %s, takes %d ms per record and received %s", c.Name, c.State, c.ProcessMs, plural(int(c.Delivered), "record"))
		ok := (p.State == "" || c.State == p.State) && c.ProcessMs >= p.MinProcessMs && c.Delivered >= p.MinDelivered
		return ok, detail
	}
	return false, say("share consumer %s has not started yet", p.Consumer)
}

// lockReason starts the reason of a share_lock_released event for an
// expired acquisition lock (engine/broker/share_host.go).
const lockReason = "group.share.record.lock.duration.ms="

// shareLockExpired: a lock of the group ran out with records going back
// to Available, and afterwards another member acquired a record again.
func shareLockExpired(_ view.Snapshot, evs []view.Event, p *groupParams) (bool, string) {
	var released *view.Event
	for i := range evs {
		e := &evs[i]
		if released == nil {
			if e.Kind == "share_lock_released" && dataString(e.Data, "group") == p.Group &&
				strings.HasPrefix(dataString(e.Data, "reason"), lockReason) && hasItems(e.Data["available"]) {
				released = e
			}
			continue
		}
		if e.Kind == "share_records_acquired" && dataString(e.Data, "group") == p.Group && dataIntOr(e.Data, "redelivered") > 0 &&
			dataString(e.Data, "member_id") != dataString(released.Data, "member_id") {
			return true, say("at %s the lock of member %s ran out; at %s member %s acquired records again", at(*released), dataString(released.Data, "member_id"), at(*e), dataString(e.Data, "member_id"))
		}
	}
	if released != nil {
		return false, say("at %s the lock of member %s ran out; no other member has acquired those records yet", at(*released), dataString(released.Data, "member_id"))
	}
	return false, say("no lock of share group %s has run out yet", p.Group)
}

// hasItems reports whether v is a non-empty list.
func hasItems(v any) bool {
	switch l := v.(type) {
	case []any:
		return len(l) > 0
	case []int64:
		return len(l) > 0
	}
	return false
}

type shareArchivedParams struct {
	Group string `json:"group"`
	Why   string `json:"why"`
}

func (p *shareArchivedParams) validate() error {
	if p.Why == "" {
		p.Why = "any"
	}
	if !slices.Contains([]string{"any", "limit", "rejected"}, p.Why) {
		return fmt.Errorf("\"why\" must be any, limit or rejected; got %q", p.Why)
	}
	return needGroup(p.Group)
}

// shareRecordArchived: a share_records_archived event of the group for the
// reason asked.
func shareRecordArchived(_ view.Snapshot, evs []view.Event, p *shareArchivedParams) (bool, string) {
	for _, e := range evs {
		if e.Kind != "share_records_archived" || dataString(e.Data, "group") != p.Group {
			continue
		}
		why := dataString(e.Data, "reason")
		limit := strings.Contains(why, "delivery.count.limit")
		if p.Why == "any" || (p.Why == "limit") == limit {
			return true, say("at %s share group %s archived records: %s", at(e), p.Group, why)
		}
	}
	return false, say("share group %s has archived no record that way yet", p.Group)
}
