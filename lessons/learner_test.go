package lessons

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// goalOf binds a goal as the loader does.
func goalOf(t *testing.T, check, params string) *Goal {
	t.Helper()
	g := &Goal{ID: "g", Check: check, Params: json.RawMessage(params)}
	l := &Lesson{File: "test", tree: &node{}}
	if is := l.bindGoal(g, "goal"); len(is) > 0 {
		t.Fatalf("bind %s %s: %v", check, params, is)
	}
	return g
}

// TestOpenedGoalsNeedTheLearner: a goal with "opened" holds only once the
// learner opened a record that shows it; Eval, which knows no learner,
// never claims it.
func TestOpenedGoalsNeedTheLearner(t *testing.T) {
	str := func(s string) *string { return &s }
	rec := func(off int64, key string, h map[string]string) view.RecordView {
		return view.RecordView{Offset: off, Key: str(key), Value: str("v" + key), Headers: h}
	}
	s := view.Snapshot{Partitions: []view.PartitionState{
		{Topic: "orders", Partition: 0, Records: []view.RecordView{rec(0, "a", nil), rec(1, "a", nil), rec(2, "b", map[string]string{"trace-id": "x"})}},
		{Topic: "orders", Partition: 1, Records: []view.RecordView{rec(0, "c", nil)}},
		{Topic: "orders", Partition: 2},
	}}
	ref := func(p int32, o int64) RecordRef { return RecordRef{"orders", p, o} }
	for _, c := range []struct {
		check, params string
		opened        []RecordRef
		ok            bool
		detail        string
	}{
		{"record_with_header", `{"topic":"orders"}`, nil, true, "the record at offset 2 of orders-0 has header trace-id=x"},
		{"record_with_header", `{"topic":"orders","opened":true}`, nil, false, "the record at offset 2 of orders-0 has header trace-id=x; now open such a record in the record panel, for example the one at offset 2 of orders-0"},
		{"record_with_header", `{"topic":"orders","opened":true}`, []RecordRef{ref(0, 1), {"other", 0, 2}}, false, "the record at offset 2 of orders-0 has header trace-id=x; now open such a record in the record panel, for example the one at offset 2 of orders-0"},
		{"record_with_header", `{"topic":"orders","opened":true}`, []RecordRef{ref(0, 2)}, true, "the record at offset 2 of orders-0 has header trace-id=x; you opened 1 record"},
		{"same_offset_in_partitions", `{"topic":"orders","min_partitions":2,"opened":true}`, []RecordRef{ref(0, 0)}, false, "offset 0 exists in partitions 0 and 1; you opened such a record in 1 partition, now open one in 1 partition more"},
		{"same_offset_in_partitions", `{"topic":"orders","min_partitions":2,"opened":true}`, []RecordRef{ref(0, 0), ref(0, 0), ref(0, 1)}, false, "offset 0 exists in partitions 0 and 1; you opened such a record in 1 partition, now open one in 1 partition more"},
		{"same_offset_in_partitions", `{"topic":"orders","min_partitions":2,"opened":true}`, []RecordRef{ref(0, 0), ref(1, 0)}, true, "offset 0 exists in partitions 0 and 1; you opened 2 records"},
		{"same_key_same_partition", `{"topic":"orders","opened":true}`, []RecordRef{ref(0, 2)}, false, "key a appears twice, all in partition 0; now open such a record in the record panel, for example the one at offset 0 of orders-0"},
		{"same_key_same_partition", `{"topic":"orders","opened":true}`, []RecordRef{ref(0, 1)}, true, "key a appears twice, all in partition 0; you opened 1 record"},
	} {
		g := goalOf(t, c.check, c.params)
		if g.AsksToOpen() != (strings.Contains(c.params, `"opened":true`)) {
			t.Errorf("%s %s: AsksToOpen() = %v", c.check, c.params, g.AsksToOpen())
		}
		ok, detail := g.EvalFor(s, nil, Learner{Opened: c.opened})
		if ok != c.ok || detail != c.detail {
			t.Errorf("%s %s opened %v = %v, %q; want %v, %q", c.check, c.params, c.opened, ok, detail, c.ok, c.detail)
		}
		if g.AsksToOpen() {
			if ok, _ := g.Eval(s, nil); ok {
				t.Errorf("%s %s: Eval (no learner) claims the goal met", c.check, c.params)
			}
		}
	}
}

// TestDuplicateOpenedEitherCopy: either copy of a record written twice
// shows the duplicate.
func TestDuplicateOpenedEitherCopy(t *testing.T) {
	v := func(s string) *string { return &s }
	s := view.Snapshot{Partitions: []view.PartitionState{{Topic: "tx", Records: []view.RecordView{
		{Offset: 0, Value: v("t-0")}, {Offset: 1, Value: v("t-1")}, {Offset: 2, Value: v("t-0")}}}}}
	g := goalOf(t, "duplicate_records", `{"topic":"tx","opened":true}`)
	for _, c := range []struct {
		off int64
		ok  bool
	}{{0, true}, {1, false}, {2, true}} {
		if ok, detail := g.EvalFor(s, nil, Learner{Opened: []RecordRef{{"tx", 0, c.off}}}); ok != c.ok {
			t.Errorf("opened offset %d: %v, %q; want %v", c.off, ok, detail, c.ok)
		}
	}
}
