package lint

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/lessons"
)

// Verify plays one lesson as the lesson tests play every built-in one
// (play_test.go) and lists what they would fail on: each step's goals
// reached by its solution in time and none before the step's first command
// (TestSolutionsReachGoals), every goal reached by a late learner
// (TestLateLearnerReachesGoals), and no goal holding on the scenario alone
// (TestGoalsNeedTheSolution). engine gives a fresh engine for each play.
// The lesson builder's export is held to it before it is offered.
func Verify(engine func() Caller, l *lessons.Lesson) ([]string, error) {
	o, err := Play(engine(), l, PlayOptions{Solution: true})
	if err != nil {
		return nil, err
	}
	out := append(o.Late(l), o.Early(l)...)
	late, err := Play(engine(), l, PlayOptions{Solution: true, Jitter: int64(l.Order), Tick: 250 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	for _, id := range late.Missing(l) {
		out = append(out, fmt.Sprintf("goal %s not reached by a late learner (each command up to %v late) by %v: %s", id, MaxJitter, us(late.EndUS), late.Details[id]))
	}
	bare, err := Play(engine(), l, PlayOptions{})
	if err != nil {
		return nil, err
	}
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			if at, ok := bare.Reached[g.ID]; ok {
				out = append(out, fmt.Sprintf("step %q: goal %s holds at %v without the solution: %s", st.ID, g.ID, us(at), bare.Details[g.ID]))
			}
		}
	}
	return out, nil
}
