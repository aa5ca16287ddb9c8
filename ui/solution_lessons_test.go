package ui

import (
	"encoding/json"
	"testing"

	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// TestShowSolutionReachesEveryStep plays Show solution the way the page
// does (App.rebuild: the earlier steps' commands at their times, the
// step's own as the redo, applied as time reaches them) for every step of
// every lesson, and checks that the step's goals are met within a minute
// of the solution's last command. Goals are checked every 100 ms and count once
// met, as the page ticks them.
func TestShowSolutionReachesEveryStep(t *testing.T) {
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if l.Sandbox {
			continue
		}
		for k := range l.Steps {
			split := false
			for _, x := range l.Steps {
				split = split || len(x.Solution) > 0
			}
			if (!split || testing.Short()) && k != len(l.Steps)-1 {
				// Unsplit, every step plays the whole solution: the last
				// step's goals come last. In -short, the last step only.
				continue
			}
			st := &l.Steps[k]
			t.Run(l.ID+"/"+st.ID, func(t *testing.T) {
				t.Parallel()
				p, err := planSolution(l, k)
				if err != nil {
					t.Fatal(err)
				}
				eng := &engineClient{p: newFake(map[string]string{}, "")}
				s := newSession(eng)
				s.EventBudget, s.Internal, s.MaxRecords = fullEventBudget, true, session.MaxRecords
				a := &App{run: s}
				if err := a.rebuild(p, l.Scenario); err != nil {
					t.Fatalf("Show solution on step %d: %v", k+1, err)
				}
				// As the lessons' lint: up to a minute past the solution's
				// last command (a later step's command may come first).
				last := p.StartUS
				for _, raw := range l.Solution {
					var c Cmd
					if json.Unmarshal(raw, &c) == nil {
						at, _ := cmdAt(c)
						last = max(last, at)
					}
				}
				records := l.NeedsRecords()
				met := map[string]bool{}
				details := map[string]string{}
				for s.NowUS <= last+60_000_000 && len(met) < len(st.Goals) {
					if err := s.Frame(100_000, records); err != nil {
						t.Fatalf("at %s: %v", fmtSec(s.NowUS), err)
					}
					var learner lessons.Learner
					for _, o := range p.Learner {
						if o.AtUS <= s.NowUS {
							learner.Opened = append(learner.Opened, o.Ref)
						}
					}
					s.DecodeEvents()
					for i := range st.Goals {
						g := &st.Goals[i]
						ok, detail := session.Eval(g, s.Snap, s.Events, learner)
						details[g.ID] = detail
						if ok {
							met[g.ID] = true
						}
					}
				}
				for _, g := range st.Goals {
					if !met[g.ID] {
						t.Errorf("step %d (%s): goal %s not met by %s after Show solution: %s", k+1, st.ID, g.ID, fmtSec(s.NowUS), details[g.ID])
					}
				}
			})
		}
	}
}
