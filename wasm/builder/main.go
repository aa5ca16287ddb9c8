//go:build js && wasm

// Command builder is builder.wasm: the lesson builder's panel (ui/builder),
// which static/builder.js loads when an author clicks "Make a lesson" on
// the sandbox page. Build it with -tags builder (the predicates' param
// lists, which ui.wasm leaves out).
package main

import (
	"syscall/js"

	"github.com/brokerlab/brokerlab/ui/builder"
)

func main() {
	if err := builder.Start(); err != nil {
		js.Global().Get("console").Call("error", "builder: "+err.Error())
		js.Global().Get("brokerlab").Set("builderError", err.Error())
		return
	}
	select {}
}
