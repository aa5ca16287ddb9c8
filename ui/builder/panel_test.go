package builder

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/lessons"
	lb "github.com/brokerlab/brokerlab/lessons/builder"
	"github.com/brokerlab/brokerlab/lessons/session"
)

func testRun() Run {
	return Run{
		Scenario: json.RawMessage(`{"seed":1,"cluster":{"brokers":3,"storage":"files"},"steps":[]}`),
		Journal:  []session.Entry{{AtUS: 500_000, Commands: []json.RawMessage{json.RawMessage(`{"op":"create_topic","topic":"orders","partitions":1,"replication_factor":3}`)}}},
		TimeUS:   2_000_000,
	}
}

// TestPanelEdits: the form's fields and buttons edit the draft, and the
// markup shows the fields, the params form of the picked check and each
// problem next to its field.
func TestPanelEdits(t *testing.T) {
	ls, _ := lessons.Load()
	p, err := New(testRun(), ls, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.D.Steps) != lessons.MinSteps || p.D.Order != lb.NextOrder(ls) {
		t.Fatalf("%d steps, order %d", len(p.D.Steps), p.D.Order)
	}
	p.Input("title.en", "A title")
	p.Input("title.ko", "제목")
	if !p.Act("add-goal:0") || len(p.D.Steps[0].Goals) != 1 {
		t.Fatal("add-goal")
	}
	if !p.Input("steps.0.goals.0.check", "election_seen") {
		t.Error("picking a check redraws (its params form)")
	}
	p.Input("steps.0.goals.0.param.topic", "orders")
	p.Input("steps.0.goals.0.param.partition", "0")
	if got := string(p.D.Steps[0].Goals[0].Params); got != `{"partition":0,"topic":"orders"}` {
		t.Errorf("params %s", got)
	}
	p.Input("steps.0.goals.0.param.unclean", "maybe")
	if p.Issues["goal.step-1-goal-1.params.unclean"] == "" {
		t.Errorf("a param that does not read: issues %v", p.Issues)
	}
	p.Act("add-hint:0")
	p.Input("steps.0.hints.0.en", "A hint")
	if p.D.Title["ko"] != "제목" || p.D.Steps[0].Hints[0].Text["en"] != "A hint" {
		t.Errorf("texts: %v %v", p.D.Title, p.D.Steps[0].Hints[0].Text)
	}
	run := testRun()
	p.StartRecording(0, run)
	run.Journal = append(run.Journal, session.Entry{AtUS: 3_000_000, Commands: []json.RawMessage{json.RawMessage(`{"op":"broker_crash","broker":2}`)}})
	p.StopRecording(run)
	if len(p.D.Steps[0].Solution) != 1 || !strings.Contains(string(p.D.Steps[0].Solution[0]), `"at": "3s"`) {
		t.Errorf("recorded %s (note %q)", p.D.Steps[0].Solution, p.Note)
	}
	p.Check()
	html := p.Render()
	for _, want := range []string{`id="bl-title-en"`, `value="A title"`, `id="bl-goal-0-0-topic"`, `id="bl-goal-0-0-unclean"`,
		`data-for="summary"`, `data-for="steps[1].goals"`, "broker_crash", `id="bl-record-1"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the markup has no %s", want)
		}
	}
	p.Played([]string{`lessons/17-my-lesson/lesson.json:14: steps[0].solution[0]: broker_crash: unknown broker 9`})
	if !strings.Contains(p.Render(), `data-for="steps[0].solution[0]"`) {
		t.Error("a lint message is not shown at its field")
	}
}

// TestPanelOpen: an exported lesson's files open back into the panel; what
// is not a lesson says why.
func TestPanelOpen(t *testing.T) {
	ls, _ := lessons.Load()
	p, _ := New(testRun(), ls, "en")
	p.D.ID = "made"
	p.D.Title["en"] = "Made"
	p.Act("add-goal:0")
	files, err := p.D.Files()
	if err != nil {
		t.Fatal(err)
	}
	q, _ := New(testRun(), ls, "en")
	if err := q.Open(files); err != nil || q.D.ID != "made" || q.D.Title["en"] != "Made" || len(q.D.Steps[0].Goals) != 1 {
		t.Errorf("Open: %v, draft %+v", err, q.D)
	}
	if err := q.Open([]lb.File{{Name: "lesson.json", Data: []byte("{")}}); err == nil || !strings.Contains(q.Note, "do not open") {
		t.Errorf("a broken file: %v, note %q", err, q.Note)
	}
}
