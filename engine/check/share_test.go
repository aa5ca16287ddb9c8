package check

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// shareGood is good() with share group g on t-0: started at SPSO 0, the
// SPSO reached 5; members got 0, 1, 2 and 4 (4 twice), 3 was archived.
func shareGood() History {
	h := good()
	h.ShareDeliveryLimit = 5
	ev := func(kind string, data map[string]any) view.Event {
		return view.Event{Kind: kind, Node: "broker-1", Topic: "t", Partition: ptr(0), Data: data}
	}
	h.Events = append(h.Events,
		ev("share_partition_initialized", map[string]any{"group": "g", "spso": float64(0), "from": "share.auto.offset.reset=earliest"}),
		ev("share_records_archived", map[string]any{"group": "g", "offsets": []any{float64(3)}}))
	h.ShareSPSOs = []ShareSPSO{{Group: "g", Topic: "t", SPSO: 5}, {Group: "g", Topic: "t", SPSO: 3}}
	for _, r := range []struct {
		off   int64
		count int
	}{{0, 1}, {1, 1}, {2, 1}, {4, 1}, {4, 2}} {
		h.ShareReads = append(h.ShareReads, ShareRead{Consumer: "s", Group: "g", Topic: "t", Offset: r.off, DeliveryCount: r.count})
	}
	return h
}

// TestShareChecks: the healthy share history passes, and each mutation is
// caught — a checker that finds nothing is broken.
func TestShareChecks(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(h *History)
		want   map[Kind]int
	}{
		{"good", func(h *History) {}, nil},
		{"a record below the SPSO nobody got", func(h *History) { h.ShareReads = h.ShareReads[1:] }, map[Kind]int{ShareSkip: 1}},
		{"an archived record not archived", func(h *History) {
			var kept []view.Event
			for _, e := range h.Events {
				if e.Kind != "share_records_archived" {
					kept = append(kept, e)
				}
			}
			h.Events = kept
		}, map[Kind]int{ShareSkip: 1}},
		{"the other group's reads do not count", func(h *History) { h.ShareReads[0].Group = "other" }, map[Kind]int{ShareSkip: 1}},
		{"delivered past the limit", func(h *History) { h.ShareReads[4].DeliveryCount = 6 }, map[Kind]int{ShareOverDelivered: 1}},
		{"a restored partition does not move the start", func(h *History) {
			h.Events = append(h.Events, view.Event{Kind: "share_partition_initialized", Topic: "t", Partition: ptr(0), Data: map[string]any{"group": "g", "spso": float64(4), "from": "the persisted state"}})
			h.ShareReads = h.ShareReads[1:]
		}, map[Kind]int{ShareSkip: 1}},
	}
	for _, c := range cases {
		h := shareGood()
		c.mutate(&h)
		r := Check(h)
		for _, k := range []Kind{ShareSkip, ShareOverDelivered} {
			if got := r.Count(k); got != c.want[k] {
				t.Errorf("%s: %s×%d, want %d (%v)", c.name, k, got, c.want[k], r.Violations)
			}
		}
	}
}
