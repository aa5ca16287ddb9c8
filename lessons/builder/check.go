package builder

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/brokerlab/brokerlab/internal/pattern"
	"github.com/brokerlab/brokerlab/lessons"
)

// Issue is one problem of a draft, at the field the builder shows it next
// to: "id", "title", "steps[1].text", "steps[0].goals[2].params",
// "steps[0].hints", "steps[2].solution".
type Issue struct {
	Field string
	Msg   string
}

func (i Issue) String() string { return i.Field + ": " + i.Msg }

// slug is the shape of every id (the loader's rule).
var slug = pattern.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Check finds what the lessons' loader would refuse in the exported
// lesson, at the draft's fields: ids, the step count, goals with known
// checks and params they accept, a hint per goal, English text for every
// key, a solution in time order that only the step's controls run. ls
// are the lessons already there: the draft's id and order must be free.
// What only playing shows (every goal reached by the solution, none
// without it) is lessons/lint's Verify.
func (d *Draft) Check(ls []*lessons.Lesson) []Issue {
	var out []Issue
	add := func(field, format string, args ...any) {
		out = append(out, Issue{field, fmt.Sprintf(format, args...)})
	}
	idOK := func(field, id string) {
		if !slug.MatchString(id) {
			add(field, "%q must be lowercase letters, digits and single hyphens", id)
		}
	}
	idOK("id", d.ID)
	if d.Order < 1 || d.Order > 99 {
		add("order", "the order must be from 1 to 99, not %d", d.Order)
	}
	for _, l := range ls {
		if l.ID == d.ID {
			add("id", "lesson %d already has the id %q", l.Order, d.ID)
		}
		if !l.Sandbox && l.Order == d.Order {
			add("order", "lesson %q already has the order %d", l.ID, d.Order)
		}
	}
	var sc map[string]json.RawMessage
	if json.Unmarshal(d.Scenario, &sc) != nil || sc == nil {
		add("scenario", "the starting scenario is not a JSON object")
	}
	text := func(field string, t Text) {
		if strings.TrimSpace(t["en"]) == "" {
			add(field, "write it in English (Korean is optional; English is every locale's fallback)")
		}
	}
	text("title", d.Title)
	text("summary", d.Summary)
	text("objective", d.Objective)
	text("wrong", d.Wrong)
	text("right", d.Right)
	if n := len(d.Steps); n < lessons.MinSteps || n > lessons.MaxSteps {
		add("steps", "a lesson has %d to %d steps, this one %d", lessons.MinSteps, lessons.MaxSteps, n)
	}
	ids := map[string]string{}
	unique := func(field, id string) {
		if prev, ok := ids[id]; ok && id != "" {
			add(field, "the id %q is also used at %s", id, prev)
		}
		ids[id] = field
	}
	solved := false
	last, lastField := d.StartUS, "the start"
	for i, st := range d.Steps {
		sp := fmt.Sprintf("steps[%d]", i)
		idOK(sp+".id", st.ID)
		unique(sp+".id", "step:"+st.ID)
		text(sp+".text", st.Text)
		if len(st.Goals) == 0 {
			add(sp+".goals", "add a goal: what the learner must reach in this step")
		}
		if len(st.Hints) < len(st.Goals) {
			add(sp+".hints", "%d goals but %d hints; give at least one hint per goal", len(st.Goals), len(st.Hints))
		}
		for j, c := range st.Controls {
			if !slicesContains(lessons.Controls(), c) {
				add(fmt.Sprintf("%s.controls[%d]", sp, j), "unknown control %q", c)
			}
		}
		for j, g := range st.Goals {
			gp := fmt.Sprintf("%s.goals[%d]", sp, j)
			idOK(gp+".id", g.ID)
			unique(gp+".id", "goal:"+g.ID)
			text(gp+".text", g.Text)
			p := lessons.LookupPredicate(g.Check)
			if p == nil {
				add(gp+".check", "pick a check from the catalogue (%q is not one)", g.Check)
				continue
			}
			if _, err := p.ParseParams(paramsOrEmpty(g.Params)); err != nil {
				add(gp+".params", "%s: %v", g.Check, err)
			}
		}
		for j, h := range st.Hints {
			hp := fmt.Sprintf("%s.hints[%d]", sp, j)
			idOK(hp+".id", h.ID)
			unique(hp+".id", "hint:"+h.ID)
			text(hp+".text", h.Text)
		}
		for j, c := range st.Solution {
			cp := fmt.Sprintf("%s.solution[%d]", sp, j)
			solved = true
			at, err := atOf(c)
			if err != nil {
				add(cp, "%v", err)
				continue
			}
			var h struct {
				Op string `json:"op"`
			}
			json.Unmarshal(c, &h)
			if _, ok := lessons.ControlFor(h.Op); !ok && !lessons.IsLearnerOp(h.Op) {
				add(cp, "%s is not something a learner can do", h.Op)
			}
			if at < last {
				add(cp, "%s at %s comes before %s (%s): record the steps in order", h.Op, FormatAt(at), lastField, FormatAt(last))
			} else {
				last, lastField = at, cp
			}
		}
	}
	if !solved {
		add("steps", "record a solution: no step has one yet")
	}
	out = append(out, d.checkTranslation()...)
	return out
}

// textField is one text of the draft and the field it is edited in.
type textField struct {
	field string
	text  Text
}

// textFields lists every text of the draft with its field, in TextKeys'
// order.
func (d *Draft) textFields() []textField {
	out := []textField{{"title", d.Title}, {"summary", d.Summary}, {"objective", d.Objective}}
	for i, st := range d.Steps {
		sp := fmt.Sprintf("steps[%d]", i)
		out = append(out, textField{sp + ".text", st.Text})
		for j, g := range st.Goals {
			out = append(out, textField{fmt.Sprintf("%s.goals[%d].text", sp, j), g.Text})
		}
		for j, h := range st.Hints {
			out = append(out, textField{fmt.Sprintf("%s.hints[%d].text", sp, j), h.Text})
		}
	}
	out = append(out, textField{"wrong", d.Wrong}, textField{"right", d.Right})
	for i, t := range d.Glossary {
		out = append(out, textField{fmt.Sprintf("glossary[%d]", i), t.Text})
	}
	return out
}

// glossaryTarget and backticked are what a translation keeps of its
// English text (lessons' locale test): its glossary links, its code spans.
var (
	glossaryTarget = pattern.MustCompile(`\(glossary:[^)]*\)`)
	backticked     = pattern.MustCompile("`[^`]*`")
)

func matches(re *pattern.Regexp, s string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, m[0])
	}
	return out
}

// checkTranslation holds the Korean text, once there is any, to the
// lessons' rule for a translation: every English text translated (not
// left in English), with the same glossary links and code spans.
func (d *Draft) checkTranslation() []Issue {
	fields := d.textFields()
	any := false
	for _, f := range fields {
		any = any || strings.TrimSpace(f.text["ko"]) != ""
	}
	if !any {
		return nil
	}
	var out []Issue
	for _, f := range fields {
		en, ko := strings.TrimSpace(f.text["en"]), strings.TrimSpace(f.text["ko"])
		switch {
		case en == "":
		case ko == "":
			out = append(out, Issue{f.field, "translate it into Korean too, or leave every Korean field empty: a Korean text file covers all of the English"})
		case ko == en && len(en) > 12:
			out = append(out, Issue{f.field, "the Korean text is still the English one"})
		default:
			for _, re := range []*pattern.Regexp{glossaryTarget, backticked} {
				a, b := matches(re, en), matches(re, ko)
				slices.Sort(a)
				slices.Sort(b)
				if !slices.Equal(a, b) {
					out = append(out, Issue{f.field, fmt.Sprintf("the Korean text has %q where the English has %q: keep the same glossary links and `code`", b, a)})
				}
			}
		}
	}
	return out
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// ParamsFrom makes a goal's params object from the builder form's values
// (param name → what was typed; empty values are left out), typed as the
// predicate's Params say. A value that does not read as its kind is an
// Issue at "params.<name>".
func ParamsFrom(p *lessons.Predicate, values map[string]string) (json.RawMessage, []Issue) {
	obj := map[string]json.RawMessage{}
	var out []Issue
	for _, q := range p.Params() {
		v := strings.TrimSpace(values[q.Name])
		if v == "" {
			continue
		}
		var raw json.RawMessage
		switch q.Kind {
		case "text":
			raw, _ = json.Marshal(v)
		default:
			var x any
			if err := json.Unmarshal([]byte(v), &x); err != nil {
				out = append(out, Issue{"params." + q.Name, fmt.Sprintf("%q is not %s", v, kindWords[q.Kind])})
				continue
			}
			raw = json.RawMessage(v)
		}
		obj[q.Name] = raw
	}
	js, _ := json.Marshal(obj)
	return js, out
}

var kindWords = map[string]string{
	"whole": "a whole number", "number": "a number", "flag": "true or false",
	"list": "a JSON list", "object": "a JSON object",
}

// ParamValues is the inverse of ParamsFrom: each param's value as the form
// shows it.
func ParamValues(params json.RawMessage) map[string]string {
	var obj map[string]json.RawMessage
	json.Unmarshal(params, &obj)
	out := map[string]string{}
	for k, v := range obj {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
		} else {
			out[k] = string(v)
		}
	}
	return out
}
