//go:build js && wasm

package bridge

import "syscall/js"

// shortcutKeys are the keys the page's shortcuts use (ui/keys.go): the
// browser's own action for them is prevented, and only outside text fields
// and without Ctrl, Alt or Meta.
var shortcutKeys = map[string]bool{"k": true, "j": true, ".": true, "<": true, ">": true, "?": true, "Escape": true}

// OnKey calls f (on its own goroutine) with each shortcut key pressed
// outside a text field.
func (b *Browser) OnKey(f func(key string)) {
	fn := js.FuncOf(func(this js.Value, args []js.Value) any {
		e := args[0]
		key := e.Get("key").String()
		if !shortcutKeys[key] || e.Get("ctrlKey").Bool() || e.Get("altKey").Bool() || e.Get("metaKey").Bool() {
			return nil
		}
		if t := e.Get("target"); t.Truthy() && key != "Escape" {
			switch t.Get("tagName").String() {
			case "INPUT", "SELECT", "TEXTAREA":
				return nil
			}
			if t.Get("isContentEditable").Bool() {
				return nil
			}
		}
		if key != "Escape" {
			e.Call("preventDefault")
		}
		go f(key)
		return nil
	})
	js.Global().Get("document").Call("addEventListener", "keydown", fn)
}
