//go:build js && wasm

// Package bridge is the UI's only door to the browser: it calls the engine
// worker (globalThis.brokerlab.engine, started by static/boot.js), reads and
// writes localStorage, waits for animation frames and publishes figures for
// the browser test. No other package of ui.wasm touches syscall/js.
package bridge

import (
	"errors"
	"fmt"
	"syscall/js"

	"github.com/brokerlab/brokerlab/ui"
)

// Browser implements ui.Platform on syscall/js.
type Browser struct {
	engine  js.Value
	storage js.Value
	perf    js.Value
	frame   chan float64
	onFrame js.Func
	metrics js.Value
	// timings are the worker's figures of the last batch's calls.
	timings []ui.WorkerTiming
}

// New finds the engine client that boot.js made; it fails when the page did
// not start one.
func New() (*Browser, error) {
	g := js.Global()
	bl := g.Get("brokerlab")
	if !bl.Truthy() || !bl.Get("engine").Truthy() {
		return nil, errors.New("bridge: globalThis.brokerlab.engine is missing (boot.js starts it)")
	}
	b := &Browser{engine: bl.Get("engine"), perf: g.Get("performance"), frame: make(chan float64, 1)}
	// localStorage throws in some privacy modes: fall back to no persistence.
	func() {
		defer func() { _ = recover() }()
		if ls := g.Get("localStorage"); ls.Truthy() {
			b.storage = ls
		}
	}()
	b.onFrame = js.FuncOf(func(this js.Value, args []js.Value) any {
		t := 0.0
		if len(args) > 0 {
			t = args[0].Float()
		}
		select {
		case b.frame <- t:
		default:
		}
		return nil
	})
	b.metrics = g.Get("Object").New()
	bl.Set("ui", b.metrics)
	return b, nil
}

// Call sends one JSON request to the engine worker and blocks the calling
// goroutine (never a JS callback) until its reply arrives.
func (b *Browser) Call(req []byte) ([]byte, error) {
	r, _, err := b.CallBatch([][]byte{req})
	if err != nil {
		return nil, err
	}
	return r[0], nil
}

// CallBatch posts every request at once and waits for all replies. The
// promise that engine-client.js returns per request carries the
// correlation: each reply lands in its own slot, whatever order the
// callbacks run in.
func (b *Browser) CallBatch(reqs [][]byte) ([][]byte, []float64, error) {
	return b.CallBatchOn(0, reqs)
}

// CallBatchOn is CallBatch on engine instance inst of the worker (0: the
// page's; others start on first use, see engine-host.js).
func (b *Browser) CallBatchOn(inst int, reqs [][]byte) ([][]byte, []float64, error) {
	type reply struct {
		i      int
		raw    []byte
		err    string
		at     float64
		timing ui.WorkerTiming
	}
	done := make(chan reply, len(reqs))
	funcs := make([]js.Func, 0, 2*len(reqs))
	defer func() {
		for _, f := range funcs {
			f.Release()
		}
	}()
	for i, req := range reqs {
		ok := js.FuncOf(func(this js.Value, args []js.Value) any {
			at := b.Now()
			done <- reply{i: i, raw: []byte(args[0].Get("reply").String()), at: at, timing: workerTiming(args[0].Get("timing"))}
			return nil
		})
		bad := js.FuncOf(func(this js.Value, args []js.Value) any {
			done <- reply{i: i, err: js.Global().Get("String").Invoke(args[0]).String()}
			return nil
		})
		funcs = append(funcs, ok, bad)
		b.engine.Call("timedCall", string(req), inst).Call("then", ok, bad)
	}
	out, at := make([][]byte, len(reqs)), make([]float64, len(reqs))
	b.timings = make([]ui.WorkerTiming, len(reqs))
	var failed string
	for range reqs {
		r := <-done
		if r.err != "" && failed == "" {
			failed = r.err
		}
		out[r.i], at[r.i], b.timings[r.i] = r.raw, r.at, r.timing
	}
	if failed != "" {
		return nil, nil, fmt.Errorf("bridge: engine call failed: %s", failed)
	}
	return out, at, nil
}

// DropInstance ends engine instance inst (not 0) in the worker.
func (b *Browser) DropInstance(inst int) { b.engine.Call("drop", inst) }

// Load reads a localStorage entry.
func (b *Browser) Load(key string) (string, bool) {
	if !b.storage.Truthy() {
		return "", false
	}
	v := b.storage.Call("getItem", key)
	if v.IsNull() || v.IsUndefined() {
		return "", false
	}
	return v.String(), true
}

// Store writes a localStorage entry; a full store is ignored (progress is a
// convenience, never required).
func (b *Browser) Store(key, val string) {
	if !b.storage.Truthy() {
		return
	}
	defer func() { _ = recover() }()
	b.storage.Call("setItem", key, val)
}

// Remove deletes a localStorage entry.
func (b *Browser) Remove(key string) {
	if b.storage.Truthy() {
		b.storage.Call("removeItem", key)
	}
}

// Now is performance.now() in milliseconds.
func (b *Browser) Now() float64 { return b.perf.Call("now").Float() }

// NextFrame blocks until the next animation frame and returns its time stamp
// in milliseconds.
func (b *Browser) NextFrame() float64 {
	js.Global().Call("requestAnimationFrame", b.onFrame)
	return <-b.frame
}

// Publish sets globalThis.brokerlab.ui[name] (numbers and strings) for the
// browser test and for curious learners with a console open.
func (b *Browser) Publish(name string, v any) { b.metrics.Set(name, v) }

// Hash returns location.hash without the leading '#'.
func (b *Browser) Hash() string {
	h := js.Global().Get("location").Get("hash").String()
	if len(h) > 0 && h[0] == '#' {
		h = h[1:]
	}
	return h
}

// Language is navigator.language ("" when unknown).
func (b *Browser) Language() string {
	if n := js.Global().Get("navigator"); n.Truthy() && n.Get("language").Truthy() {
		return n.Get("language").String()
	}
	return ""
}

// SetLang sets <html lang>.
func (b *Browser) SetLang(l string) {
	js.Global().Get("document").Get("documentElement").Set("lang", l)
}

// SetHash moves to fragment h with a history entry, so the browser's back
// button returns to the page before.
func (b *Browser) SetHash(h string) {
	if b.Hash() != h {
		js.Global().Get("history").Call("pushState", nil, "", "#"+h)
	}
}

// OnHashChange calls f with the fragment whenever the learner moves through
// history (back, forward) or edits the URL. f runs on its own goroutine.
func (b *Browser) OnHashChange(f func(h string)) {
	fn := js.FuncOf(func(this js.Value, args []js.Value) any {
		h := b.Hash()
		go f(h)
		return nil
	})
	w := js.Global().Get("window")
	w.Call("addEventListener", "popstate", fn)
	w.Call("addEventListener", "hashchange", fn)
}

// ShowFatal puts a message where the UI would be, for errors before the
// renderer runs.
func ShowFatal(msg string) {
	doc := js.Global().Get("document")
	app := doc.Call("getElementById", "app")
	if !app.Truthy() {
		return
	}
	p := doc.Call("createElement", "p")
	p.Set("className", "fatal")
	p.Set("textContent", "The playground could not start: "+msg)
	app.Call("replaceChildren", p)
}

// Expose makes fn callable from the page as globalThis.brokerlab.ui[name](n);
// the browser test uses it to time a cluster-view frame. fn runs inside a JS
// callback: it must not block.
func (b *Browser) Expose(name string, fn func(n int) map[string]any) {
	b.metrics.Set(name, js.FuncOf(func(this js.Value, args []js.Value) any {
		n := 1
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			n = args[0].Int()
		}
		return js.ValueOf(fn(n))
	}))
}

// ReplaceMarkup sets the inner markup of the element with id and forces
// style and layout, the browser's share of a frame.
func (b *Browser) ReplaceMarkup(id, markup string) {
	el := js.Global().Get("document").Call("getElementById", id)
	if !el.Truthy() {
		return
	}
	el.Set("innerHTML", markup)
	el.Set("__vgHTML", js.Undefined()) // the renderer's record of it is stale (ui/cmd/vugujs/patch.go)
	el.Call("getBoundingClientRect")
	el.Get("lastElementChild") // touch the new tree
}

// Fetch reads path from the page's origin with fetch(). It blocks until the
// body is in; the caller must not be a DOM handler (see ui.Platform).
func (b *Browser) Fetch(path string) ([]byte, error) {
	type result struct {
		data []byte
		err  string
	}
	done := make(chan result, 1)
	var ok, body, bad js.Func
	bad = js.FuncOf(func(this js.Value, args []js.Value) any {
		done <- result{err: js.Global().Get("String").Invoke(args[0]).String()}
		return nil
	})
	body = js.FuncOf(func(this js.Value, args []js.Value) any {
		u8 := js.Global().Get("Uint8Array").New(args[0])
		data := make([]byte, u8.Get("length").Int())
		js.CopyBytesToGo(data, u8)
		done <- result{data: data}
		return nil
	})
	ok = js.FuncOf(func(this js.Value, args []js.Value) any {
		resp := args[0]
		if !resp.Get("ok").Bool() {
			done <- result{err: fmt.Sprintf("HTTP %d", resp.Get("status").Int())}
			return nil
		}
		resp.Call("arrayBuffer").Call("then", body, bad)
		return nil
	})
	defer ok.Release()
	defer body.Release()
	defer bad.Release()
	js.Global().Call("fetch", path).Call("then", ok, bad)
	r := <-done
	if r.err != "" {
		return nil, fmt.Errorf("bridge: fetch %s: %s", path, r.err)
	}
	return r.data, nil
}

// Address is the page's URL without its fragment.
func (b *Browser) Address() string {
	loc := js.Global().Get("location")
	return loc.Get("origin").String() + loc.Get("pathname").String() + loc.Get("search").String()
}

// Copy writes text to the clipboard when the page may (a secure context:
// loopback or HTTPS); the link stays selectable in its field either way.
func (b *Browser) Copy(text string) {
	if c := js.Global().Get("navigator").Get("clipboard"); c.Truthy() {
		defer func() { _ = recover() }()
		c.Call("writeText", text)
	}
}

// Download offers data as a file: a Blob behind a temporary link.
func (b *Browser) Download(name string, data []byte) {
	arr := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	blob := js.Global().Get("Blob").New([]any{arr}, map[string]any{"type": "application/json"})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	doc := js.Global().Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	js.Global().Get("URL").Call("revokeObjectURL", url)
}
