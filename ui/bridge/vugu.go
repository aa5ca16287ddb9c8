//go:build js && wasm

package bridge

import (
	"errors"
	"syscall/js"
)

// RendererScript is the file (built from vugu's own source by ui/cmd/vugujs)
// that defines window.vuguRender and friends.
const RendererScript = "vugu-render.js"

// Stylesheet is the UI's CSS file, served next to ui.wasm.
const Stylesheet = "ui.css"

// PrepareRenderer makes Vugu's DOM renderer work under a CSP without
// 'unsafe-eval': it loads the renderer's helper script as a file, then
// replaces window.eval until the returned restore is called, because
// domrender.New evals that same script (a no-op once it is loaded: it
// starts with "if(window.vuguRender)return").
func PrepareRenderer() (restore func(), err error) {
	g := js.Global()
	doc := g.Get("document")
	addStylesheet(doc)
	if !g.Get("vuguRender").Truthy() {
		if err := loadScript(doc, RendererScript); err != nil {
			return nil, err
		}
	}
	if !g.Get("vuguRender").Truthy() {
		return nil, errors.New("bridge: " + RendererScript + " loaded but defines no vuguRender")
	}
	orig := g.Get("eval")
	stub := js.FuncOf(func(this js.Value, args []js.Value) any { return js.Undefined() })
	g.Set("eval", stub)
	return func() {
		g.Set("eval", orig)
		stub.Release()
	}, nil
}

func addStylesheet(doc js.Value) {
	if doc.Call("querySelector", `link[href="`+Stylesheet+`"]`).Truthy() {
		return
	}
	link := doc.Call("createElement", "link")
	link.Set("rel", "stylesheet")
	link.Set("href", Stylesheet)
	doc.Get("head").Call("appendChild", link)
}

// loadScript appends <script src> and waits until it ran.
func loadScript(doc js.Value, src string) error {
	done := make(chan error, 1)
	s := doc.Call("createElement", "script")
	var onload, onerror js.Func
	onload = js.FuncOf(func(js.Value, []js.Value) any { done <- nil; return nil })
	onerror = js.FuncOf(func(js.Value, []js.Value) any {
		done <- errors.New("bridge: cannot load " + src + " (is it in dist/? run make)")
		return nil
	})
	defer onload.Release()
	defer onerror.Release()
	s.Set("onload", onload)
	s.Set("onerror", onerror)
	s.Set("src", src)
	doc.Get("head").Call("appendChild", s)
	return <-done
}
