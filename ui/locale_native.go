//go:build !js

package ui

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/lessons"
)

// Native builds carry every locale (text_ko.go, eventtext_ko.go and the
// lessons' text files).
func builtInLocales() map[string]bool {
	out := map[string]bool{}
	for _, l := range Locales {
		out[l.ID] = true
	}
	return out
}

// LocaleText is the content of text/<loc>.json, which ui.wasm fetches when
// a learner picks loc: the interface, event and goal-detail tables and every
// lesson's text in loc. ui/cmd/localetext writes it for make ui.
func LocaleText(loc string) ([]byte, error) {
	if loc == "en" || locales[loc] == nil {
		return nil, fmt.Errorf("ui: %q is not a locale fetched at run time", loc)
	}
	all, err := lessons.Load()
	if err != nil {
		return nil, err
	}
	t := localeText{UI: locales[loc], Events: eventFormats[loc], Details: lessons.DetailFormats(loc), Lessons: map[string]map[string]string{}}
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
