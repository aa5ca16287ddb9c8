package lint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/session"
	"github.com/brokerlab/brokerlab/wasm/host"
)

func loadLessons(t *testing.T) []*lessons.Lesson {
	t.Helper()
	ls, err := Load()
	if err != nil {
		t.Fatalf("lint.Load:\n%v", err)
	}
	return ls
}

func goals(l *lessons.Lesson) int {
	n := 0
	for _, st := range l.Steps {
		n += len(st.Goals)
	}
	return n
}

// nativePlays memoizes native plays: the wasm test compares against the same
// play TestSolutionsReachGoals made, instead of playing it again.
var nativePlays = struct {
	sync.Mutex
	m map[string]*Outcome
}{m: map[string]*Outcome{}}

// playNative plays a lesson on the engine compiled into the test.
func playNative(t *testing.T, l *lessons.Lesson, solution bool) *Outcome {
	t.Helper()
	key := fmt.Sprintf("%s/%v", l.ID, solution)
	nativePlays.Lock()
	o := nativePlays.m[key]
	nativePlays.Unlock()
	if o != nil {
		return o
	}
	o, err := Play(host.NewNative(api.Options{}), l, PlayOptions{Solution: solution})
	if err != nil {
		t.Fatal(err)
	}
	nativePlays.Lock()
	nativePlays.m[key] = o
	nativePlays.Unlock()
	return o
}

// TestSolutionsReachGoals plays every lesson's steps' solutions in order
// on the native engine and checks that the goals of each step held before
// the next step's first command (the last steps': within the horizon), and
// none before its own step's first command.
func TestSolutionsReachGoals(t *testing.T) {
	for _, l := range loadLessons(t) {
		t.Run(l.ID, func(t *testing.T) {
			o := playNative(t, l, true)
			for _, m := range o.Late(l) {
				t.Error(m)
			}
			for _, m := range o.Early(l) {
				t.Error(m)
			}
		})
	}
}

// TestJournalReplays replays each lesson's played journal from the seed
// (session.Run.Replay, what a rewind and a reload do on the page) and
// requires the very same run: the same trace hash at the same time.
func TestJournalReplays(t *testing.T) {
	for _, l := range loadLessons(t) {
		t.Run(l.ID, func(t *testing.T) {
			o := playNative(t, l, true)
			e := &engine{c: host.NewNative(api.Options{}), lesson: l.ID}
			run := &session.Run{C: e, Scenario: l.Scenario, Journal: o.Journal}
			if err := run.Replay(o.EndUS); err != nil {
				t.Fatal(err)
			}
			var h contract.TraceHashReply
			if err := e.Call("trace_hash", nil, &h); err != nil {
				t.Fatal(err)
			}
			if h.TraceHash != o.TraceHash || run.NowUS != o.EndUS || len(run.Journal) != len(o.Journal) {
				t.Errorf("replay of %d journal entries to %v: trace %s at %v, played %s at %v",
					len(o.Journal), us(o.EndUS), h.TraceHash, us(run.NowUS), o.TraceHash, us(o.EndUS))
			}
		})
	}
}

// TestLateLearnerReachesGoals plays every lesson as a learner who clicks
// late: each command 0–1.5 s after its time (one seed per lesson), opening
// whichever record a goal asks for. Every goal must still hold: a solution
// must not depend on hitting a window of a few milliseconds.
func TestLateLearnerReachesGoals(t *testing.T) {
	for _, l := range loadLessons(t) {
		t.Run(l.ID, func(t *testing.T) {
			o, err := Play(host.NewNative(api.Options{}), l, PlayOptions{Solution: true, Jitter: int64(l.Order), Tick: 250 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range o.Missing(l) {
				t.Errorf("goal %s not reached by a late learner by %v: %s", id, time.Duration(o.EndUS)*time.Microsecond, o.Details[id])
			}
		})
	}
}

// TestGoalsNeedTheSolution plays only the scenario, for as long as the
// solution run may take: a goal that holds without the learner doing
// anything is a broken goal.
func TestGoalsNeedTheSolution(t *testing.T) {
	for _, l := range loadLessons(t) {
		if goals(l) == 0 {
			continue
		}
		o := playNative(t, l, false)
		for _, st := range l.Steps {
			t.Run(l.ID+"/"+st.ID, func(t *testing.T) {
				for _, g := range st.Goals {
					if at, ok := o.Reached[g.ID]; ok {
						t.Errorf("goal %s holds at %v without the solution: %s", g.ID, time.Duration(at)*time.Microsecond, o.Details[g.ID])
					}
				}
			})
		}
	}
}

// TestSolutionsReachGoalsWasm plays every lesson on dist/engine.wasm under
// wazero, the file the browser runs, and requires exactly the native
// outcome: the same goals at the same virtual times and the same trace.
func TestSolutionsReachGoalsWasm(t *testing.T) {
	path, err := host.DefaultWasmPath()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s is missing: run make build first", path)
	}
	ctx := context.Background()
	rt, err := host.Load(ctx, path, host.DefaultCacheDir())
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	for _, l := range loadLessons(t) {
		t.Run(l.ID, func(t *testing.T) {
			inst, err := rt.NewInstance(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer inst.Close()
			o, err := Play(inst, l, PlayOptions{Solution: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range o.Missing(l) {
				t.Errorf("goal %s not reached under wazero: %s", id, o.Details[id])
			}
			if native := playNative(t, l, true); !reflect.DeepEqual(o, native) {
				t.Errorf("wasm and native plays differ (is %s older than the engine's source? run make build):\nwasm   %+v\nnative %+v", path, o, native)
			}
		})
	}
}

// TestLateGoalsNamed: a step whose goals have not held when the next step's
// first command comes fails, naming the lesson, the step and the goal.
func TestLateGoalsNamed(t *testing.T) {
	name := "testdata/late_step"
	ls, err := LoadFS(os.DirFS(name), ".", name)
	if err != nil {
		t.Fatal(err)
	}
	o, err := Play(host.NewNative(api.Options{}), ls[0], PlayOptions{Solution: true, Horizon: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got := o.Late(ls[0])
	want := []string{`demo step "one": goal "g1" held only at 1.1s, after step "two"'s first command at 1s`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Late:\ngot  %q\nwant %q", got, want)
	}
	// The open_record of step three fills the learner the goal sees.
	if _, ok := o.Reached["g3"]; !ok {
		t.Errorf("goal g3 (opened: true) not reached after open_record: %s", o.Details["g3"])
	}
}

// TestScheduleJitter: a late learner's commands come 0–MaxJitter after
// their times, in the solution's order, the same for the same seed.
func TestScheduleJitter(t *testing.T) {
	l := lessons.ByID(loadLessons(t), "delivery-semantics")
	on, err := schedule(l, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := schedule(l, 7)
	b, _ := schedule(l, 7)
	c, _ := schedule(l, 8)
	if !reflect.DeepEqual(a, b) || reflect.DeepEqual(a, c) {
		t.Errorf("schedule must depend on the seed only")
	}
	for i := range a {
		if a[i].at < on[i].at || (i > 0 && a[i].at < a[i-1].at) {
			t.Errorf("command %d at %v (on time %v, previous %v): late commands keep their order and never come early", i, a[i].at, on[i].at, a[max(i-1, 0)].at)
		}
		if a[i].at > on[i].at+MaxJitter && (i == 0 || a[i].at != a[i-1].at) {
			t.Errorf("command %d at %v is more than %v after %v", i, a[i].at, MaxJitter, on[i].at)
		}
		var cmd struct{ At string }
		json.Unmarshal(a[i].raw, &cmd)
		if cmd.At != a[i].at.String() {
			t.Errorf("command %d says at %q, played at %v", i, cmd.At, a[i].at)
		}
	}
}
