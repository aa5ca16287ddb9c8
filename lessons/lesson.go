// Package lessons holds Brokerlab's lessons as data — one folder per lesson
// with lesson.json (scenario, steps with their goals and solutions) and text.<locale>.json
// (every learner-facing sentence, keyed by stable ids) — and the named goal
// predicates that check a lesson's goals against the engine's snapshot and
// trace. It imports no engine package but engine/view, so the UI can link it.
package lessons

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Lesson is one lesson (or the sandbox) as loaded from its folder.
type Lesson struct {
	ID      string `json:"id"`
	Order   int    `json:"order"`
	Sandbox bool   `json:"sandbox,omitempty"`
	// Scenario is the starting state: a full engine scenario for "open".
	Scenario json.RawMessage `json:"scenario"`
	Steps    []Step          `json:"steps"`
	// Solution is every step's solution, concatenated in step order: the
	// commands {"at", "op", ...} ("at" is absolute virtual time) that,
	// played on top of Scenario, reach every goal. The loader derives it;
	// lesson.json keeps the commands in its steps.
	Solution []json.RawMessage `json:"-"`
	// CommonBelief is a text id prefix: <id>.wrong and <id>.right hold the
	// belief and its correction. Empty when the lesson has none.
	CommonBelief string `json:"common_belief"`
	// Glossary lists the term ids the lesson's text links to; glossary.<term>
	// holds each definition.
	Glossary []string `json:"glossary"`

	// Dir is the lesson's folder name, File the path its problems are
	// reported under (e.g. "lessons/01-topics-partitions-records/lesson.json").
	Dir  string `json:"-"`
	File string `json:"-"`

	texts map[string]map[string]string // locale → key → text
	data  []byte                       // lesson.json, for line numbers
	tree  *node
}

// Step is one experiment of a lesson.
type Step struct {
	ID string `json:"id"`
	// Controls are the UI controls enabled in this step (see Controls).
	Controls []string `json:"controls"`
	Goals    []Goal   `json:"goals"`
	// Hints are text ids (hints.<id>), shown one at a time.
	Hints []string `json:"hints"`
	// Solution is this step's part of the lesson's solution: commands
	// {"at", "op", ...} with absolute "at" times, each op one this step's
	// controls allow (or a learner op such as open_record, see IsLearnerOp).
	// Played after the earlier steps' parts, they reach this step's goals.
	Solution []json.RawMessage `json:"solution,omitempty"`
}

// Goal is one check of a step: a registered predicate and its params.
type Goal struct {
	ID     string          `json:"id"`
	Check  string          `json:"check"`
	Params json.RawMessage `json:"params,omitempty"`

	pred   *Predicate
	params any
}

// DefaultLocale is the locale every text falls back to.
const DefaultLocale = "en"

// Text returns the lesson's text for key in locale, falling back to
// English; a key that is missing everywhere comes back as itself.
func (l *Lesson) Text(locale, key string) string {
	if t, ok := l.texts[locale][key]; ok {
		return t
	}
	if t, ok := l.texts[DefaultLocale][key]; ok {
		return t
	}
	return key
}

// Texts is the lesson's text table for locale (key → text), nil if it
// has none.
func (l *Lesson) Texts(locale string) map[string]string { return l.texts[locale] }

// SetTexts gives the lesson its text for locale, as ui.wasm does when it
// fetches a locale's text (only English is built into ui.wasm).
func (l *Lesson) SetTexts(locale string, t map[string]string) {
	if l.texts == nil {
		l.texts = map[string]map[string]string{}
	}
	l.texts[locale] = t
}

// Locales lists the locales the lesson has text for, sorted.
func (l *Lesson) Locales() []string {
	out := make([]string, 0, len(l.texts))
	for loc := range l.texts {
		out = append(out, loc)
	}
	sort.Strings(out)
	return out
}

// Step returns the step with the given id, or nil.
func (l *Lesson) Step(id string) *Step {
	for i := range l.Steps {
		if l.Steps[i].ID == id {
			return &l.Steps[i]
		}
	}
	return nil
}

// Goal returns the goal with the given id, or nil.
func (s *Step) Goal(id string) *Goal {
	for i := range s.Goals {
		if s.Goals[i].ID == id {
			return &s.Goals[i]
		}
	}
	return nil
}

// Line is the line of lesson.json where the value at path starts, e.g.
// "solution[2]" or "scenario.steps[0]"; for a path that does not exist, the
// line of the deepest part that does.
func (l *Lesson) Line(path string) int {
	if l.tree == nil {
		return 1 // loaded by loadLean, which keeps no positions
	}
	n := l.tree.find(path)
	if n == nil {
		return 1
	}
	return lineAt(l.data, n.off)
}

// ByID returns the lesson with the given id, or nil.
func ByID(ls []*Lesson, id string) *Lesson {
	for _, l := range ls {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// Issue is one problem found in a lesson file.
type Issue struct {
	File string
	Line int
	Msg  string
}

func (i Issue) String() string { return fmt.Sprintf("%s:%d: %s", i.File, i.Line, i.Msg) }

// Issues is every problem found, as one error: one "file:line: msg" a line.
type Issues []Issue

func (is Issues) Error() string {
	lines := make([]string, len(is))
	for i, x := range is {
		lines[i] = x.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders issues by file, then line, keeping the order within a line.
func (is Issues) Sort() {
	sort.SliceStable(is, func(i, j int) bool {
		if is[i].File != is[j].File {
			return is[i].File < is[j].File
		}
		return is[i].Line < is[j].Line
	})
}
