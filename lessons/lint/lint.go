// Package lint checks what package lessons cannot without the engine: that
// each lesson's scenario and solution are ones engine/scenario accepts, and
// that the learner has the controls the solution needs. It also plays a
// lesson's solution on an engine (Play). It stays out of the UI binary.
package lint

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/lessons"
)

// Load is lessons.Load plus Check on every lesson.
func Load() ([]*lessons.Lesson, error) {
	ls, err := lessons.Load()
	return ls, withChecks(ls, err)
}

// LoadFS is lessons.LoadFS plus Check on every lesson that loaded.
func LoadFS(fsys fs.FS, dir, name string) ([]*lessons.Lesson, error) {
	ls, err := lessons.LoadFS(fsys, dir, name)
	return ls, withChecks(ls, err)
}

func withChecks(ls []*lessons.Lesson, err error) error {
	var issues lessons.Issues
	if err != nil {
		is, ok := err.(lessons.Issues)
		if !ok {
			return err
		}
		issues = is
	}
	for _, l := range ls {
		issues = append(issues, Check(l)...)
	}
	if len(issues) == 0 {
		return nil
	}
	issues.Sort()
	return issues
}

var stepRef = regexp.MustCompile(`^scenario: step (\d+): `)

// Check parses the lesson's scenario with scenario.Parse, each solution
// command with scenario.ParseCommand, then the scenario with the solution
// merged in (so a command that names an unknown producer is caught), and
// checks that some step enables the control each solution command needs
// (a "note" needs none: it only narrates the solution in the trace).
func Check(l *lessons.Lesson) lessons.Issues {
	var out lessons.Issues
	add := func(path, format string, args ...any) {
		out = append(out, lessons.Issue{File: l.File, Line: l.Line(path), Msg: fmt.Sprintf(format, args...)})
	}
	if _, err := scenario.Parse(l.Scenario); err != nil {
		at := "scenario"
		if m := stepRef.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			at = fmt.Sprintf("scenario.steps[%d]", n-1)
		}
		add(at, "%v", err)
		return out
	}
	enabled := map[string]bool{}
	for _, st := range l.Steps {
		for _, c := range st.Controls {
			enabled[c] = true
		}
	}
	var last time.Duration
	ok := true
	for i, raw := range l.Solution {
		at := fmt.Sprintf("solution[%d]", i)
		c, err := scenario.ParseCommand(raw)
		switch {
		case err != nil:
			add(at, "%s: %v", at, err)
		case c.At == nil:
			add(at, "%s: %s: missing \"at\" (the absolute virtual time, e.g. \"1.5s\")", at, c.Op)
		case *c.At < last:
			add(at, "%s: %s: at %v is before the previous command (%v); commands must be in time order", at, c.Op, *c.At, last)
		default:
			last = *c.At
			if ctl, has := lessons.ControlFor(c.Op); !has && c.Op != "note" {
				add(at, "%s: %s is not something a learner can do", at, c.Op)
			} else if has && !enabled[ctl] {
				add(at, "%s: %s needs the control %q, which no step enables", at, c.Op, ctl)
			}
			continue
		}
		ok = false
	}
	if ok {
		checkMerged(l, add)
	}
	return out
}

// checkMerged parses the scenario with the solution's commands merged in by
// time (scenario steps first at equal times) and maps an error back to the
// command it names.
func checkMerged(l *lessons.Lesson, add func(path, format string, args ...any)) {
	var sc struct {
		Seed    json.RawMessage   `json:"seed,omitempty"`
		Cluster json.RawMessage   `json:"cluster"`
		Steps   []json.RawMessage `json:"steps"`
		Title   json.RawMessage   `json:"title,omitempty"`
	}
	if err := json.Unmarshal(l.Scenario, &sc); err != nil {
		add("scenario", "scenario: %v", err)
		return
	}
	type item struct {
		raw  json.RawMessage
		at   time.Duration
		path string
	}
	var items []item
	for i, raw := range sc.Steps {
		c, _ := scenario.ParseCommand(raw)
		items = append(items, item{raw, *c.At, fmt.Sprintf("scenario.steps[%d]", i)})
	}
	for i, raw := range l.Solution {
		c, _ := scenario.ParseCommand(raw)
		items = append(items, item{raw, *c.At, fmt.Sprintf("solution[%d]", i)})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].at < items[j].at })
	sc.Steps = sc.Steps[:0]
	for _, it := range items {
		sc.Steps = append(sc.Steps, it.raw)
	}
	merged, _ := json.Marshal(sc)
	_, err := scenario.Parse(merged)
	if err == nil {
		return
	}
	m := stepRef.FindStringSubmatch(err.Error())
	if m == nil {
		add("solution", "with the solution: %v", err)
		return
	}
	n, _ := strconv.Atoi(m[1])
	it := items[n-1]
	add(it.path, "%s: %s", it.path, strings.TrimPrefix(err.Error(), m[0]))
}
