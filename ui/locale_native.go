//go:build !js

package ui

// Native builds carry every locale (text_ko.go, eventtext_ko.go and the
// lessons' text files).
func builtInLocales() map[string]bool {
	out := map[string]bool{}
	for _, l := range Locales {
		out[l.ID] = true
	}
	return out
}

// lessonTextReady: native builds carry every lesson's whole text.
var lessonTextReady = true
