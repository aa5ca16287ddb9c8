package ui

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/lessons"
)

// TestLocaleFetched plays ui.wasm's way to Korean, which it does not build
// in: the tables are emptied as in locale_js.go, the fake page serves
// text/ko.json as make ui writes it, and an app that starts with Korean
// stored fetches it before its first render; the language switch fetches it
// too.
//
// It swaps the package's locale tables, which the drivers of apps started by
// earlier tests still read: it runs alone, in a child test process.
func TestLocaleFetched(t *testing.T) {
	if os.Getenv("UI_LOCALE_FETCHED") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLocaleFetched$", "-test.count=1")
		cmd.Env = append(os.Environ(), "UI_LOCALE_FETCHED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	file, err := LocaleText("ko")
	if err != nil {
		t.Fatal(err)
	}
	ui, events, details := locales["ko"], eventFormats["ko"], lessons.DetailFormats("ko")
	pairs, phrases := phrasePairs["ko"], phraseTables["ko"]
	defer func() {
		locales["ko"], eventFormats["ko"], localeReady["ko"] = ui, events, true
		phrasePairs["ko"], phraseTables["ko"] = pairs, phrases
		lessons.SetDetails("ko", details)
		setLocale("en")
	}()
	blank := func() {
		locales["ko"], eventFormats["ko"], localeReady["ko"] = map[string]string{}, map[string]string{}, false
		phrasePairs["ko"], phraseTables["ko"] = nil, nil
		lessons.SetDetails("ko", map[string]string{})
	}

	blank()
	p := newFake(map[string]string{localeKey: "ko"}, "")
	p.files = map[string][]byte{"text/ko.json": file}
	a := NewApp(p)
	if a.Err != "" || Locale != "ko" {
		t.Fatalf("started in %q with error %q, want ko and none", Locale, a.Err)
	}
	if got := T("nav.lessons"); got != "레슨" {
		t.Errorf(`T("nav.lessons") = %q, want 레슨`, got)
	}
	l := a.Lessons.List[0]
	if got, want := l.Text("ko", "title"), l.Texts("ko")["title"]; got == l.Text("en", "title") || want == "" || got != want {
		t.Errorf("lesson %s title in Korean = %q (its text.ko.json: %q)", l.ID, got, want)
	}
	if len(eventFormats["ko"]) != len(events) || len(lessons.DetailFormats("ko")) != len(details) || len(phraseTables["ko"]) != len(phrases) || len(phrases) == 0 {
		t.Errorf("fetched %d event formats, %d detail formats and %d phrase rules; the build has %d, %d and %d", len(eventFormats["ko"]), len(lessons.DetailFormats("ko")), len(phraseTables["ko"]), len(events), len(details), len(phrases))
	}
	if got := phrase("ko", "it starts"); got != "시작함" {
		t.Errorf(`phrase("ko", "it starts") = %q after the fetch, want 시작함`, got)
	}

	// No file: the page starts in English and says why.
	blank()
	setLocale("en")
	p = newFake(map[string]string{localeKey: "ko"}, "")
	a = NewApp(p)
	if Locale != "en" || !strings.Contains(a.Err, "text/ko.json") {
		t.Errorf("without text/ko.json: locale %q, error %q; want en and an error naming the file", Locale, a.Err)
	}

	// The switch fetches on its own goroutine and switches when it is in.
	blank()
	p = newFake(map[string]string{}, "")
	p.files = map[string][]byte{"text/ko.json": file}
	a, env := startApp(t, p)
	env.Lock()
	a.SetLocale("ko")
	env.UnlockRender()
	waitFor(t, env, "Korean after the switch", func() bool { return Locale == "ko" && T("nav.lessons") == "레슨" })
}

// TestLessonTextFetched plays ui.wasm's way to a lesson's English text: the
// lessons hold only their heads (lessons.HeadKeys, as builtin_js.go builds
// in), the list shows them, and opening a lesson fetches text/en.json first;
// without the file the lesson does not open and the page says why. It
// swaps package state, so it runs alone in a child test process.
func TestLessonTextFetched(t *testing.T) {
	if os.Getenv("UI_LESSON_TEXT_FETCHED") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLessonTextFetched$", "-test.count=1")
		cmd.Env = append(os.Environ(), "UI_LESSON_TEXT_FETCHED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	file, err := LocaleText("en")
	if err != nil {
		t.Fatal(err)
	}
	heads := func(a *App) {
		for _, l := range a.Lessons.all() {
			full, _ := json.Marshal(l.Texts("en"))
			head, err := lessons.TextHead(full)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]string
			_ = json.Unmarshal([]byte(head), &m)
			l.SetTexts("en", m)
		}
	}
	lessonTextReady = false
	defer func() { lessonTextReady = true }()
	const id = "topics-partitions-records"

	p := newFake(map[string]string{}, "")
	p.files = map[string][]byte{"text/en.json": file}
	a := NewApp(p)
	heads(a)
	l := a.Lessons.List[0]
	key := "steps." + l.Steps[0].ID + ".text"
	if l.Text("en", key) != key || l.Text("en", "title") == "title" {
		t.Fatalf("the heads: title %q, first step %q", l.Text("en", "title"), l.Text("en", key))
	}
	env, _ := startAppOn(t, a)
	env.Lock()
	a.navigate("lesson/"+id, false)
	env.UnlockRender()
	waitFor(t, env, "the lesson to open with its text", func() bool { return a.Lesson != nil && a.Lesson.L.Text("en", key) != key })
	if !lessonTextReady || a.Err != "" {
		t.Errorf("after the fetch: ready %v, error %q", lessonTextReady, a.Err)
	}
	settle(t, a) // the page Start entered may open after the one navigated to

	lessonTextReady = false
	p = newFake(map[string]string{}, "")
	a = NewApp(p)
	heads(a)
	env, _ = startAppOn(t, a)
	env.Lock()
	a.navigate("lesson/"+id, false)
	env.UnlockRender()
	waitFor(t, env, "the error", func() bool { return a.Err != "" })
	if !strings.Contains(a.Err, "text/en.json") || a.Lesson != nil {
		t.Errorf("without text/en.json: error %q, lesson open %v; want an error naming the file and no lesson", a.Err, a.Lesson != nil)
	}
}
