package lessons

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, shareCases) }

// workers is a share group of three running members on a topic of two
// partitions; s3 has received nothing yet, slow crashed.
func workers() view.Snapshot {
	return view.Snapshot{
		Groups: []view.GroupSnapshot{{GroupID: "workers", GroupProtocol: "share", State: "Stable",
			Share: &view.ShareGroupView{Partitions: []view.SharePartitionView{{Topic: "jobs", Partition: 0}, {Topic: "jobs", Partition: 1}}}}},
		ShareConsumers: []view.ShareConsumerSnapshot{
			{Name: "s1", Group: "workers", State: "running", Delivered: 30, ProcessMs: 100},
			{Name: "s2", Group: "workers", State: "running", Delivered: 25, ProcessMs: 100},
			{Name: "s3", Group: "workers", State: "running", Delivered: 0, ProcessMs: 100},
			{Name: "slow", Group: "workers", State: "crashed", Delivered: 2, ProcessMs: 3000},
		},
	}
}

func shareCases() []eventCase {
	s, none := workers(), view.Snapshot{}
	busy := workers()
	busy.ShareConsumers[2].Delivered = 4
	two := workers()
	two.ShareConsumers = two.ShareConsumers[:2]
	expired := []view.Event{
		{TimeUS: 40_000_000, Kind: "share_lock_released", Data: map[string]any{"group": "workers", "member_id": "slow-1", "reason": "group.share.record.lock.duration.ms=30000 passed", "available": []any{float64(7)}}},
		{TimeUS: 40_100_000, Kind: "share_records_acquired", Data: map[string]any{"group": "workers", "member_id": "s1-1", "redelivered": float64(1)}},
	}
	archived := []view.Event{
		{TimeUS: 75_300_000, Kind: "share_records_archived", Data: map[string]any{"group": "retry", "offsets": []any{float64(9)}, "reason": "it was released after reaching group.share.delivery.count.limit"}},
	}
	return []eventCase{
		{"share_members_busy", `{"group":"workers"}`, busy, nil, true, "share group workers has 3 running members on 2 partitions and every one received records"},
		{"share_members_busy", `{"group":"workers"}`, s, nil, false, "share group workers has 3 running members on 2 partitions; still waiting for records: s3"},
		{"share_members_busy", `{"group":"workers"}`, two, nil, false, "share group workers has 2 running members on 2 partitions: start more share consumers than partitions"},
		{"share_members_busy", `{"group":"workers"}`, none, nil, false, "share group workers does not exist yet"},

		{"share_consumer", `{"consumer":"slow","min_process_ms":1000,"min_delivered":1}`, s, nil, true, "share consumer slow is crashed, takes 3000 ms per record and received 2 records"},
		{"share_consumer", `{"consumer":"slow","state":"running"}`, s, nil, false, "share consumer slow is crashed, takes 3000 ms per record and received 2 records"},
		{"share_consumer", `{"consumer":"s1","min_process_ms":1000}`, s, nil, false, "share consumer s1 is running, takes 100 ms per record and received 30 records"},
		{"share_consumer", `{"consumer":"late"}`, s, nil, false, "share consumer late has not started yet"},

		{"share_lock_expired", `{"group":"workers"}`, none, expired, true, "at 40s the lock of member slow-1 ran out; at 40.1s member s1-1 acquired records again"},
		{"share_lock_expired", `{"group":"workers"}`, none, expired[:1], false, "at 40s the lock of member slow-1 ran out; no other member has acquired those records yet"},
		{"share_lock_expired", `{"group":"retry"}`, none, expired, false, "no lock of share group retry has run out yet"},

		{"share_record_archived", `{"group":"retry","why":"limit"}`, none, archived, true, "at 1m15.3s share group retry archived records: it was released after reaching group.share.delivery.count.limit"},
		{"share_record_archived", `{"group":"retry","why":"rejected"}`, none, archived, false, "share group retry has archived no record that way yet"},
		{"share_record_archived", `{"group":"workers"}`, none, archived, false, "share group workers has archived no record that way yet"},
	}
}

func TestSharePredicates(t *testing.T) { runCases(t, shareCases()) }

func TestSharePredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"share_members_busy", `{}`, `missing "group"`},
		{"share_members_busy", `{"group":"g","min":-1}`, `"min" must be at least 1, got -1`},
		{"share_consumer", `{}`, `missing "consumer"`},
		{"share_consumer", `{"consumer":"c","state":"gone"}`, `"state" must be one of running, crashed, closed; got "gone"`},
		{"share_record_archived", `{"group":"g","why":"dlq"}`, `"why" must be any, limit or rejected; got "dlq"`},
	} {
		_, err := LookupPredicate(c.check).ParseParams([]byte(c.params))
		if err == nil || err.Error() != c.err {
			t.Errorf("%s %s: error %v, want %q", c.check, c.params, err, c.err)
		}
	}
}
