package ui

import (
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
