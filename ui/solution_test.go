package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vugu/vugu"

	"github.com/brokerlab/brokerlab/lessons"
)

// splitLesson is a copy of lesson id whose steps carry the parts of its
// solution given by parts (step index → solution commands); extra
// commands (learner ops) can be added per step. Its id gets a "test-"
// prefix so progress keys do not mix with the real lesson's.
func splitLesson(t *testing.T, id string, parts map[int][]string) *lessons.Lesson {
	t.Helper()
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := lessons.ByID(all, id)
	if l == nil {
		t.Fatalf("no lesson %s", id)
	}
	c := *l
	c.ID = "test-" + id
	c.Steps = append([]lessons.Step(nil), l.Steps...)
	c.Solution = nil
	for i := range c.Steps {
		c.Steps[i].Solution = nil
		for _, cmd := range parts[i] {
			c.Steps[i].Solution = append(c.Steps[i].Solution, json.RawMessage(cmd))
			c.Solution = append(c.Solution, json.RawMessage(cmd))
		}
	}
	return &c
}

// openTestLesson starts an app on the lesson list, adds l and opens it.
func openTestLesson(t *testing.T, store map[string]string, l *lessons.Lesson) (*App, vugu.EventEnv) {
	t.Helper()
	a, env := startApp(t, newFake(store, "lessons"))
	handle(env, func() {
		a.Lessons.List = append(a.Lessons.List, l)
		a.Go("lesson/" + l.ID)
	})
	waitFor(t, env, "the lesson", func() bool { return a.Lesson != nil && a.Lesson.L == l && a.F.Open && len(a.F.Snap.Partitions) > 0 })
	return a, env
}

// rebalancingParts splits lesson 13's solution by step, as the lessons'
// data will.
var rebalancingParts = map[int][]string{
	0: {`{"at": "1s", "op": "consumer_start", "consumer": "c1", "topics": ["orders"], "configs": {"group.id": "g", "metadata.max.age.ms": "5000"}}`,
		`{"at": "10s", "op": "consumer_start", "consumer": "c2", "topics": ["orders"], "configs": {"group.id": "g", "metadata.max.age.ms": "5000"}}`},
	1: {`{"at": "15s", "op": "consumer_crash", "consumer": "c2"}`},
	2: {`{"at": "62s", "op": "add_partitions", "topic": "orders", "partitions": 8}`},
	3: {`{"at": "75s", "op": "subscribe", "consumer": "c1", "topics": ["orders", "returns"]}`},
}

// TestShowSolutionAtAnyMoment: pressed while the clock runs, on step 3,
// after the learner started c1 themselves (the solution starts c1 too),
// Show solution replays the run to where step 3's part starts, says so,
// plays, and its command happens; no error, no pause. Undo brings the
// learner's run back.
func TestShowSolutionAtAnyMoment(t *testing.T) {
	l := splitLesson(t, "rebalancing", rebalancingParts)
	a, env := openTestLesson(t, map[string]string{}, l)
	handle(env, func() {
		a.GoToStep(2)
		a.Apply(Cmd{Op: "consumer_start", Consumer: "c1", Topics: []string{"orders"}, Configs: map[string]string{"group.id": "g"}})
	})
	waitFor(t, env, "the learner's consumer", func() bool { return a.F.Journal == 1 && a.F.NowUS > 2_000_000 })
	env.RLock()
	mine := a.F.NowUS
	env.RUnlock()

	handle(env, func() {
		if !a.Playing {
			t.Error("the lesson is not playing before Show solution")
		}
		a.ShowSolution()
	})
	waitFor(t, env, "the solution", func() bool { return a.Busy == "" && (a.Lesson.Solved || a.Lesson.NoticeErr || a.Err != "") })
	env.RLock()
	notice, bad, playing, errText, now := a.Lesson.Notice, a.Lesson.NoticeErr, a.Playing, a.Err, a.F.NowUS
	env.RUnlock()
	if bad || errText != "" {
		t.Fatalf("Show solution failed: notice %q, error %q", notice, errText)
	}
	if !playing {
		t.Error("Show solution left the simulation paused")
	}
	for _, want := range []string{"62.0 s, where step 3 begins", "add_partitions orders → 8 at 62.0 s", "It is playing."} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice %q lacks %q", notice, want)
		}
	}
	if now < 61_000_000 {
		t.Errorf("the run is at %d µs, not where step 3 begins", now)
	}
	handle(env, func() { a.Speed = 25 })
	waitFor(t, env, "orders has 8 partitions", func() bool {
		for _, tp := range a.F.Snap.Topics {
			if tp.Name == "orders" && tp.Partitions == 8 {
				return true
			}
		}
		return a.Err != ""
	})
	env.RLock()
	errText, journal := a.Err, a.F.Journal
	env.RUnlock()
	if errText != "" {
		t.Fatalf("error after the solution: %s", errText)
	}
	if journal != 4 {
		t.Errorf("the solution is %d journal entries; want 4 (c1, c2, the crash, add_partitions at their times)", journal)
	}

	// A rewind replays the solution from the journal. (Paused first: the
	// driver finishes the frame under way after an action.)
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing })
	settle(t, a)
	handle(env, func() { a.Rewind(30_000_000) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && a.F.NowUS == 30_000_000 })
	handle(env, func() { a.Forward(64_000_000) })
	waitFor(t, env, "forward past step 3's command", func() bool { return a.Busy == "" && a.F.NowUS == 64_000_000 })
	env.RLock()
	parts := 0
	for _, tp := range a.F.Snap.Topics {
		if tp.Name == "orders" {
			parts = tp.Partitions
		}
	}
	env.RUnlock()
	if parts != 8 {
		t.Errorf("after a rewind the solution's add_partitions did not replay: orders has %d partitions", parts)
	}

	handle(env, func() {
		if !a.UndoHere("lesson") {
			t.Error("no Undo after Show solution")
		}
		a.Undo()
	})
	waitFor(t, env, "the undo", func() bool { return a.Busy == "" && a.undo == nil && a.Playing })
	env.RLock()
	defer env.RUnlock()
	if a.F.Journal != 1 || !strings.Contains(string(a.run.Journal[0].Commands[0]), `"op":"consumer_start"`) || a.F.NowUS < mine {
		t.Errorf("Undo did not bring the learner's run back: %d entries, at %d µs", a.F.Journal, a.F.NowUS)
	}
	if !strings.Contains(a.Lesson.Notice, "brought back") {
		t.Errorf("undo notice %q", a.Lesson.Notice)
	}
}

// TestShowSolutionWholeLesson: a lesson whose steps carry no parts plays
// its whole solution from the start and says so; no error.
func TestShowSolutionWholeLesson(t *testing.T) {
	a, env := startApp(t, newFake(map[string]string{}, "lesson/rebalancing"))
	waitFor(t, env, "the lesson", func() bool { return a.Lesson != nil && a.F.Open })
	if len(a.Lesson.L.Steps[2].Solution) > 0 {
		t.Skip("lesson 13's steps carry their parts now; TestShowSolutionAtAnyMoment covers it")
	}
	handle(env, func() { a.GoToStep(2); a.ShowSolution() })
	waitFor(t, env, "the solution", func() bool { return a.Busy == "" && a.Lesson.Solved })
	env.RLock()
	defer env.RUnlock()
	if a.Lesson.NoticeErr || a.Err != "" || !a.Playing || !strings.Contains(a.Lesson.Notice, "not split by step") {
		t.Errorf("notice %q (error %v), banner %q, playing %v", a.Lesson.Notice, a.Lesson.NoticeErr, a.Err, a.Playing)
	}
}

// TestPlanSolution: the plan of step k takes the parts of steps 0..k, starts
// where step k's part starts, keeps learner ops out of the engine's
// commands, and an empty part starts where the earlier parts end.
func TestPlanSolution(t *testing.T) {
	l := splitLesson(t, "topics-partitions-records", map[int][]string{
		0: {`{"at": "1s", "op": "produce", "producer": "p1", "topic": "orders", "key": "user-1", "count": 2}`},
		2: {`{"at": "3s", "op": "produce", "producer": "p1", "topic": "orders", "key": "k", "count": 1}`,
			`{"at": "4500ms", "op": "open_record", "topic": "orders", "partition": 1, "offset": 0}`},
	})
	p, err := planSolution(l, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Cmds) != 2 || p.StartUS != 3_000_000 || len(p.Learner) != 1 || p.Learner[0].AtUS != 4_500_000 ||
		p.Learner[0].Ref != (lessons.RecordRef{Topic: "orders", Partition: 1, Offset: 0}) {
		t.Fatalf("plan %+v", p)
	}
	if len(p.Mine) != 2 || p.Mine[1] != "open_record orders-1@0 at 4.5 s" {
		t.Errorf("step's commands in words: %q", p.Mine)
	}
	p, err = planSolution(l, 1)
	if err != nil || p.StartUS != 1_000_000 || len(p.Mine) != 0 || len(p.Cmds) != 1 {
		t.Fatalf("empty part: %+v, %v", p, err)
	}
	if d := p.describe(); !strings.Contains(d, "needs no command") {
		t.Errorf("empty part described as %q", d)
	}
	bad := splitLesson(t, "topics-partitions-records", map[int][]string{0: {`{"op": "produce"}`}})
	if _, err := planSolution(bad, 0); err == nil {
		t.Error("a command without a time was accepted")
	}
}

// TestSolutionOpensRecords: a solution's open_record op opens that record
// in the page when its time comes, moving the strips to it when they show
// newer offsets, and goals get it (Learner.Opened); a record the learner
// opens is noted too.
func TestSolutionOpensRecords(t *testing.T) {
	l := splitLesson(t, "topics-partitions-records", map[int][]string{
		2: {`{"at": "1s", "op": "produce", "producer": "p1", "topic": "orders", "key": "user-2", "partition": 1, "value": "paid-{i}", "count": 100, "rate": "1000/s"}`,
			`{"at": "2s", "op": "open_record", "topic": "orders", "partition": 1, "offset": 3}`},
	})
	a, env := openTestLesson(t, map[string]string{}, l)
	handle(env, func() { a.GoToStep(2); a.ShowSolution() })
	waitFor(t, env, "the record opened", func() bool { return a.Selected == "rec-orders-1-3" && a.Record != nil })
	env.RLock()
	opened := append([]lessons.RecordRef(nil), a.Lesson.Opened.Refs...)
	follow := a.Window.Follow
	env.RUnlock()
	if follow {
		t.Error("the strips still follow the log end: offset 3 was in view already, the test misses its point")
	}
	if len(opened) != 1 || opened[0] != (lessons.RecordRef{Topic: "orders", Partition: 1, Offset: 3}) {
		t.Fatalf("opened %v", opened)
	}
	handle(env, func() { a.CloseRecord(); a.OpenRecord("rec-orders-1-3"); a.OpenRecord("rec-orders-1-3") })
	env.RLock()
	n := len(a.Lesson.Opened.Refs)
	env.RUnlock()
	if n != 1 {
		t.Errorf("opening the same record again noted it %d times", n)
	}
}

// TestRestartLessonClearsGoals: Restart lesson clears this lesson's ticked
// goals (memory and storage), details, notes and errors, goes to step 1
// and plays; results computed for the run before are dropped; Undo brings
// the goals and the step back.
func TestRestartLessonClearsGoals(t *testing.T) {
	store := map[string]string{}
	const id = "topics-partitions-records"
	a, env := startApp(t, newFake(store, "lesson/"+id))
	waitFor(t, env, "the lesson's topic", func() bool { return a.F.Open && a.Lesson != nil && len(a.TopicNames()) > 0 })
	handle(env, func() { a.Forms.Key = "user-1"; a.Produce(); a.Produce() })
	waitFor(t, env, "same-key-twice", func() bool { return a.GoalDone("same-key-twice") })
	old := a.Lesson
	handle(env, func() {
		a.GoToStep(1)
		a.Err, a.Note = "an old error", "an old note"
		a.RestartLesson()
		// Results the driver computed on the run before arrive late.
		a.applyTicks([]goalTick{{run: old, gen: a.run.Gen, id: "same-key-twice", ok: true}})
		a.applyTicks([]goalTick{{run: a.Lesson, gen: a.run.Gen, id: "same-key-twice", ok: true}})
	})
	waitFor(t, env, "the restart", func() bool { return a.Busy == "" && a.Playing && a.F.Journal == 0 && a.Lesson.Notice != "" })
	env.RLock()
	lr, done, errText, note := a.Lesson, a.GoalDone("same-key-twice"), a.Err, a.Note
	env.RUnlock()
	if done || store[progressKey(id, "same-key-twice")] != "" {
		t.Error("Restart lesson left the goal ticked")
	}
	if lr.Step != 0 || strings.Contains(lr.Detail["same-key-twice"], "twice") || errText != "" || note != "" || store[stepKey(id)] != "0" {
		t.Errorf("after Restart lesson: step %d, details %v, error %q, note %q", lr.Step, lr.Detail, errText, note)
	}
	if lr.Notice != T("lesson.restarted") {
		t.Errorf("notice %q", lr.Notice)
	}
	handle(env, func() { a.Undo() })
	waitFor(t, env, "the undo", func() bool { return a.Busy == "" && a.undo == nil && a.F.Journal == 2 })
	env.RLock()
	defer env.RUnlock()
	if !a.GoalDone("same-key-twice") || store[progressKey(id, "same-key-twice")] != "1" || a.Lesson.Step != 1 {
		t.Errorf("Undo did not bring the goal and step back: done %v, step %d", a.GoalDone("same-key-twice"), a.Lesson.Step)
	}
}

// TestStartTheRunOver: the top bar's button throws the commands away,
// says so with an Undo, plays; Undo brings them back. New sandbox can be
// undone too.
func TestStartTheRunOver(t *testing.T) {
	a, env := startApp(t, newFake(map[string]string{}, "sandbox"))
	handle(env, func() { a.Sandbox.Brokers = 1; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 1 })
	handle(env, func() { a.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(2), ReplicationFactor: ptr(1)}) })
	waitFor(t, env, "the topic", func() bool { return a.F.Journal == 1 && a.F.NowUS > 500_000 })
	handle(env, func() { a.Restart() })
	waitFor(t, env, "the restart", func() bool { return a.F.Journal == 0 && a.RunNote != "" })
	env.RLock()
	note, playing, undo := a.RunNote, a.Playing, a.UndoHere("run")
	env.RUnlock()
	if !strings.Contains(note, "your 1 command was set aside") || !playing || !undo {
		t.Fatalf("note %q, playing %v, undo %v", note, playing, undo)
	}
	handle(env, func() { a.Undo() })
	waitFor(t, env, "the undo", func() bool { return a.Busy == "" && a.F.Journal == 1 && len(a.TopicNames()) == 1 })

	// New sandbox shows the start form, with an Undo that brings the run back.
	handle(env, func() { a.ResetSandbox() })
	waitFor(t, env, "the start form", func() bool { return !a.F.Open && a.UndoHere("sandbox") })
	handle(env, func() { a.Undo() })
	waitFor(t, env, "the sandbox back", func() bool { return a.Busy == "" && a.F.Open && a.F.Journal == 1 && a.Playing })
}

// TestRedoReplaysWhilePlaying: after a rewind, playing on re-applies the
// learner's later commands at their own times: the journal comes back
// exactly, and the trace is the original one.
func TestRedoReplaysWhilePlaying(t *testing.T) {
	a, env := startApp(t, newFake(map[string]string{}, "sandbox"))
	crashedSandbox(t, a, env)
	env.RLock()
	journal := append([]Entry(nil), a.run.Journal...)
	env.RUnlock()

	handle(env, func() { a.Rewind(100_000) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && a.F.NowUS == 100_000 })
	env.RLock()
	note := a.RunNote
	env.RUnlock()
	later := 0
	for _, e := range journal {
		if e.AtUS > 100_000 {
			later += len(e.Commands)
		}
	}
	if want := fmt.Sprintf("The %d commands given later come back", later); later < 2 || !strings.Contains(note, want) {
		t.Errorf("rewind note %q", note)
	}
	handle(env, func() { a.TogglePlay() })
	waitFor(t, env, "past the crash", func() bool { return a.F.Redo == 0 && a.F.NowUS > journal[2].AtUS })
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing })
	settle(t, a)
	got, _ := json.Marshal(a.run.Journal)
	want, _ := json.Marshal(journal)
	if string(got) != string(want) {
		t.Fatalf("journal after replaying the redo:\n%s\nwant\n%s", got, want)
	}
	// Stepping also re-applies a redo entry when it comes first.
	handle(env, func() { a.Rewind(journal[2].AtUS - 1) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && a.F.Redo == len(journal[2].Commands) })
	handle(env, func() { a.StepEvent() })
	waitFor(t, env, "the step", func() bool { return a.F.Redo == 0 && a.F.Journal == 3 })
	env.RLock()
	defer env.RUnlock()
	if !strings.Contains(a.RunNote, "stays paused") {
		t.Errorf("step note %q", a.RunNote)
	}
}

// TestCodeNeverPausesSilently: an action failing while the simulation
// plays pauses it with a note saying why.
func TestCodeNeverPausesSilently(t *testing.T) {
	a, env := startApp(t, newFake(map[string]string{}, "lesson/topics-partitions-records"))
	waitFor(t, env, "the lesson", func() bool { return a.Lesson != nil && a.F.Open && a.Playing })
	a.Do(func() error { return errors.New("ui: something failed") })
	waitFor(t, env, "the pause", func() bool { return !a.Playing })
	env.RLock()
	defer env.RUnlock()
	if a.RunNote != T("paused.error") || a.Err == "" {
		t.Errorf("paused with note %q, error %q", a.RunNote, a.Err)
	}
}

// crashingPlatform is a fake whose engine "crashes" on the next advance
// once crash is set, as a trapped engine.wasm does in the browser.
type crashingPlatform struct {
	*fakePlatform
	crash atomic.Bool
}

var crashReply = []byte(`{"error":{"code":"ENGINE_CRASHED","message":"engine: the engine crashed (wasm trap)"}}`)

func (c *crashingPlatform) Call(req []byte) ([]byte, error) {
	if bytes.Contains(req, []byte(`"method":"advance"`)) && c.crash.CompareAndSwap(true, false) {
		return crashReply, nil
	}
	return c.fakePlatform.Call(req)
}

func (c *crashingPlatform) CallBatch(reqs [][]byte) ([][]byte, []float64, error) {
	out, at := make([][]byte, len(reqs)), make([]float64, len(reqs))
	for i, r := range reqs {
		out[i], _ = c.Call(r)
		at[i] = c.Now()
	}
	return out, at, nil
}

// TestCrashRecoveryPausesWithANote: the engine crashes while playing; the
// run is replayed, and the pause is explained in the playback bar.
func TestCrashRecoveryPausesWithANote(t *testing.T) {
	p := &crashingPlatform{fakePlatform: newFake(map[string]string{}, "lesson/topics-partitions-records")}
	a := NewApp(p)
	env, _ := startAppOn(t, a)
	waitFor(t, env, "the lesson playing", func() bool { return a.Lesson != nil && a.F.Open && a.Playing && a.F.NowUS > 100_000 })
	p.crash.Store(true)
	waitFor(t, env, "the recovery", func() bool { return !a.Playing })
	env.RLock()
	defer env.RUnlock()
	if a.RunNote != T("paused.crash") || !strings.Contains(a.Err, T("err.recovered")) {
		t.Errorf("after the crash: note %q, error %q", a.RunNote, a.Err)
	}
}

// TestRedoSurvivesReload: the redo is saved with the run; a reload right
// after a rewind keeps the future the rewind kept.
func TestRedoSurvivesReload(t *testing.T) {
	store := map[string]string{}
	pa := newFake(store, "sandbox")
	a, env := startApp(t, pa)
	handle(env, func() { a.Sandbox.Brokers = 1; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && a.F.NowUS > 200_000 })
	handle(env, func() { a.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(2), ReplicationFactor: ptr(1)}) })
	waitFor(t, env, "time", func() bool { return a.F.Journal == 1 && a.F.NowUS > 600_000 })
	// Pause first: the driver runs the frame under way after an action.
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing })
	settle(t, a)
	handle(env, func() { a.Rewind(100_000) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && (a.F.NowUS == 100_000 || a.Err != "") })
	env.RLock()
	if a.Err != "" {
		t.Fatalf("rewind: %s (now %d µs)", a.Err, a.F.NowUS)
	}
	if a.F.Redo != 1 {
		t.Errorf("redo %d after the rewind; journal %+v", a.F.Redo, a.run.Journal)
	}
	env.RUnlock()
	env.RLock()
	end := a.F.RedoEndUS
	env.RUnlock()

	b, envB := startApp(t, newFakeOn(store, "sandbox", pa.disk))
	waitFor(t, envB, "the restored sandbox", func() bool { return b.F.Open && b.Busy == "" && b.Note != "" })
	envB.RLock()
	defer envB.RUnlock()
	if b.F.Redo != 1 || b.F.RedoEndUS != end || b.F.Journal != 0 || b.Playing {
		t.Errorf("restored: %d redo entries up to %d µs (want 1 up to %d), %d journal entries, playing %v", b.F.Redo, b.F.RedoEndUS, end, b.F.Journal, b.Playing)
	}
	if !strings.Contains(b.Note, T("paused.play")) {
		t.Errorf("the restored sandbox is paused without saying so: %q", b.Note)
	}
}

// crashedSandbox plays a sandbox of 3 brokers by the learner's commands: a
// topic t of 3 partitions (RF 3) at once, 50 records from producer p after
// 0.3 s, broker 2's process killed after 0.7 s; then pauses at ~1.2 s with
// those 3 journal entries.
func crashedSandbox(t *testing.T, a *App, env vugu.EventEnv) {
	t.Helper()
	handle(env, func() { a.Sandbox.Brokers = 3; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 3 })
	handle(env, func() { a.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(3), ReplicationFactor: ptr(3)}) })
	waitFor(t, env, "time", func() bool { return a.F.NowUS > 300_000 })
	handle(env, func() {
		a.Apply(Cmd{Op: "producer_start", Producer: "p"}, Cmd{Op: "produce", Producer: "p", Topic: "t", Count: ptr(50), Rate: "100/s"})
	})
	waitFor(t, env, "time", func() bool { return a.F.NowUS > 700_000 })
	handle(env, func() { a.Apply(Cmd{Op: "broker_crash", Broker: ptr(2), Mode: "process"}) })
	waitFor(t, env, "time", func() bool { return a.F.NowUS > 1_200_000 })
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing && a.F.Journal == 3 })
	settle(t, a)
}
