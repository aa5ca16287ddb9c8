package ui

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/lessons"
)

// localeText is one locale's text beyond English, as text/<locale>.json
// carries it to ui.wasm: ui.wasm builds in English only (locale_js.go) and
// fetches a locale's file when it is picked (at start from localStorage or
// the browser's language, or from the language switch). Native builds, the
// tests among them, build every locale in (locale_native.go), and
// ui/cmd/localetext writes the files from them.
type localeText struct {
	UI      map[string]string            `json:"ui"`      // the interface (textKO)
	Events  map[string]string            `json:"events"`  // event formats (eventKO)
	Details map[string]string            `json:"details"` // goal details (lessons.DetailFormats)
	Phrases []string                     `json:"phrases"` // phrase rules as pattern, replacement pairs (phrasesKO)
	Lessons map[string]map[string]string `json:"lessons"` // lesson folder → its text.<locale>.json
}

// localeFile is where ui.wasm fetches a locale's text, relative to the page.
func localeFile(loc string) string { return "text/" + loc + ".json" }

// localeReady reports whether loc's text is in memory (English always is).
// Only the driver goroutine or a holder of the render lock touch it.
var localeReady = builtInLocales()

// fetchLocale gets loc's text from the host unless it is in memory. It
// blocks (Platform.Fetch): call it from NewApp or a goroutine of its own,
// never from a DOM handler. Install the result with installLocale.
func fetchLocale(p Platform, loc string) (*localeText, error) {
	if localeReady[loc] {
		return nil, nil
	}
	data, err := p.Fetch(localeFile(loc))
	if err != nil {
		return nil, fmt.Errorf("ui: the %s text: %v", loc, err)
	}
	t := &localeText{}
	if err := json.Unmarshal(data, t); err != nil {
		return nil, fmt.Errorf("ui: the %s text (%s): %v", loc, localeFile(loc), err)
	}
	return t, nil
}

// ensureLessonText fetches and installs the lessons' English text beyond
// their heads, once, before a page that shows a lesson opens (driver
// goroutine: it blocks on Platform.Fetch). Native builds carry it all.
func (a *App) ensureLessonText() error {
	if lessonTextReady {
		return nil
	}
	data, err := a.P.Fetch(localeFile(lessons.DefaultLocale))
	if err != nil {
		return fmt.Errorf("ui: the lessons' text: %v", err)
	}
	t := &localeText{}
	if err := json.Unmarshal(data, t); err != nil {
		return fmt.Errorf("ui: the lessons' text (%s): %v", localeFile(lessons.DefaultLocale), err)
	}
	a.update(func() {
		for _, l := range a.Lessons.all() {
			if txt, ok := t.Lessons[l.Dir]; ok {
				l.SetTexts(lessons.DefaultLocale, txt)
			}
		}
		lessonTextReady = true
	})
	return nil
}

// installLocale puts fetched text in place (nil: already there).
func installLocale(loc string, t *localeText, ls *Lessons) {
	if t == nil {
		return
	}
	locales[loc] = t.UI
	eventFormats[loc] = t.Events
	phrasePairs[loc], phraseTables[loc] = t.Phrases, rules(t.Phrases...)
	lessons.SetDetails(loc, t.Details)
	for _, l := range ls.all() {
		if txt, ok := t.Lessons[l.Dir]; ok {
			l.SetTexts(loc, txt)
		}
	}
	localeReady[loc] = true
}

// LocaleText is the content of text/<loc>.json, which ui.wasm fetches when
// a learner picks loc: the interface, event and goal-detail tables and every
// lesson's text in loc. ui/cmd/localetext writes it for make ui from a
// native build (in ui.wasm the tables it reads are empty until fetched).
//
// For English it holds the lessons' text only: ui.wasm builds in the
// interface and each lesson's head (lessons.HeadKeys) and fetches the rest
// when a lesson first opens (ensureLessonText).
func LocaleText(loc string) ([]byte, error) {
	if locales[loc] == nil {
		return nil, fmt.Errorf("ui: %q is not a locale fetched at run time", loc)
	}
	all, err := lessons.Load()
	if err != nil {
		return nil, err
	}
	t := localeText{Lessons: map[string]map[string]string{}}
	if loc != lessons.DefaultLocale {
		t.UI, t.Events, t.Details, t.Phrases = locales[loc], eventFormats[loc], lessons.DetailFormats(loc), phrasePairs[loc]
	}
	for _, l := range all {
		if txt := l.Texts(loc); txt != nil {
			t.Lessons[l.Dir] = txt
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err = enc.Encode(t)
	return b.Bytes(), err
}
