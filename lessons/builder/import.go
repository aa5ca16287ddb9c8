package builder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/lessons"
)

// A bundle is a whole lesson in one JSON object: {"lesson": lesson.json,
// "text": {"en": text.en.json, "ko": ...}}. A share link carries one (a
// lesson that plays straight away) and Import reads one back into a draft.

// Limits on what Import reads: a lesson is a few kilobytes of text and a
// scenario; nothing it holds may ask for more.
const (
	MaxBundle   = 1 << 20 // bytes
	maxGoals    = 12      // per step
	maxHints    = 24      // per step
	maxCommands = 2000    // per step
	maxTexts    = 2000    // keys per locale
	maxTerms    = 64
)

// bundle is the wire form of a lesson.
type bundle struct {
	Lesson json.RawMessage              `json:"lesson"`
	Text   map[string]map[string]string `json:"text"`
}

// lessonFile is lesson.json as the loader reads it (lessons.Lesson), for a
// strict decode.
type lessonFile struct {
	ID           string          `json:"id"`
	Order        int             `json:"order"`
	Scenario     json.RawMessage `json:"scenario"`
	Steps        []stepFile      `json:"steps"`
	CommonBelief string          `json:"common_belief"`
	Glossary     []string        `json:"glossary"`
}

type stepFile struct {
	ID       string            `json:"id"`
	Controls []string          `json:"controls"`
	Goals    []lessons.Goal    `json:"goals"`
	Hints    []string          `json:"hints"`
	Solution []json.RawMessage `json:"solution,omitempty"`
}

// Bundle writes the draft as a bundle (see Import).
func (d *Draft) Bundle() ([]byte, error) {
	lj, err := d.LessonJSON()
	if err != nil {
		return nil, err
	}
	b := bundle{Lesson: lj, Text: map[string]map[string]string{}}
	for _, loc := range Locales {
		t := map[string]string{}
		for _, kt := range d.TextKeys() {
			if s := strings.TrimSpace(kt.Text[loc]); s != "" {
				t[kt.Key] = s
			}
		}
		if len(t) > 0 || loc == "en" {
			b.Text[loc] = t
		}
	}
	return json.Marshal(b)
}

// BundleFiles makes a bundle of a lesson folder's files (lesson.json and
// text.<locale>.json, by base name; other files are ignored).
func BundleFiles(files []File) ([]byte, error) {
	b := bundle{Text: map[string]map[string]string{}}
	for _, f := range files {
		base := f.Name[strings.LastIndexByte(f.Name, '/')+1:]
		switch {
		case base == "lesson.json":
			b.Lesson = f.Data
		case strings.HasPrefix(base, "text.") && strings.HasSuffix(base, ".json"):
			var t map[string]string
			if err := json.Unmarshal(f.Data, &t); err != nil {
				return nil, fmt.Errorf("%s: %v", f.Name, err)
			}
			b.Text[strings.TrimSuffix(strings.TrimPrefix(base, "text."), ".json")] = t
		}
	}
	if b.Lesson == nil {
		return nil, fmt.Errorf("no lesson.json among the files")
	}
	return json.Marshal(b)
}

// Import reads a bundle back into a draft. It trusts nothing: every way a
// bundle can be wrong is an error in plain words, and it never holds more
// than the limits above. A lesson the builder did not make imports too,
// with its steps, goals, hints, solutions and texts; texts in locales
// other than English and Korean are left out.
func Import(data []byte) (*Draft, error) {
	if len(data) > MaxBundle {
		return nil, fmt.Errorf("the lesson is larger than %d KB: no lesson is that large", MaxBundle>>10)
	}
	var b bundle
	if err := strictJSON(data, &b); err != nil {
		return nil, fmt.Errorf("not a Brokerlab lesson: %v", err)
	}
	var lf lessonFile
	if err := strictJSON(b.Lesson, &lf); err != nil {
		return nil, fmt.Errorf("its lesson.json does not read: %v", err)
	}
	var sc map[string]json.RawMessage
	if json.Unmarshal(lf.Scenario, &sc) != nil || sc == nil {
		return nil, fmt.Errorf("its scenario is not a JSON object")
	}
	switch {
	case len(lf.Steps) > lessons.MaxSteps:
		return nil, fmt.Errorf("it has %d steps; a lesson has at most %d", len(lf.Steps), lessons.MaxSteps)
	case len(lf.Glossary) > maxTerms:
		return nil, fmt.Errorf("it lists %d glossary terms; at most %d", len(lf.Glossary), maxTerms)
	}
	en := b.Text["en"]
	if en == nil {
		return nil, fmt.Errorf("it has no English text")
	}
	for loc, t := range b.Text {
		if len(t) > maxTexts {
			return nil, fmt.Errorf("its %s text has %d keys; at most %d", loc, len(t), maxTexts)
		}
	}
	text := func(key string) Text {
		t := Text{}
		for _, loc := range Locales {
			if s, ok := b.Text[loc][key]; ok {
				t[loc] = s
			}
		}
		return t
	}
	belief := lf.CommonBelief
	if belief == "" {
		belief = Belief
	}
	d := &Draft{ID: lf.ID, Order: lf.Order, Title: text("title"), Summary: text("summary"), Objective: text("objective"),
		Wrong: text(belief + ".wrong"), Right: text(belief + ".right")}
	var err error
	if d.Scenario, err = marshalScenario(sc); err != nil {
		return nil, fmt.Errorf("its scenario: %v", err)
	}
	start := int64(-1)
	for i, sf := range lf.Steps {
		switch {
		case len(sf.Goals) > maxGoals:
			return nil, fmt.Errorf("step %d has %d goals; at most %d", i+1, len(sf.Goals), maxGoals)
		case len(sf.Hints) > maxHints:
			return nil, fmt.Errorf("step %d has %d hints; at most %d", i+1, len(sf.Hints), maxHints)
		case len(sf.Solution) > maxCommands:
			return nil, fmt.Errorf("step %d has %d commands; at most %d", i+1, len(sf.Solution), maxCommands)
		}
		st := Step{ID: sf.ID, Text: text("steps." + sf.ID + ".text")}
		for _, g := range sf.Goals {
			st.Goals = append(st.Goals, Goal{ID: g.ID, Check: g.Check, Params: g.Params, Text: text("goals." + g.ID)})
		}
		for _, h := range sf.Hints {
			st.Hints = append(st.Hints, Hint{ID: h, Text: text("hints." + h)})
		}
		for j, c := range sf.Solution {
			at, err := atOf(c)
			if err != nil {
				return nil, fmt.Errorf("step %d, command %d: %v", i+1, j+1, err)
			}
			if st.Solution == nil {
				st.Solution = []json.RawMessage{}
			}
			raw, err := WithAt(c, at)
			if err != nil {
				return nil, fmt.Errorf("step %d, command %d: %v", i+1, j+1, err)
			}
			st.Solution = append(st.Solution, raw)
			if start < 0 {
				start = at
			}
		}
		d.Steps = append(d.Steps, st)
		derived := d.Controls(i)
		for _, c := range sf.Controls {
			if !slicesContains(derived, c) && !slicesContains(d.Steps[i].Controls, c) {
				d.Steps[i].Controls = append(d.Steps[i].Controls, c)
			}
		}
	}
	for _, id := range lf.Glossary {
		d.Glossary = append(d.Glossary, Term{ID: id, Text: text("glossary." + id)})
	}
	d.StartUS = max(start, 0)
	return d, nil
}

// strictJSON decodes one JSON value into v, refusing unknown fields and
// anything after it.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return fmt.Errorf("more data after the lesson")
	}
	return nil
}
