package builder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// File is one file of an exported lesson folder.
type File struct {
	Name string // e.g. "17-my-lesson/lesson.json"
	Data []byte
}

// Files writes the draft as its lesson folder: lesson.json, text.en.json
// and, when any Korean text was written, text.ko.json.
func (d *Draft) Files() ([]File, error) {
	lj, err := d.LessonJSON()
	if err != nil {
		return nil, err
	}
	dir := d.Folder() + "/"
	out := []File{{dir + "lesson.json", lj}}
	for _, loc := range Locales {
		t := d.TextJSON(loc)
		if t == nil {
			continue
		}
		out = append(out, File{dir + "text." + loc + ".json", t})
	}
	return out, nil
}

// LessonJSON writes lesson.json as the hand-written lessons look: one
// line per scenario step, goal and command.
func (d *Draft) LessonJSON() ([]byte, error) {
	var b bytes.Buffer
	line := func(format string, args ...any) { fmt.Fprintf(&b, format, args...); b.WriteByte('\n') }
	js := func(v any) string { j, _ := json.Marshal(v); return string(j) }
	sc, err := d.scenarioText()
	if err != nil {
		return nil, err
	}
	line("{")
	line(`  "id": %s,`, js(d.ID))
	line(`  "order": %d,`, d.Order)
	line(`  "scenario": %s,`, sc)
	line(`  "steps": [`)
	for i, st := range d.Steps {
		line(`    {`)
		line(`      "id": %s,`, js(st.ID))
		line(`      "controls": %s,`, strings.ReplaceAll(js(d.Controls(i)), `","`, `", "`))
		line(`      "goals": [`)
		for j, g := range st.Goals {
			params, err := compact(paramsOrEmpty(g.Params))
			if err != nil {
				return nil, fmt.Errorf("builder: steps[%d].goals[%d].params: %v", i, j, err)
			}
			line(`        {"id": %s, "check": %s, "params": %s}%s`, js(g.ID), js(g.Check), params, comma(j, len(st.Goals)))
		}
		line(`      ],`)
		hints := make([]string, len(st.Hints))
		for j, h := range st.Hints {
			hints[j] = h.ID
		}
		if hints == nil {
			hints = []string{}
		}
		sep := ","
		if len(st.Solution) == 0 {
			sep = ""
		}
		line(`      "hints": %s%s`, strings.ReplaceAll(js(hints), `","`, `", "`), sep)
		if len(st.Solution) > 0 {
			line(`      "solution": [`)
			for j, c := range st.Solution {
				cc, err := WithAt(c, mustAt(c))
				if err != nil {
					return nil, fmt.Errorf("builder: steps[%d].solution[%d]: %v", i, j, err)
				}
				line(`        %s%s`, cc, comma(j, len(st.Solution)))
			}
			line(`      ]`)
		}
		line(`    }%s`, comma(i, len(d.Steps)))
	}
	line(`  ],`)
	line(`  "common_belief": %s,`, js(Belief))
	terms := make([]string, len(d.Glossary))
	for i, t := range d.Glossary {
		terms[i] = t.ID
	}
	if terms == nil {
		terms = []string{}
	}
	line(`  "glossary": %s`, strings.ReplaceAll(js(terms), `","`, `", "`))
	line("}")
	return b.Bytes(), nil
}

// scenarioText is the scenario with its steps one a line, indented.
func (d *Draft) scenarioText() (string, error) {
	var sc map[string]json.RawMessage
	if err := json.Unmarshal(d.Scenario, &sc); err != nil || sc == nil {
		return "", fmt.Errorf("builder: the scenario is not a JSON object")
	}
	m, err := marshalScenario(sc)
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(string(m), "\n", "\n      "), nil
}

func mustAt(c json.RawMessage) int64 { at, _ := atOf(c); return at }

func paramsOrEmpty(p json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(p)) == 0 || string(p) == "null" {
		return json.RawMessage("{}")
	}
	return p
}

func comma(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}

// TextKeys lists every text key of the draft with its text, in lesson
// order (the keys lessons.Lesson.TextKeys names).
func (d *Draft) TextKeys() []struct {
	Key  string
	Text Text
} {
	type kt = struct {
		Key  string
		Text Text
	}
	out := []kt{{"title", d.Title}, {"summary", d.Summary}, {"objective", d.Objective}}
	for _, st := range d.Steps {
		out = append(out, kt{"steps." + st.ID + ".text", st.Text})
		for _, g := range st.Goals {
			out = append(out, kt{"goals." + g.ID, g.Text})
		}
		for _, h := range st.Hints {
			out = append(out, kt{"hints." + h.ID, h.Text})
		}
	}
	out = append(out, kt{Belief + ".wrong", d.Wrong}, kt{Belief + ".right", d.Right})
	for _, t := range d.Glossary {
		out = append(out, kt{"glossary." + t.ID, t.Text})
	}
	return out
}

// TextJSON writes text.<locale>.json: every key with text in that locale,
// in lesson order; nil when a locale other than English has none.
func (d *Draft) TextJSON(locale string) []byte {
	var b bytes.Buffer
	b.WriteString("{")
	n := 0
	for _, kt := range d.TextKeys() {
		t := strings.TrimSpace(kt.Text[locale])
		if t == "" {
			continue
		}
		if n > 0 {
			b.WriteString(",")
		}
		k, _ := json.Marshal(kt.Key)
		v, _ := json.Marshal(t)
		fmt.Fprintf(&b, "\n  %s: %s", k, v)
		n++
	}
	if n == 0 && locale != "en" {
		return nil
	}
	b.WriteString("\n}\n")
	return b.Bytes()
}
