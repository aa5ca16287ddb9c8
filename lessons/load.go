package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/internal/pattern"
)

// LoadFS reads and validates every lesson folder (one holding lesson.json)
// under dir in fsys. Problems are reported as "<name>/<folder>/<file>:line:
// msg"; name stands for dir in messages (e.g. "lessons"). It returns the
// lessons that loaded, sorted by order with the sandbox last, and Issues
// when anything is wrong.
func LoadFS(fsys fs.FS, dir, name string) ([]*Lesson, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("lessons: %v", err)
	}
	var issues Issues
	var out []*Lesson
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(dir, e.Name(), "lesson.json")); err != nil {
			continue // not a lesson folder (lint, testdata)
		}
		l, is := loadLesson(fsys, path.Join(dir, e.Name()), e.Name(), path.Join(name, e.Name()))
		issues = append(issues, is...)
		if l != nil {
			out = append(out, l)
		}
	}
	issues = append(issues, crossCheck(out)...)
	sortLessons(out)
	if len(issues) > 0 {
		issues.Sort()
		return out, issues
	}
	return out, nil
}

// posIssue turns a decoding error into an issue at its line.
func posIssue(file string, data []byte, err error) Issue {
	var pe *posError
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &pe):
		return Issue{file, lineAt(data, pe.off), "bad JSON: " + pe.msg}
	case errors.As(err, &te):
		// Offset is just past the offending value.
		return Issue{file, lineAt(data, max(te.Offset-1, 0)), fmt.Sprintf("%s must be %s, not JSON %s", te.Field, kindName(te.Type), te.Value)}
	case errors.As(err, &se):
		return Issue{file, lineAt(data, se.Offset), "bad JSON: " + strings.TrimPrefix(se.Error(), "json: ")}
	}
	return Issue{file, 1, strings.TrimPrefix(err.Error(), "json: ")}
}

var (
	slug       = pattern.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	textFile   = pattern.MustCompile(`^text\.(.+)\.json$`)
	localeName = pattern.MustCompile(`^[a-z]{2,3}(-[A-Z][A-Za-z0-9]+)?$`)
)

// beliefOptional are the lesson orders whose curriculum row has no common
// belief to correct ("—" in CURRICULUM.md).
var beliefOptional = map[int]bool{4: true}

// Step counts a lesson may have (CURRICULUM.md: 3–6 steps).
const (
	MinSteps = 3
	MaxSteps = 6
)

func (l *Lesson) issue(path, format string, args ...any) Issue {
	return Issue{l.File, l.Line(path), fmt.Sprintf(format, args...)}
}

// validate checks the structure of lesson.json (not the scenario's ops,
// which package lessons/lint checks with the engine's parser).
func (l *Lesson) validate() Issues {
	var out Issues
	add := func(path, format string, args ...any) { out = append(out, l.issue(path, format, args...)) }
	// checkID checks the id at owner.field ("steps[0]" "id", or "" "id").
	checkID := func(owner, field, id string) bool {
		p := join(owner, field)
		switch {
		case id == "" && strings.HasSuffix(field, "]"):
			add(p, "%s: empty", p)
		case id == "" && owner == "":
			add(p, "missing %q", field)
		case id == "":
			add(p, "%s: missing %q", owner, field)
		case !slug.MatchString(id):
			add(p, "%s: %q must be lowercase letters, digits and single hyphens", p, id)
		default:
			return true
		}
		return false
	}
	if checkID("", "id", l.ID) {
		want := l.ID
		if !l.Sandbox {
			want = fmt.Sprintf("%02d-%s", l.Order, l.ID)
		}
		if l.Dir != want {
			add("id", "the folder is %q but order and id make it %q", l.Dir, want)
		}
	}
	if l.Sandbox {
		if l.Order != 0 {
			add("order", "the sandbox has no order (it comes after every lesson)")
		}
	} else if l.Order < 1 {
		add("order", "order must be at least 1, got %d", l.Order)
	}
	var sc map[string]json.RawMessage
	if len(l.Scenario) == 0 || json.Unmarshal(l.Scenario, &sc) != nil {
		add("scenario", "scenario: missing or not an object (a scenario {\"seed\", \"cluster\", \"steps\"})")
	}
	l.validateSolution(add)
	if l.Sandbox {
		for i, st := range l.Steps {
			if len(st.Solution) > 0 {
				add(fmt.Sprintf("steps[%d].solution", i), "steps[%d].solution: the sandbox has no goals, so no solution", i)
			}
		}
		if l.CommonBelief != "" {
			add("common_belief", "common_belief: the sandbox has none")
		}
	} else {
		if n := len(l.Steps); n < MinSteps || n > MaxSteps {
			add("steps", "steps: a lesson has %d–%d steps, this one %d", MinSteps, MaxSteps, n)
		}
		if len(l.Solution) == 0 {
			add("steps", "steps: no step has a solution (the commands that reach its goals)")
		}
		if l.CommonBelief == "" && !beliefOptional[l.Order] {
			add("common_belief", "common_belief: missing (CURRICULUM.md names one for this lesson)")
		}
	}
	if l.CommonBelief != "" {
		checkID("", "common_belief", l.CommonBelief)
	}
	stepIDs, goalIDs, hintIDs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i := range l.Steps {
		st := &l.Steps[i]
		sp := fmt.Sprintf("steps[%d]", i)
		if checkID(sp, "id", st.ID) {
			if stepIDs[st.ID] {
				add(sp+".id", "%s: step id %q is used twice", sp, st.ID)
			}
			stepIDs[st.ID] = true
		}
		seen := map[string]bool{}
		for j, c := range st.Controls {
			cp := fmt.Sprintf("%s.controls[%d]", sp, j)
			switch {
			case !knownControl(c):
				add(cp, "%s: unknown control %q (known: %s)", cp, c, strings.Join(Controls(), ", "))
			case seen[c]:
				add(cp, "%s: control %q is listed twice", cp, c)
			}
			seen[c] = true
		}
		if len(st.Controls) == 0 {
			add(sp, "%s: no controls: the learner could not do anything", sp)
		}
		if l.Sandbox {
			if len(st.Goals) > 0 || len(st.Hints) > 0 {
				add(sp, "%s: the sandbox has no goals or hints", sp)
			}
		} else {
			if len(st.Goals) == 0 {
				add(sp, "%s: no goals", sp)
			}
			if len(st.Hints) < len(st.Goals) {
				add(sp+".hints", "%s: %s but %s; give at least one hint per goal", sp, englishPlural(len(st.Goals), "goal"), englishPlural(len(st.Hints), "hint"))
			}
		}
		for j := range st.Goals {
			g := &st.Goals[j]
			gp := fmt.Sprintf("%s.goals[%d]", sp, j)
			if checkID(gp, "id", g.ID) {
				if goalIDs[g.ID] {
					add(gp+".id", "%s: goal id %q is used twice", gp, g.ID)
				}
				goalIDs[g.ID] = true
			}
			out = append(out, l.bindGoal(g, gp)...)
		}
		for j, h := range st.Hints {
			hp := fmt.Sprintf("%s.hints[%d]", sp, j)
			if checkID(sp, fmt.Sprintf("hints[%d]", j), h) {
				if hintIDs[h] {
					add(hp, "%s: hint id %q is used twice", hp, h)
				}
				hintIDs[h] = true
			}
		}
	}
	terms := map[string]bool{}
	for i, t := range l.Glossary {
		tp := fmt.Sprintf("glossary[%d]", i)
		if checkID("", tp, t) {
			if terms[t] {
				add(tp, "%s: term %q is listed twice", tp, t)
			}
			terms[t] = true
		}
	}
	return out
}

// bindGoal resolves the goal's predicate and decodes its params.
func (l *Lesson) bindGoal(g *Goal, gp string) Issues {
	if g.Check == "" {
		return Issues{l.issue(gp, "%s: missing \"check\"", gp)}
	}
	p := LookupPredicate(g.Check)
	if p == nil {
		names := make([]string, 0, len(registry))
		for _, q := range Predicates() {
			names = append(names, q.Name)
		}
		return Issues{l.issue(gp+".check", "%s: unknown check %q (known: %s)", gp, g.Check, strings.Join(names, ", "))}
	}
	params, err := p.ParseParams(g.Params)
	if err != nil {
		at := gp + ".params"
		if len(g.Params) == 0 {
			at = gp + ".check"
		}
		return Issues{l.issue(at, "%s: %s params: %v", gp, g.Check, err)}
	}
	g.pred, g.params = p, params
	return nil
}

// sortLessons orders lessons by order, the sandbox last.
func sortLessons(ls []*Lesson) {
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].Sandbox != ls[j].Sandbox {
			return !ls[i].Sandbox
		}
		return ls[i].Order < ls[j].Order
	})
}
