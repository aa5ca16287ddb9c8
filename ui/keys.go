package ui

import "slices"

// Keyboard shortcuts for the controls learners use most, listed on the "?"
// overlay: k play/pause, j back one second, . next event, < and > speed.
// Single keys, so they can be turned off (WCAG 2.1.4): the overlay has the
// switch, kept in localStorage.

// keysOffKey is the localStorage entry that turns the shortcuts off.
const keysOffKey = "brokerlab.keys.off"

// Shortcut is one line of the overlay.
type Shortcut struct{ Key, Text string }

// Shortcuts lists the keys and what they do.
func Shortcuts() []Shortcut {
	return []Shortcut{{"k", T("keys.play")}, {"j", T("keys.back")}, {".", T("keys.step")},
		{"<", T("keys.slower")}, {">", T("keys.faster")}, {"?", T("keys.help")}}
}

// keySource is a platform that reports shortcut keys (the browser).
type keySource interface{ OnKey(func(key string)) }

// Key runs a shortcut (under the render lock).
func (a *App) Key(k string) {
	if k == "Escape" {
		a.KeysHelp = false
		return
	}
	if k == "?" {
		if !a.keysOff() {
			a.KeysHelp = !a.KeysHelp
		}
		return
	}
	if a.keysOff() || !a.F.Open || a.Page == PageLessons {
		return
	}
	switch k {
	case "k":
		if a.Allows("play") {
			a.TogglePlay()
		}
	case "j":
		a.Rewind(a.F.NowUS - 1_000_000)
	case ".":
		if a.Allows("step") {
			a.StepEvent()
		}
	case "<", ">":
		if !a.Allows("speed") {
			return
		}
		i := slices.Index(Speeds, a.Speed)
		if k == "<" && i > 0 {
			a.Speed = Speeds[i-1]
		} else if k == ">" && i >= 0 && i < len(Speeds)-1 {
			a.Speed = Speeds[i+1]
		}
	}
}

func (a *App) keysOff() bool { v, _ := a.P.Load(keysOffKey); return v == "1" }

// KeysOn reports whether the shortcuts are on (the overlay's switch).
func (a *App) KeysOn() bool { return !a.keysOff() }

// ToggleKeys turns the shortcuts on or off (DOM handler).
func (a *App) ToggleKeys() {
	if a.keysOff() {
		a.P.Remove(keysOffKey)
	} else {
		a.P.Store(keysOffKey, "1")
	}
}

// ShowKeys opens or closes the shortcut overlay (DOM handler).
func (a *App) ShowKeys() { a.KeysHelp = !a.KeysHelp }
