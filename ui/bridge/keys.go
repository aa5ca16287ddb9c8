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

// OpenFile lets the learner pick a file (an <input type=file> clicked for
// them) and calls f with its name and bytes, on its own goroutine.
func (b *Browser) OpenFile(accept string, f func(name string, data []byte)) {
	doc := js.Global().Get("document")
	in := doc.Call("createElement", "input")
	in.Set("type", "file")
	in.Set("accept", accept)
	var onChange js.Func
	onChange = js.FuncOf(func(this js.Value, args []js.Value) any {
		onChange.Release()
		files := in.Get("files")
		if files.Length() == 0 {
			return nil
		}
		file := files.Index(0)
		name := file.Get("name").String()
		var then js.Func
		then = js.FuncOf(func(this js.Value, args []js.Value) any {
			then.Release()
			arr := js.Global().Get("Uint8Array").New(args[0])
			data := make([]byte, arr.Length())
			js.CopyBytesToGo(data, arr)
			go f(name, data)
			return nil
		})
		file.Call("arrayBuffer").Call("then", then)
		return nil
	})
	in.Call("addEventListener", "change", onChange)
	in.Call("click")
}
