//go:build js

package ui

// ui.wasm builds in English only: Korean arrives as text/ko.json (see
// localeText), which fills these tables in place of text_ko.go and
// eventtext_ko.go (about 0.03 MB brotli off ui.wasm with the lessons' own
// Korean text).
var (
	textKO  = map[string]string{}
	eventKO = map[string]string{}
)

func builtInLocales() map[string]bool { return map[string]bool{"en": true} }

// lessonTextReady: ui.wasm builds in each lesson's head only (lessons.HeadKeys);
// the rest of the English text is fetched when a lesson first opens.
var lessonTextReady = false
