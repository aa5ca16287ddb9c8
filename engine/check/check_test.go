package check

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// good is a healthy history: t-0 on brokers 1 (leader), 2 and 3, five
// committed records every replica agrees on, all acknowledged, all read once.
func good() History {
	recs := func(n int) []Record {
		var out []Record
		for i := 0; i < n; i++ {
			out = append(out, Record{Offset: int64(i), Key: fmt.Sprintf("k%d", i%2), Value: fmt.Sprintf("v%d", i), LeaderEpoch: 1})
		}
		return out
	}
	h := History{Partitions: []Partition{{Topic: "t", Partition: 0, Replicas: []Replica{
		{Broker: 1, Leader: true, LeaderEpoch: 1, HWM: 5, LEO: 5, Records: recs(5)},
		{Broker: 2, LeaderEpoch: 1, HWM: 5, LEO: 5, Records: recs(5)},
		{Broker: 3, LeaderEpoch: 1, HWM: 5, LEO: 5, Records: recs(5)},
	}}}}
	for i := 0; i < 5; i++ {
		h.Acks = append(h.Acks, Ack{Producer: "p", Seq: int64(i), Topic: "t", Offset: int64(i), Key: fmt.Sprintf("k%d", i%2), Value: fmt.Sprintf("v%d", i)})
		h.Reads = append(h.Reads, Read{Consumer: "c", Topic: "t", Offset: int64(i), Key: fmt.Sprintf("k%d", i%2), Value: fmt.Sprintf("v%d", i)})
	}
	h.Events = []view.Event{
		{Seq: 1, TimeUS: 1000, Kind: "became_leader", Node: "broker-1", Topic: "t", Partition: ptr(0), Data: map[string]any{"leader_epoch": int32(1)}},
		{Seq: 2, TimeUS: 2000, Kind: "position_reset", Node: "consumer-c", Data: map[string]any{"topic": "t", "partition": int32(0), "offset": int64(0)}},
	}
	return h
}

func ptr(p int32) *int32 { return &p }

// owning is a partitions_assigned event of group g: consumer owns parts at epoch.
func owning(us int64, consumer string, epoch int32, parts ...string) view.Event {
	ps := make([]any, len(parts))
	for i, p := range parts {
		ps[i] = p
	}
	return view.Event{TimeUS: us, Kind: "partitions_assigned", Node: "consumer-" + consumer,
		Data: map[string]any{"group": "g", "generation": epoch, "partitions": ps}}
}

// each applies f to every replica of t-0.
func each(h *History, f func(r *Replica)) {
	for i := range h.Partitions[0].Replicas {
		f(&h.Partitions[0].Replicas[i])
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(h *History)
		want   map[Kind]int
		detail string // a phrase the first violation must contain
	}{
		{"good", func(h *History) {}, nil, ""},

		// lost-write
		{"lost: log truncated below acknowledged offsets", func(h *History) {
			each(h, func(r *Replica) { r.Records, r.HWM, r.LEO = r.Records[:3], 3, 3 })
			h.Reads = h.Reads[:3]
		}, map[Kind]int{LostWrite: 2}, "ends at offset 3"},
		{"lost: another record at the offset, the acknowledged one later", func(h *History) {
			each(h, func(r *Replica) {
				moved := r.Records[2]
				moved.Offset = 5
				r.Records[2] = Record{Offset: 2, Key: "x", Value: "other", LeaderEpoch: 2}
				r.Records = append(r.Records, moved)
				r.HWM, r.LEO = 6, 6
			})
			h.Reads[2].Key, h.Reads[2].Value = "x", "other"
		}, map[Kind]int{LostWrite: 1}, `the same key and value are committed at offset 5`},
		{"lost: a null key is printed as null, not \"\"", func(h *History) {
			h.Acks[2].Key, h.Acks[2].KeyNull = "", true
			each(h, func(r *Replica) { r.Records[2].Key, r.Records[2].KeyNull = "", false })
			h.Reads[2].Key = ""
		}, map[Kind]int{LostWrite: 1}, `(key null, value "v2") acknowledged at offset 2: broker 1 (leader, epoch 1) holds key "", value "v2" there instead`},
		{"lost: acknowledged but above the high watermark", func(h *History) {
			each(h, func(r *Replica) { r.HWM = 3 })
			h.Reads = h.Reads[:3]
		}, map[Kind]int{LostWrite: 2}, "above its high watermark 3"},
		{"lost: no replica online", func(h *History) { h.Partitions = nil }, map[Kind]int{LostWrite: 5}, "no replica of the partition is online"},
		{"quiet: acks=0 records have no offset to check", func(h *History) {
			h.Acks = append(h.Acks, Ack{Producer: "p", Seq: 9, Topic: "t", Offset: -1, Key: "never", Value: "written"})
		}, nil, ""},
		{"quiet: records deleted by retention are not lost", func(h *History) {
			each(h, func(r *Replica) { r.Records, r.LogStartOffset = r.Records[2:], 2 })
		}, nil, ""},

		// duplicate
		{"duplicate: a record twice in the log", func(h *History) {
			each(h, func(r *Replica) {
				d := r.Records[1]
				d.Offset = 5
				r.Records = append(r.Records, d)
				r.HWM, r.LEO = 6, 6
			})
		}, map[Kind]int{Duplicate: 1}, "at offsets 1, 5"},
		{"quiet: two producer records alike are not matched", func(h *History) {
			each(h, func(r *Replica) {
				d := r.Records[1]
				d.Offset = 5
				r.Records = append(r.Records, d)
				r.HWM, r.LEO = 6, 6
			})
			h.Acks = append(h.Acks, Ack{Producer: "p", Seq: 5, Topic: "t", Offset: 5, Key: "k1", Value: "v1"})
		}, nil, ""},

		// inconsistent-offsets
		{"inconsistent: a replica differs below both HWMs", func(h *History) {
			h.Partitions[0].Replicas[2].Records[3].Value = "forked"
		}, map[Kind]int{InconsistentOffsets: 2}, "brokers 1 and 3 disagree"},
		{"quiet: a replica differs only above its HWM", func(h *History) {
			r := &h.Partitions[0].Replicas[2]
			r.Records[4].Value, r.HWM = "forked", 4
		}, nil, ""},
		{"inconsistent: consumers read different records at one offset", func(h *History) {
			h.Reads = append(h.Reads, Read{Consumer: "d", Topic: "t", Offset: 1, Key: "k1", Value: "ghost"})
		}, map[Kind]int{InconsistentOffsets: 1}, "consumer d read key \"k1\", value \"ghost\" at offset 1, but consumer c read"},
		{"inconsistent: a consumer read past the final log end", func(h *History) {
			h.Reads = append(h.Reads, Read{Consumer: "c", Topic: "t", Offset: 5, Key: "k", Value: "ghost"})
		}, map[Kind]int{InconsistentOffsets: 1}, "ends at offset 5"},

		// nonmonotonic-poll
		{"nonmonotonic: offsets go back", func(h *History) {
			h.Reads = append(h.Reads, h.Reads[2])
		}, map[Kind]int{NonmonotonicPoll: 1}, "read offset 2 after offset 4"},
		{"quiet: two consumers each go forward", func(h *History) {
			for _, r := range append([]Read(nil), h.Reads...) {
				r.Consumer = "d"
				h.Reads = append(h.Reads, r)
			}
		}, nil, ""},

		// poll-skip
		{"skip: a consumer jumps over a committed record", func(h *History) {
			h.Reads = append(h.Reads[:2], h.Reads[3:]...)
		}, map[Kind]int{PollSkip: 1}, "skipping 1 committed records (offsets 2–2)"},
		{"skip: the first read is past the reset position", func(h *History) {
			h.Reads = h.Reads[2:]
		}, map[Kind]int{PollSkip: 1}, "started at offset 0 but first read offset 2"},
		{"quiet: no known start position", func(h *History) {
			h.Reads = h.Reads[2:]
			h.Events = h.Events[:1]
		}, nil, ""},
		{"quiet: the gap was deleted by retention", func(h *History) {
			each(h, func(r *Replica) { r.Records, r.LogStartOffset = r.Records[3:], 3 })
			h.Reads = append(h.Reads[:2], h.Reads[3:]...)
		}, nil, ""},

		// hwm-gt-leo
		{"hwm past the log end", func(h *History) { h.Partitions[0].Replicas[1].HWM = 6 }, map[Kind]int{HWMGreaterThanLEO: 1}, "broker 2's high watermark 6 is past its log end offset 5"},

		// two-leaders-one-epoch
		{"two leaders in one epoch", func(h *History) {
			h.Events = append(h.Events, view.Event{Seq: 3, TimeUS: 3000, Kind: "became_leader", Node: "broker-3", Topic: "t", Partition: ptr(0), Data: map[string]any{"leader_epoch": int32(1)}})
		}, map[Kind]int{TwoLeadersOneEpoch: 1}, "broker-1 (at 1ms) and broker-3 (at 3ms) both became leader in leader epoch 1"},
		{"quiet: the same broker leads an epoch again", func(h *History) {
			h.Events = append(h.Events, h.Events[0])
		}, nil, ""},
		{"quiet: a new leader in a new epoch", func(h *History) {
			h.Events = append(h.Events, view.Event{Kind: "became_leader", Node: "broker-3", Topic: "t", Partition: ptr(0), Data: map[string]any{"leader_epoch": int32(2)}})
		}, nil, ""},

		// two-owners-one-epoch
		{"two members own a partition at one member epoch", func(h *History) {
			h.Events = append(h.Events, owning(4000, "c1", 3, "t-0", "t-1"), owning(5000, "c2", 3, "t-1"))
		}, map[Kind]int{TwoOwnersOneEpoch: 1}, "group g: c1 (since 4ms) and c2 (at 5ms) both own t-1 at epoch 3"},
		{"quiet: the partition moves after its owner revoked it", func(h *History) {
			h.Events = append(h.Events, owning(4000, "c1", 3, "t-0", "t-1"),
				view.Event{TimeUS: 4500, Kind: "partitions_revoked", Node: "consumer-c1", Data: map[string]any{"group": "g", "partitions": []any{"t-1"}, "generation": int32(3)}},
				owning(5000, "c2", 3, "t-1"))
		}, nil, ""},
		{"quiet: a fenced zombie still holds it at an older epoch", func(h *History) {
			h.Events = append(h.Events, owning(4000, "c1", 3, "t-0", "t-1"), owning(5000, "c2", 4, "t-0", "t-1"))
		}, nil, ""},
		{"a new member epoch restamps what the member owns", func(h *History) {
			h.Events = append(h.Events, owning(4000, "c1", 3, "t-0"),
				view.Event{TimeUS: 4500, Kind: "member_epoch_changed", Node: "consumer-c1", Data: map[string]any{"group": "g", "member_epoch": int32(5), "assignment": []any{"t-0"}}},
				owning(5000, "c2", 5, "t-0"))
		}, map[Kind]int{TwoOwnersOneEpoch: 1}, "both own t-0 at epoch 5"},
		{"quiet: a crashed owner owns nothing", func(h *History) {
			h.Events = append(h.Events, owning(4000, "c1", 3, "t-0"),
				view.Event{TimeUS: 4500, Kind: "consumer_crashed", Node: "consumer-c1", Data: map[string]any{"group": "g"}},
				owning(5000, "c2", 3, "t-0"))
		}, nil, ""},
		{"quiet: another group owns it at the same epoch", func(h *History) {
			other := owning(5000, "c2", 3, "t-0")
			other.Data["group"] = "h"
			h.Events = append(h.Events, owning(4000, "c1", 3, "t-0"), other)
		}, nil, ""},
		{"quiet: a member's reads are not polls (it resumes at the committed offset)", func(h *History) {
			h.Events = append(h.Events, owning(500, "c", 1, "t-0"))
			h.Reads = append(h.Reads, h.Reads[2])
		}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := good()
			tc.mutate(&h)
			res := Check(h)
			got := map[Kind]int{}
			for _, v := range res.Violations {
				got[v.Kind]++
			}
			want := tc.want
			if want == nil {
				want = map[Kind]int{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v, want %v:\n%s", got, want, list(res.Violations))
			}
			if tc.detail != "" && !strings.Contains(res.Violations[0].Detail, tc.detail) {
				t.Errorf("detail %q lacks %q", res.Violations[0].Detail, tc.detail)
			}
			if res.OK() != (len(want) == 0) {
				t.Errorf("OK() = %v with %d violations", res.OK(), len(res.Violations))
			}
		})
	}
}

func list(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("  " + v.String() + "\n")
	}
	return b.String()
}

func TestLostListsTheAcknowledgedRecords(t *testing.T) {
	h := good()
	each(&h, func(r *Replica) { r.Records, r.HWM, r.LEO = r.Records[:3], 3, 3 })
	res := Check(h)
	if !reflect.DeepEqual(res.Lost, h.Acks[3:]) {
		t.Fatalf("Lost = %+v, want the acks at offsets 3 and 4", res.Lost)
	}
	if res.Acked != 5 || res.Read != 5 {
		t.Errorf("Acked %d, Read %d; want 5 and 5", res.Acked, res.Read)
	}
	if got, want := res.Summary(), "lost-write×2 inconsistent-offsets×2 (5 acknowledged, 5 read)"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	if got := Check(good()).Summary(); got != "ok: 5 acknowledged, 5 read" {
		t.Errorf("good Summary() = %q", got)
	}
}

// TestHistoryJSONRoundTrip checks that a History sent as JSON (as a UI
// would) gives the same verdict: event numbers then arrive as float64.
func TestHistoryJSONRoundTrip(t *testing.T) {
	h := good()
	h.Events = append(h.Events, view.Event{Seq: 3, TimeUS: 3000, Kind: "became_leader", Node: "broker-2", Topic: "t", Partition: ptr(0), Data: map[string]any{"leader_epoch": int32(1)}})
	h.Reads = h.Reads[1:]
	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var back History
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	a, b := Check(h), Check(back)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("verdicts differ:\n%s\nvs\n%s", list(a.Violations), list(b.Violations))
	}
	if a.Count(TwoLeadersOneEpoch) != 1 || a.Count(PollSkip) != 1 {
		t.Fatalf("want one two-leaders-one-epoch and one poll-skip:\n%s", list(a.Violations))
	}
}

func TestAuthorityPrefersTheNewestLeader(t *testing.T) {
	p := Partition{Replicas: []Replica{
		{Broker: 1, Leader: true, LeaderEpoch: 3, HWM: 9},
		{Broker: 2, Leader: true, LeaderEpoch: 4, HWM: 5},
		{Broker: 3, HWM: 12},
	}}
	if got := p.authority().Broker; got != 2 {
		t.Errorf("authority = broker %d, want 2 (leader of the newest epoch)", got)
	}
	p = Partition{Replicas: []Replica{{Broker: 3, HWM: 7}, {Broker: 1, HWM: 7}, {Broker: 2, HWM: 4}}}
	if got := p.authority().Broker; got != 1 {
		t.Errorf("authority = broker %d, want 1 (highest HWM, lowest id)", got)
	}
}
