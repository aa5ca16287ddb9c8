package session

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/wasm/host"
)

// native is the engine compiled into the test, as a Caller.
type native struct{ n host.Native }

func (c native) Call(method string, params, result any) error {
	req, err := json.Marshal(contract.Request{Method: method, Params: params})
	if err != nil {
		return err
	}
	reply, err := c.n.Call(req)
	if err != nil {
		return err
	}
	return contract.Decode(reply, result)
}

// lessonOne is a run of lesson 1's scenario on the native engine.
func lessonOne(t *testing.T) *Run {
	t.Helper()
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &Run{C: native{host.NewNative(api.Options{})}}
	if err := r.Open(all[0].Scenario); err != nil {
		t.Fatal(err)
	}
	return r
}

func traceHash(t *testing.T, c Caller) string {
	t.Helper()
	var h contract.TraceHashReply
	if err := c.Call("trace_hash", nil, &h); err != nil {
		t.Fatal(err)
	}
	return h.TraceHash
}

// TestRewindKeepsTheFuture: a rewind keeps the commands given later as the
// redo, running forward re-applies them at their times, and the run is the
// very one before the rewind (same trace hash); a new command drops the redo.
func TestRewindKeepsTheFuture(t *testing.T) {
	r := lessonOne(t)
	cmds := []json.RawMessage{
		json.RawMessage(`{"op":"producer_start","producer":"p"}`),
		json.RawMessage(`{"op":"produce","producer":"p","topic":"orders","key":"k","count":5}`),
	}
	if err := r.AdvanceTo(1_000_000); err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(cmds...); err != nil {
		t.Fatal(err)
	}
	if err := r.AdvanceTo(3_000_000); err != nil {
		t.Fatal(err)
	}
	want, before := traceHash(t, r.C), r.State()

	if err := r.Replay(500_000); err != nil {
		t.Fatal(err)
	}
	if len(r.Journal) != 0 || r.RedoCommands() != 2 || r.RedoEndUS != 3_000_000 || r.NowUS != 500_000 {
		t.Fatalf("after the rewind: journal %d, redo %d commands ending %d, now %d", len(r.Journal), r.RedoCommands(), r.RedoEndUS, r.NowUS)
	}
	if err := r.RunTo(3_000_000); err != nil {
		t.Fatal(err)
	}
	if got := traceHash(t, r.C); got != want || !reflect.DeepEqual(r.Journal, before.Journal) || r.RedoEndUS != 0 {
		t.Errorf("forward again: trace %s (want %s), journal %v (want %v), redo end %d", got, want, r.Journal, before.Journal, r.RedoEndUS)
	}

	if err := r.Replay(500_000); err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(json.RawMessage(`{"op":"producer_start","producer":"q"}`)); err != nil {
		t.Fatal(err)
	}
	if len(r.Redo) != 0 || r.RedoEndUS != 0 || len(r.Journal) != 1 {
		t.Errorf("a new command after a rewind: redo %d entries ending %d, journal %d", len(r.Redo), r.RedoEndUS, len(r.Journal))
	}
	if err := r.Restore(before); err != nil {
		t.Fatal(err)
	}
	if got := traceHash(t, r.C); got != want {
		t.Errorf("restored run: trace %s, want %s", got, want)
	}
}

// TestDueGoalsAndOpened: goals are due up to the learner's step only, and a
// record opened on a step counts for that step's goals and later ones.
func TestDueGoalsAndOpened(t *testing.T) {
	l := &lessons.Lesson{Steps: []lessons.Step{
		{Goals: []lessons.Goal{{ID: "a"}, {ID: "b"}}},
		{Goals: []lessons.Goal{{ID: "c"}}},
		{Goals: []lessons.Goal{{ID: "d"}}},
	}}
	met := func(g string) bool { return g == "a" }
	var ids []string
	for _, d := range DueGoals(l, 1, met) {
		ids = append(ids, d.Goal.ID+"@"+string(rune('0'+d.Step)))
	}
	if want := []string{"b@0", "c@1"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("due on step 1: %v, want %v", ids, want)
	}
	var o Opened
	r0 := lessons.RecordRef{Topic: "t", Partition: 0, Offset: 0}
	r1 := lessons.RecordRef{Topic: "t", Partition: 0, Offset: 1}
	o.Note(r0, 0)
	o.Note(r1, 2)
	o.Note(r1, 2)
	if got := o.Learner(1).Opened; !reflect.DeepEqual(got, []lessons.RecordRef{r1}) {
		t.Errorf("step 1 sees %v, want only the record opened on step 2", got)
	}
	if got := o.Learner(0).Opened; len(got) != 2 {
		t.Errorf("step 0 sees %v, want both", got)
	}
}

// TestBranches: acting after a rewind keeps the old future as a branch;
// switching brings it back at the fork with its future ahead, and the run
// it left becomes a branch in turn.
func TestBranches(t *testing.T) {
	r := lessonOne(t)
	step := func(at int64, cmd string) {
		t.Helper()
		if err := r.AdvanceTo(at); err != nil {
			t.Fatal(err)
		}
		if err := r.Apply(json.RawMessage(cmd)); err != nil {
			t.Fatal(err)
		}
	}
	step(1_000_000, `{"op":"producer_start","producer":"p"}`)
	step(2_000_000, `{"op":"produce","producer":"p","topic":"orders","key":"old","count":5}`)
	if err := r.AdvanceTo(3_000_000); err != nil {
		t.Fatal(err)
	}
	old := traceHash(t, r.C)
	if err := r.Replay(1_500_000); err != nil {
		t.Fatal(err)
	}
	step(1_500_000, `{"op":"produce","producer":"p","topic":"orders","key":"new","count":1}`)
	if len(r.Branches) != 1 || r.Branches[0].ForkUS != 1_500_000 || r.Branches[0].Commands() != 1 || len(r.Redo) != 0 {
		t.Fatalf("after acting on the rewind: branches %+v, redo %d", r.Branches, len(r.Redo))
	}
	if err := r.Switch(0); err != nil {
		t.Fatal(err)
	}
	if r.NowUS != 1_500_000 || r.RedoCommands() != 1 || r.RedoEndUS != 3_000_000 || len(r.Branches) != 1 || r.Branches[0].Commands() != 1 {
		t.Fatalf("after the switch: now %d, redo %d to %d, branches %+v", r.NowUS, r.RedoCommands(), r.RedoEndUS, r.Branches)
	}
	if err := r.RunTo(3_000_000); err != nil {
		t.Fatal(err)
	}
	if got := traceHash(t, r.C); got != old {
		t.Errorf("the old future replayed to trace %s, want %s", got, old)
	}
}
