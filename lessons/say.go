package lessons

import "fmt"

// Locale picks the language of goal details (the detail string a
// predicate's eval returns): "en" (the default) or a locale with a table in
// detailFormats, such as "ko". The UI sets it when the learner picks a
// language, before it evaluates goals; formats a locale lacks stay English.
// Errors about lesson files and params are for lesson authors and stay
// English whatever Locale says.
var Locale = "en"

// detailFormats holds, per locale, the translation of each English detail
// format, keyed by the exact English format passed to say.
var detailFormats = map[string]map[string]string{"ko": detailKO}

// DetailFormats is locale's table of detail translations (English format →
// translated format), nil if it has none.
func DetailFormats(locale string) map[string]string { return detailFormats[locale] }

// SetDetails installs locale's detail translations, as ui.wasm does when it
// fetches a locale's text (ui.wasm builds in no translation: detail_js.go).
func SetDetails(locale string, t map[string]string) { detailFormats[locale] = t }

// say formats a goal detail in Locale: the translation of the English
// format if Locale has one, else the English format itself. A translation
// keeps the English format's verbs in the same order. It stays out of
// line: inlined at its ~200 call sites it cost ~0.015 MB brotli of ui.wasm.
//
//go:noinline
func say(format string, args ...any) string {
	if t, ok := detailFormats[Locale][format]; ok {
		format = t
	}
	return fmt.Sprintf(format, args...)
}
