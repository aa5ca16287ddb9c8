package ui

import (
	"strings"
	"testing"
)

func progressApp(store map[string]string) *App {
	p := newFake(store, "")
	return &App{P: p, Lessons: loadLessons(p)}
}

// TestProgressRoundTrip: an export holds the learner's goals, steps and
// runs; importing it elsewhere adds what is missing, keeps what is there,
// and says how much of each.
func TestProgressRoundTrip(t *testing.T) {
	run := `{"scenario":{"seed":1},"journal":[],"time_us":5}`
	from := progressApp(map[string]string{
		progressKey("topics-partitions-records", "same-key-twice"): "1",
		stepKey("batching"):      "2",
		lessonRunKey("batching"): run,
		sandboxKey:               run,
		"brokerlab.other":        "x",
	})
	b, err := from.exportProgress()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "brokerlab.other") {
		t.Error("the export holds an entry that is not progress")
	}
	to := progressApp(map[string]string{sandboxKey: `{"scenario":{"seed":2},"journal":[],"time_us":9}`})
	ch, err := to.importProgress(b)
	if err != nil {
		t.Fatal(err)
	}
	if ch != (ProgressChange{Goals: 1, Steps: 1, Runs: 1, Kept: 1}) {
		t.Errorf("import changed %+v", ch)
	}
	if v, _ := to.P.Load(sandboxKey); !strings.Contains(v, `"seed":2`) {
		t.Error("the import overwrote the learner's own sandbox")
	}
	if !to.Lessons.Done["topics-partitions-records.same-key-twice"] {
		t.Error("the imported goal is not shown as met")
	}
	if msg := to.describeImport(to.importProgress([]byte(`{"journal":[]}`))); !strings.Contains(msg, "not a Brokerlab progress file") {
		t.Errorf("a wrong file: %q", msg)
	}
}

// FuzzImportProgress: no file makes the import panic or store anything
// but known progress entries.
func FuzzImportProgress(f *testing.F) {
	f.Add([]byte(`{"brokerlab_progress":1,"entries":{"brokerlab.goal.topics-partitions-records.same-key-twice":"1"}}`))
	f.Add([]byte(`{"brokerlab_progress":1,"entries":{"brokerlab.sandbox":"{\"scenario\":{}}","brokerlab.evil":"1"}}`))
	f.Add([]byte(`{"brokerlab_progress":2}`))
	f.Add([]byte(`[`))
	list := progressApp(map[string]string{}).Lessons.List
	f.Fuzz(func(t *testing.T, b []byte) {
		a := &App{P: &fakePlatform{store: map[string]string{}}, Lessons: &Lessons{List: list, Done: map[string]bool{}}}
		a.importProgress(b)
		known := map[string]bool{}
		for _, k := range a.Lessons.progressKeys() {
			known[k] = true
		}
		for k := range a.P.(*fakePlatform).store {
			if !known[k] {
				t.Fatalf("the import stored %q", k)
			}
		}
	})
}
