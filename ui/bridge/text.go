//go:build js && wasm

package bridge

import "syscall/js"

// SetText sets the text of the first element matching selector, if it
// differs (the clock between renders; see ui/quiet.go).
func (b *Browser) SetText(selector, text string) {
	el := js.Global().Get("document").Call("querySelector", selector)
	if el.Truthy() && el.Get("textContent").String() != text {
		el.Set("textContent", text)
	}
}

// Focus moves the keyboard focus to the element with id, if there is one.
func (b *Browser) Focus(id string) {
	if el := js.Global().Get("document").Call("getElementById", id); el.Truthy() {
		el.Call("focus")
	}
}
