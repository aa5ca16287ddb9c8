package lint

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/lessons"
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

// playNative plays a lesson on the engine compiled into the test.
func playNative(t *testing.T, l *lessons.Lesson, solution bool) *Outcome {
	t.Helper()
	o, err := Play(host.NewNative(api.Options{}), l, PlayOptions{Solution: solution})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestSolutionsReachGoals plays every lesson's scenario and solution on the
// native engine and checks that every goal of every step held at some tick.
func TestSolutionsReachGoals(t *testing.T) {
	for _, l := range loadLessons(t) {
		t.Run(l.ID, func(t *testing.T) {
			o := playNative(t, l, true)
			if len(o.Reached) != goals(l) {
				for _, id := range o.Missing(l) {
					t.Errorf("goal %s not reached by %v: %s", id, time.Duration(o.EndUS)*time.Microsecond, o.Details[id])
				}
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
