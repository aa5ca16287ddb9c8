package ui

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/lessons/share"
)

// bundleOf is a built-in lesson's folder as a bundle (the lesson builder's
// format) under another id, as a lesson made in the builder would be.
func bundleOf(t testing.TB, dir, id string) json.RawMessage {
	t.Helper()
	lj, err := os.ReadFile("../lessons/" + dir + "/lesson.json")
	if err != nil {
		t.Fatal(err)
	}
	en, err := os.ReadFile("../lessons/" + dir + "/text.en.json")
	if err != nil {
		t.Fatal(err)
	}
	var l map[string]json.RawMessage
	json.Unmarshal(lj, &l)
	l["id"], _ = json.Marshal(id)
	lj, _ = json.Marshal(l)
	b, _ := json.Marshal(map[string]any{"lesson": json.RawMessage(lj), "text": map[string]json.RawMessage{"en": en}})
	return b
}

// TestShareBundledLesson: a version-2 link carries a lesson nobody
// installed; opening it shows that lesson, ready to play. A link whose
// lesson does not load says why and opens nothing.
func TestShareBundledLesson(t *testing.T) {
	p := newFake(map[string]string{}, "lessons")
	a, env := startApp(t, p)
	code, err := share.Encode(share.Run{Bundle: bundleOf(t, "01-topics-partitions-records", "made-here")}, p)
	if err != nil || !strings.HasPrefix(code, "2.") {
		t.Fatalf("Encode = %q, %v", code, err)
	}
	handle(env, func() { a.navigate(shareRoute+code, false) })
	waitFor(t, env, "the carried lesson", func() bool { return a.Lesson != nil && a.Lesson.Shared && a.F.Open })
	if a.Lesson.L.ID != "made-here" || a.Page != PageLesson || a.Lesson.L.Text("en", "title") == "title" {
		t.Errorf("opened %q on page %s, title %q", a.Lesson.L.ID, a.Page, a.Lesson.L.Text("en", "title"))
	}
	bad, _ := share.Encode(share.Run{Bundle: json.RawMessage(`{"lesson":{"id":"x","steps":[{"id":"s","goals":[{"id":"g","check":"no_such"}]}]},"text":{"en":{}}}`)}, p)
	handle(env, func() { a.navigate(shareRoute+bad, false) })
	waitFor(t, env, "the message", func() bool { return strings.Contains(a.Err, "cannot be opened") && a.Lesson == nil })
}

// FuzzBundledLesson: whatever lesson a link carries, reading it never
// panics, and a lesson it accepts has a step to show.
func FuzzBundledLesson(f *testing.F) {
	f.Add([]byte(bundleOf(f, "10-leader-failure", "x")))
	f.Add([]byte(`{"lesson":{"id":"x","steps":[]},"text":{"en":{}}}`))
	f.Add([]byte(`{"lesson":{"steps":[{"goals":[{"check":"event_seen","params":{"kind":"k","after":{"kind":""}}}]}]},"text":{"ko":{"a":"b"}}}`))
	f.Add([]byte(`{"lesson":null,"text":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := bundledLesson(b)
		if err == nil && (l == nil || len(l.Steps) == 0) {
			t.Fatalf("accepted a lesson without steps: %s", b)
		}
	})
}
