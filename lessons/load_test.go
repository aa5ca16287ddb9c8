package lessons

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brokerlab/brokerlab/engine/view"
)

func TestLoadEmbedded(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatalf("Load:\n%v", err)
	}
	if len(ls) < 2 {
		t.Fatalf("Load returned %d lessons, want lesson 1 and the sandbox at least", len(ls))
	}
	for i, l := range ls {
		if l.Sandbox != (i == len(ls)-1) {
			t.Errorf("lesson %d (%s): sandbox %v; the sandbox must come last, alone", i, l.ID, l.Sandbox)
		}
		if i > 0 && !l.Sandbox && l.Order <= ls[i-1].Order {
			t.Errorf("lesson %s (order %d) comes after order %d", l.ID, l.Order, ls[i-1].Order)
		}
		for _, st := range l.Steps {
			for _, g := range st.Goals {
				if g.Predicate() == nil {
					t.Errorf("%s: goal %s has no predicate bound", l.ID, g.ID)
				}
			}
		}
	}
	if ByID(ls, "topics-partitions-records") == nil || ByID(ls, "sandbox") == nil {
		t.Errorf("Load: lesson 1 or the sandbox is missing")
	}
}

// TestEveryTextKeyExistsInEnglish asks each lesson for every text its
// structure refers to: English must have all of them.
func TestEveryTextKeyExistsInEnglish(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		keys := l.TextKeys()
		if len(keys) < 4 {
			t.Errorf("%s: only %d text keys", l.ID, len(keys))
		}
		for _, k := range keys {
			if text := l.Text(DefaultLocale, k); text == k || strings.TrimSpace(text) == "" {
				t.Errorf("%s: no English text for %q", l.ID, k)
			}
		}
	}
}

func TestLessonOneCoversTheCurriculum(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	l := ByID(ls, "topics-partitions-records")
	for _, term := range []string{"topic", "partition", "offset", "record", "key", "header", "timestamp", "murmur2", "segment"} {
		if !slices.Contains(l.Glossary, term) {
			t.Errorf("lesson 1 glossary lacks %q", term)
		}
	}
	checks := map[string]bool{}
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			checks[g.Check] = true
		}
	}
	for _, c := range []string{"same_key_same_partition", "records_spread", "record_with_header", "same_offset_in_partitions"} {
		if !checks[c] {
			t.Errorf("lesson 1 has no %s goal", c)
		}
	}
	if !strings.Contains(l.Text("en", "belief.wrong"), "hashCode") || !strings.Contains(l.Text("en", "belief.right"), "murmur2") {
		t.Errorf("lesson 1's common belief must correct hashCode() with murmur2")
	}
}

func TestBrokenLessons(t *testing.T) {
	for _, c := range []struct {
		dir  string
		want []string
	}{
		{"valid", nil},
		{"bad_json", []string{
			"01-demo/lesson.json:13: bad JSON: invalid character '{' after object key:value pair"}},
		{"bad_text_json", []string{
			"01-demo/text.en.json:8: bad JSON: invalid character ',' looking for beginning of object key string"}},
		{"duplicate_key", []string{
			`01-demo/lesson.json:19: bad JSON: field "order" is given twice`}},
		{"wrong_type", []string{
			"01-demo/lesson.json:3: order must be a whole number, not JSON string"}},
		{"unknown_fields", []string{
			`01-demo/lesson.json:4: unknown field "titel" (allowed: common_belief, glossary, id, order, sandbox, scenario, steps)`,
			`01-demo/lesson.json:12: unknown field "weight" in steps[1].goals[0] (allowed: check, id, params)`}},
		{"missing_ids", []string{
			`01-demo/lesson.json:10: steps[1]: missing "id"`,
			`01-demo/lesson.json:14: steps[2].goals[0]: missing "id"`}},
		{"duplicate_ids", []string{
			`01-demo/lesson.json:11: steps[1].goals[0]: goal id "g1" is used twice`,
			`01-demo/lesson.json:13: steps[2]: step id "two" is used twice`,
			`01-demo/lesson.json:15: steps[2].hints[1]: hint id "h3" is used twice`,
			`01-demo/lesson.json:18: glossary[1]: term "topic" is listed twice`}},
		{"checks", []string{
			`01-demo/lesson.json:8: steps[0].goals[0]: unknown check "producer_ackd" (known: ` + predicateNames() + `)`,
			`01-demo/lesson.json:11: steps[1].goals[0]: topic_exists params: "partitions" must not be negative, got -3`,
			`01-demo/lesson.json:14: steps[2].goals[0]: consumer_read params: missing "consumer"`}},
		{"controls", []string{
			`01-demo/lesson.json:7: steps[0].controls[2]: unknown control "rewind" (known: ` + strings.Join(Controls(), ", ") + ")",
			`01-demo/lesson.json:7: steps[0].controls[3]: control "play" is listed twice`,
			`01-demo/lesson.json:10: steps[1]: no controls: the learner could not do anything`}},
		{"structure", []string{
			`01-demo/lesson.json:2: id: "Demo_1" must be lowercase letters, digits and single hyphens`,
			`01-demo/lesson.json:6: steps: no step has a solution (the commands that reach its goals)`,
			`01-demo/lesson.json:12: steps[1]: 1 goal but 0 hints; give at least one hint per goal`,
			`01-demo/lesson.json:17: common_belief: missing (CURRICULUM.md names one for this lesson)`}},
		{"texts", []string{
			`01-demo/lesson.json:11: text.en.json has no "goals.g2"`,
			`01-demo/text.KO.json:1: "KO" is not a locale such as en, ko or pt-BR`,
			`01-demo/text.en.json:3: "summary" links to glossary term "record", which lesson.json's glossary does not list`,
			`01-demo/text.en.json:12: "hints.h3" is empty`,
			`01-demo/text.en.json:16: "goals.old" is not used by lesson.json`,
			`01-demo/text.ko.json:3: "hints.h9" is not a key of lesson.json's text`}},
		{"no_english", []string{
			`01-demo/text.en.json:1: missing: English text is required (it is every other locale's fallback)`}},
		{"two_lessons", []string{
			`02-demo/lesson.json:2: id "demo" is also used by testdata/two_lessons/01-demo/lesson.json`,
			`03-other/lesson.json:3: order 3 is also used by testdata/two_lessons/03-again/lesson.json`}},
		{"top_solution", []string{
			`01-demo/lesson.json:17: a top-level "solution" is no longer read: put its commands into the steps, each step's own commands in its "solution" list`}},
		{"step_solutions", []string{
			`01-demo/lesson.json:12: steps[0].solution[1]: a command must be an object {"at", "op", ...}`,
			`01-demo/lesson.json:13: steps[0].solution[2]: produce: missing "at" (the absolute virtual time, e.g. "1.5s")`,
			`01-demo/lesson.json:14: steps[0].solution[3]: missing "op"`,
			`01-demo/lesson.json:15: steps[0].solution[4]: produce: "at" must be a virtual time such as "1.5s", not "soon"`,
			`01-demo/lesson.json:16: steps[0].solution[5]: broker_crash needs the control "crash_broker", which step "one" does not enable`,
			`01-demo/lesson.json:17: steps[0].solution[6]: open_record is done in the record panel, which step "one" does not enable (add the control "inspect_record")`,
			`01-demo/lesson.json:23: steps[1].solution[0]: open_record: at 4s is before the previous command (6s, steps[0].solution[6]); commands must be in time order across the steps`,
			`01-demo/lesson.json:24: steps[1].solution[1]: open_record: "partition" must be a partition number (0, 1, ...)`,
			`01-demo/lesson.json:25: steps[1].solution[2]: end is not something a learner can do`}},
		{"sandbox", []string{
			`sandbox/lesson.json:3: the sandbox has no order (it comes after every lesson)`,
			`sandbox/lesson.json:7: steps[0]: the sandbox has no goals or hints`,
			`sandbox/lesson.json:8: steps[0].solution[0]: heal needs the control "heal", which step "free" does not enable`,
			`sandbox/lesson.json:8: steps[0].solution: the sandbox has no goals, so no solution`,
			`sandbox/lesson.json:10: common_belief: the sandbox has none`}},
	} {
		t.Run(c.dir, func(t *testing.T) {
			name := "testdata/" + c.dir
			_, err := LoadFS(os.DirFS(name), ".", name)
			var got []string
			if err != nil {
				is, ok := err.(Issues)
				if !ok {
					t.Fatalf("LoadFS error %T %v, want Issues", err, err)
				}
				for _, i := range is {
					got = append(got, i.String())
				}
			}
			var want []string
			for _, w := range c.want {
				want = append(want, name+"/"+w)
			}
			if !slices.Equal(got, want) {
				t.Errorf("LoadFS(%s):\ngot:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// predicateNames lists every registered predicate as the unknown-check
// message does.
func predicateNames() string {
	var names []string
	for _, p := range Predicates() {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

func TestTextFallsBackToEnglish(t *testing.T) {
	base, err := os.ReadFile("testdata/valid/01-demo/lesson.json")
	if err != nil {
		t.Fatal(err)
	}
	en, _ := os.ReadFile("testdata/valid/01-demo/text.en.json")
	fsys := fstest.MapFS{
		"01-demo/lesson.json":  {Data: base},
		"01-demo/text.en.json": {Data: en},
		"01-demo/text.ko.json": {Data: []byte(`{"title": "데모"}`)},
	}
	ls, err := LoadFS(fsys, ".", "x")
	if err != nil {
		t.Fatal(err)
	}
	l := ls[0]
	for _, c := range []struct{ locale, key, want string }{
		{"ko", "title", "데모"},
		{"ko", "summary", "A [topic](glossary:topic)."},
		{"fr", "title", "Demo"},
		{"en", "goals.g1", "G1."},
		{"ko", "no.such.key", "no.such.key"},
	} {
		if got := l.Text(c.locale, c.key); got != c.want {
			t.Errorf("Text(%s, %s) = %q, want %q", c.locale, c.key, got, c.want)
		}
	}
	if got := l.Locales(); !slices.Equal(got, []string{"en", "ko"}) {
		t.Errorf("Locales() = %v", got)
	}
	if got := l.Line("steps[2].goals[0].params"); got != 14 {
		t.Errorf(`Line("steps[2].goals[0].params") = %d, want 14`, got)
	}
	if got := l.Line("steps[0].solution[0]"); got != 9 {
		t.Errorf(`Line("steps[0].solution[0]") = %d, want 9`, got)
	}
	if len(l.Solution) != 1 || len(l.Commands()) != 1 || l.Commands()[0].Path() != "steps[0].solution[0]" {
		t.Errorf("Solution %s, Commands %v: want the one command of step one", l.Solution, l.Commands())
	}
	if got := l.Line("steps[9].nothing"); got != 6 {
		t.Errorf(`Line("steps[9].nothing") = %d, want 6 (the steps list)`, got)
	}
}

func TestCheck(t *testing.T) {
	ls, err := LoadFS(os.DirFS("testdata/valid"), ".", "valid")
	if err != nil {
		t.Fatal(err)
	}
	l := ls[0]
	s := view.Snapshot{Producers: []view.ProducerSnapshot{{Name: "p1", Acked: 1}}}
	if ok, detail, err := Check(l, "one", "g1", s, nil); !ok || err != nil || detail != "producer p1 has 1 of 1 records acknowledged" {
		t.Errorf("Check(one, g1) = %v, %q, %v", ok, detail, err)
	}
	if ok, detail, _ := Check(l, "two", "g2", s, nil); ok || detail != "topic t does not exist yet" {
		t.Errorf("Check(two, g2) = %v, %q", ok, detail)
	}
	if _, _, err := Check(l, "four", "g1", s, nil); err == nil || err.Error() != `lessons: demo has no step "four"` {
		t.Errorf("Check(four) error = %v", err)
	}
	if _, _, err := Check(l, "one", "g2", s, nil); err == nil || err.Error() != `lessons: demo step "one" has no goal "g2"` {
		t.Errorf("Check(one, g2) error = %v", err)
	}
	if l.NeedsRecords() || l.NeedsEvents() {
		t.Errorf("NeedsRecords() or NeedsEvents() = true for a lesson with no record or event goals")
	}
	all, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if one := ByID(all, "topics-partitions-records"); !one.NeedsRecords() || one.NeedsEvents() {
		t.Errorf("lesson 1: NeedsRecords %v NeedsEvents %v, want true false", one.NeedsRecords(), one.NeedsEvents())
	}
}

// TestImportsStayUIFriendly: the UI (GOOS=js) links this package, so it
// must not pull in the engine beyond engine/view and the event catalogue
// (engine/contract/events: the types of event data, which depend on
// engine/view only); internal/pattern, the small matcher that stands in
// for regexp, is not the engine; engine/rebalance, the rebalance measure
// over events (view and names only), is shared with the engine's benchmark.
func TestImportsStayUIFriendly(t *testing.T) {
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/brokerlab/brokerlab/") && dep != "github.com/brokerlab/brokerlab/engine/view" && dep != "github.com/brokerlab/brokerlab/engine/contract/events" && dep != "github.com/brokerlab/brokerlab/engine/names" && dep != "github.com/brokerlab/brokerlab/lessons" && dep != "github.com/brokerlab/brokerlab/internal/pattern" && dep != "github.com/brokerlab/brokerlab/engine/rebalance" {
			t.Errorf("package lessons depends on %s; only engine/view, engine/contract/events, engine/names, engine/rebalance and internal/pattern are allowed", dep)
		}
	}
}
