// Package lint checks what package lessons cannot without the engine: that
// each lesson's scenario and its steps' solutions are ones engine/scenario
// accepts. It also plays a lesson's solution on an engine (Play), step by
// step, on time or as a late learner would. It stays out of the UI binary.
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

// Check parses the lesson's scenario with scenario.Parse, each step's
// solution command with scenario.ParseCommand, then the scenario with the
// solution merged in (so a command that names an unknown producer is
// caught). Package lessons already checked each command's "at", op and
// control; learner ops (open_record) never reach the engine and are left
// to it.
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
	ok := true
	for _, c := range l.Commands() {
		if lessons.IsLearnerOp(c.Op) {
			continue
		}
		if _, err := scenario.ParseCommand(c.Raw); err != nil {
			add(c.Path(), "%s: %v", c.Path(), err)
			ok = false
		}
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
	for _, c := range l.Commands() {
		if !lessons.IsLearnerOp(c.Op) {
			items = append(items, item{c.Raw, c.At, c.Path()})
		}
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
