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
