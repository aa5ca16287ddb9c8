package ui

import "fmt"

// Locale is the language of the interface ("en"; "ko" later). Text falls
// back to English, then to the id in brackets so a missing key shows.
var Locale = "en"

// locales maps a locale to its table of text by stable id.
var locales = map[string]map[string]string{"en": textEN}

// T returns the text of id in the current locale.
func T(id string) string {
	if s, ok := locales[Locale][id]; ok {
		return s
	}
	if s, ok := textEN[id]; ok {
		return s
	}
	return "⟦" + id + "⟧"
}

// Tf is T with fmt.Sprintf arguments.
func Tf(id string, args ...any) string { return fmt.Sprintf(T(id), args...) }
