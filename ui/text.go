package ui

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/lessons"
)

// Locale is the language of the interface and the lessons ("en" or "ko").
// Text falls back to English, then to the id in brackets so a missing key
// shows.
var Locale = "en"

// locales maps a locale to its table of text by stable id.
var locales = map[string]map[string]string{"en": textEN, "ko": textKO}

// Locales are the interface languages, in the order the switch offers
// them, each with its own name.
var Locales = []struct{ ID, Name string }{{"en", "English"}, {"ko", "한국어"}}

// setLocale switches the interface and the lessons' goal details.
func setLocale(l string) {
	Locale = l
	lessons.Locale = l
}

// localeKey is the localStorage entry of the learner's language.
const localeKey = "brokerlab.locale"

// pickLocale is the stored choice, else the browser's language when we
// have it, else English.
func pickLocale(stored, browser string) string {
	for _, l := range []string{stored, browser, strings.SplitN(browser, "-", 2)[0]} {
		if _, ok := locales[l]; ok {
			return l
		}
	}
	return "en"
}

// SetLocale switches the language (DOM handler) and remembers it. A locale
// ui.wasm does not carry is fetched first, on a goroutine of its own (the
// switch happens a round trip later, a few ms on loopback).
func (a *App) SetLocale(l string) {
	if _, ok := locales[l]; !ok {
		return
	}
	if !localeReady[l] {
		go func() {
			t, err := fetchLocale(a.P, l)
			a.update(func() {
				if err != nil {
					a.Err = err.Error()
					return
				}
				installLocale(l, t, a.Lessons)
				a.switchLocale(l)
			})
		}()
		return
	}
	a.switchLocale(l)
}

// switchLocale shows the interface in l, whose text is in memory.
func (a *App) switchLocale(l string) {
	setLocale(l)
	a.P.Store(localeKey, l)
	a.P.SetLang(l)
}

// T returns the text of id in the current locale. It stays out of line:
// inlined at its ~170 call sites in the generated Build methods, its two map
// lookups cost 0.013 MB brotli of ui.wasm.
//
//go:noinline
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
