//go:build js && wasm

package bridge

import "syscall/js"

// OpenBuilder loads and opens the lesson builder (static/builder.js).
func (b *Browser) OpenBuilder() {
	if f := js.Global().Get("brokerlab").Get("openBuilder"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
}
