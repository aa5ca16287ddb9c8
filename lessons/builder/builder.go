// Package builder is the lesson builder's model: a Draft lesson made from
// a sandbox run (its scenario and the commands played so far become the
// lesson's starting scenario), with steps, goals from the predicate
// catalogue, hints and solutions recorded by playing. It checks a draft as
// the lessons' loader does, writes it out as a lesson folder (lesson.json,
// text.en.json, text.ko.json; or one stored zip) that drops into lessons/,
// and reads such a lesson back (Import, fuzzed). It knows no page: the
// builder's page only edits a Draft.
package builder

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// Locales the builder writes text for: English is required, Korean may
// translate any of it.
var Locales = []string{"en", "ko"}

// Text is one learner-facing sentence in each locale (locale → text).
type Text map[string]string

// Draft is a lesson being made.
type Draft struct {
	ID    string `json:"id"`
	Order int    `json:"order"`
	// Scenario is the starting state: the sandbox's scenario with the
	// commands the sandbox had run merged in at their times.
	Scenario json.RawMessage `json:"scenario"`
	// StartUS is the time the sandbox run had reached when the draft was
	// made: the solution's commands come at or after it.
	StartUS int64 `json:"start_us"`
	// Title, Summary and Objective are the lesson's own texts; Wrong and
	// Right the common belief it corrects and the correction.
	Title     Text   `json:"title"`
	Summary   Text   `json:"summary"`
	Objective Text   `json:"objective"`
	Wrong     Text   `json:"wrong"`
	Right     Text   `json:"right"`
	Steps     []Step `json:"steps"`
	// Glossary holds the terms the texts link to ([words](glossary:term)):
	// kept from an imported lesson, written back on export.
	Glossary []Term `json:"glossary,omitempty"`
}

// Term is one glossary entry: its id and definition.
type Term struct {
	ID   string `json:"id"`
	Text Text   `json:"text"`
}

// Step is one step of a draft.
type Step struct {
	ID   string `json:"id"`
	Text Text   `json:"text"`
	// Controls are controls enabled besides play, step, speed and the ones
	// the solution's commands need (see Draft.Controls).
	Controls []string `json:"controls,omitempty"`
	Goals    []Goal   `json:"goals"`
	Hints    []Hint   `json:"hints"`
	// Solution is the commands recorded for this step, each with its
	// absolute "at".
	Solution []json.RawMessage `json:"solution,omitempty"`
}

// Goal is a predicate of the catalogue with its params.
type Goal struct {
	ID     string          `json:"id"`
	Check  string          `json:"check"`
	Params json.RawMessage `json:"params,omitempty"`
	Text   Text            `json:"text"`
}

// Hint is one hint of a step.
type Hint struct {
	ID   string `json:"id"`
	Text Text   `json:"text"`
}

// Belief is the text id prefix of every builder lesson's common belief.
const Belief = "belief"

// baseControls are enabled in every step: the learner can always play.
var baseControls = []string{"play", "step", "speed"}

// New makes a draft from a sandbox run: scenario and journal as the run
// has them, nowUS the time it reached. order is the lesson's order (the
// first free one after the built-in lessons: NextOrder).
func New(scenario json.RawMessage, journal []session.Entry, nowUS int64, order int) (*Draft, error) {
	sc, err := StartingScenario(scenario, journal, nowUS)
	if err != nil {
		return nil, err
	}
	d := &Draft{ID: "my-lesson", Order: order, Scenario: sc, StartUS: nowUS,
		Title: Text{}, Summary: Text{}, Objective: Text{}, Wrong: Text{}, Right: Text{}}
	for range lessons.MinSteps {
		d.AddStep()
	}
	return d, nil
}

// NextOrder is the first order after every lesson in ls.
func NextOrder(ls []*lessons.Lesson) int {
	n := 0
	for _, l := range ls {
		n = max(n, l.Order)
	}
	return n + 1
}

// StartingScenario merges the journal's commands up to nowUS into the
// scenario's steps, each at the time it was applied (the scenario's own
// steps first at equal times): opened, the lesson plays the run so far.
func StartingScenario(scenario json.RawMessage, journal []session.Entry, nowUS int64) (json.RawMessage, error) {
	var sc map[string]json.RawMessage
	if err := json.Unmarshal(scenario, &sc); err != nil || sc == nil {
		return nil, fmt.Errorf("builder: the run's scenario is not a JSON object")
	}
	// The sandbox keeps broker logs in files (OPFS) so a reload can check
	// the disk against the replay; a lesson, as every built-in one, runs
	// on the memory backend, where the tests' native engine can run it too.
	var cluster map[string]json.RawMessage
	if json.Unmarshal(sc["cluster"], &cluster) == nil && cluster != nil {
		if _, ok := cluster["storage"]; ok {
			delete(cluster, "storage")
			sc["cluster"], _ = json.Marshal(cluster)
		}
	}
	var steps []json.RawMessage
	if raw, ok := sc["steps"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &steps); err != nil {
			return nil, fmt.Errorf("builder: the run's scenario steps are not a list: %v", err)
		}
	}
	type item struct {
		at  int64
		raw json.RawMessage
	}
	var items []item
	for i, raw := range steps {
		at, err := atOf(raw)
		if err != nil {
			return nil, fmt.Errorf("builder: scenario step %d: %v", i+1, err)
		}
		items = append(items, item{at, raw})
	}
	for _, e := range journal {
		if e.AtUS > nowUS {
			break
		}
		for _, c := range e.Commands {
			raw, err := WithAt(c, e.AtUS)
			if err != nil {
				return nil, err
			}
			items = append(items, item{e.AtUS, raw})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return cmpInt(a.at, b.at) })
	steps = steps[:0]
	for _, it := range items {
		steps = append(steps, it.raw)
	}
	if steps == nil {
		steps = []json.RawMessage{}
	}
	sc["steps"], _ = json.Marshal(steps)
	return marshalScenario(sc)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// marshalScenario writes a scenario with seed, cluster and steps first,
// one step a line, as the lessons write theirs.
func marshalScenario(sc map[string]json.RawMessage) (json.RawMessage, error) {
	var b strings.Builder
	b.WriteString("{")
	keys := []string{"seed", "cluster", "title"}
	for k := range sc {
		if !slices.Contains(keys, k) && k != "steps" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys[3:])
	keys = append(keys, "steps")
	first := true
	for _, k := range keys {
		v, ok := sc[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		kj, _ := json.Marshal(k)
		b.Write(kj)
		b.WriteString(": ")
		if k != "steps" {
			c, err := compact(v)
			if err != nil {
				return nil, fmt.Errorf("builder: scenario %s: %v", k, err)
			}
			b.Write(c)
			continue
		}
		var steps []json.RawMessage
		json.Unmarshal(v, &steps)
		b.WriteString("[")
		for i, s := range steps {
			if i > 0 {
				b.WriteString(",")
			}
			c, err := compact(s)
			if err != nil {
				return nil, fmt.Errorf("builder: scenario step %d: %v", i+1, err)
			}
			b.WriteString("\n")
			b.Write(c)
		}
		b.WriteString("]")
	}
	b.WriteString("}")
	return json.RawMessage(b.String()), nil
}

// atOf reads a command's "at".
func atOf(raw json.RawMessage) (int64, error) {
	var h struct {
		At string `json:"at"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return 0, fmt.Errorf("not a command object")
	}
	d, err := time.ParseDuration(h.At)
	if err != nil || d < 0 {
		return 0, fmt.Errorf(`"at" %q is not a virtual time such as "1.5s"`, h.At)
	}
	return int64(d / time.Microsecond), nil
}

// WithAt returns the command with "at" set to us (first, as lessons
// write it), dropping any "at" it had.
func WithAt(cmd json.RawMessage, us int64) (json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(cmd, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("builder: a command is not a JSON object")
	}
	delete(obj, "at")
	var b strings.Builder
	b.WriteString(`{"at": "` + FormatAt(us) + `"`)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if i := slices.Index(keys, "op"); i > 0 {
		keys = append(append([]string{"op"}, keys[:i]...), keys[i+1:]...)
	}
	for _, k := range keys {
		kj, _ := json.Marshal(k)
		c, err := compact(obj[k])
		if err != nil {
			return nil, err
		}
		b.WriteString(", ")
		b.Write(kj)
		b.WriteString(": ")
		b.Write(c)
	}
	b.WriteString("}")
	return json.RawMessage(b.String()), nil
}

// FormatAt writes a virtual time as the lessons do: "12s", "1.5s",
// "250ms", "12.000125s".
func FormatAt(us int64) string {
	return strconv.FormatFloat(float64(us)/1e6, 'f', -1, 64) + "s"
}

func compact(raw json.RawMessage) ([]byte, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// AddStep appends an empty step with a fresh id and returns its index.
func (d *Draft) AddStep() int {
	d.Steps = append(d.Steps, Step{ID: d.freshID("step", func(id string) bool { return d.step(id) >= 0 }), Text: Text{}})
	return len(d.Steps) - 1
}

// RemoveStep drops step i.
func (d *Draft) RemoveStep(i int) {
	if i >= 0 && i < len(d.Steps) {
		d.Steps = slices.Delete(d.Steps, i, i+1)
	}
}

// AddGoal appends a goal with the given check to step i and returns its
// index (-1 if there is no step i).
func (d *Draft) AddGoal(i int, check string) int {
	if i < 0 || i >= len(d.Steps) {
		return -1
	}
	st := &d.Steps[i]
	id := d.freshID(st.ID+"-goal", d.goalUsed)
	st.Goals = append(st.Goals, Goal{ID: id, Check: check, Params: json.RawMessage("{}"), Text: Text{}})
	return len(st.Goals) - 1
}

// AddHint appends a hint to step i and returns its index.
func (d *Draft) AddHint(i int) int {
	if i < 0 || i >= len(d.Steps) {
		return -1
	}
	st := &d.Steps[i]
	id := d.freshID(st.ID+"-hint", d.hintUsed)
	st.Hints = append(st.Hints, Hint{ID: id, Text: Text{}})
	return len(st.Hints) - 1
}

// Record makes the commands of journal entries the solution of step i:
// each command with the time it was applied. Entries before the draft's
// start or before the previous steps' last command are refused.
func (d *Draft) Record(i int, entries []session.Entry) error {
	if i < 0 || i >= len(d.Steps) {
		return fmt.Errorf("builder: no step %d", i+1)
	}
	var sol []json.RawMessage
	floor := d.floor(i)
	for _, e := range entries {
		if e.AtUS < floor {
			return fmt.Errorf("builder: a command at %s comes before %s: record each step after the one before (rewind to start over)", FormatAt(e.AtUS), FormatAt(floor))
		}
		for _, c := range e.Commands {
			raw, err := WithAt(c, e.AtUS)
			if err != nil {
				return err
			}
			sol = append(sol, raw)
		}
	}
	d.Steps[i].Solution = sol
	return nil
}

// floor is the earliest time step i's solution may start at: the draft's
// start, or the last command of the steps before.
func (d *Draft) floor(i int) int64 {
	f := d.StartUS
	for _, st := range d.Steps[:i] {
		for _, c := range st.Solution {
			if at, err := atOf(c); err == nil {
				f = max(f, at)
			}
		}
	}
	return f
}

// Controls is what step i enables: play, step and speed, the control of
// each op of its solution, and the step's own extra controls, in
// lessons.Controls order.
func (d *Draft) Controls(i int) []string {
	st := d.Steps[i]
	want := map[string]bool{}
	for _, c := range baseControls {
		want[c] = true
	}
	for _, c := range st.Controls {
		want[c] = true
	}
	for _, raw := range st.Solution {
		var h struct {
			Op string `json:"op"`
		}
		json.Unmarshal(raw, &h)
		if c, ok := lessons.ControlFor(h.Op); ok {
			want[c] = true
		} else if lessons.IsLearnerOp(h.Op) {
			want["inspect_record"] = true
		}
	}
	var out []string
	for _, c := range lessons.Controls() {
		if want[c] {
			out = append(out, c)
		}
	}
	return out
}

func (d *Draft) step(id string) int {
	return slices.IndexFunc(d.Steps, func(s Step) bool { return s.ID == id })
}

func (d *Draft) goalUsed(id string) bool {
	for _, st := range d.Steps {
		if slices.ContainsFunc(st.Goals, func(g Goal) bool { return g.ID == id }) {
			return true
		}
	}
	return false
}

func (d *Draft) hintUsed(id string) bool {
	for _, st := range d.Steps {
		if slices.ContainsFunc(st.Hints, func(h Hint) bool { return h.ID == id }) {
			return true
		}
	}
	return false
}

// freshID is prefix-N for the first N from 1 that used does not know.
func (d *Draft) freshID(prefix string, used func(string) bool) string {
	for n := 1; ; n++ {
		id := fmt.Sprintf("%s-%d", prefix, n)
		if !used(id) {
			return id
		}
	}
}

// Folder is the lesson's folder name in lessons/: NN-id.
func (d *Draft) Folder() string { return fmt.Sprintf("%02d-%s", d.Order, d.ID) }
