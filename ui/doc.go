// Package ui is Brokerlab's browser interface: Vugu components that render
// the engine's snapshots (cluster view, log strips, event log, plots) and send
// the learner's commands back, plus the lesson player and the sandbox. It
// holds no engine logic and never imports the engine: it speaks the engine's
// JSON API through a Platform (ui/bridge in the browser, engine/api in tests)
// and reads the plain shapes of engine/view.
package ui

// Size: ui.wasm is half of the page's first load, so helpers with many call
// sites that do not run per frame (T, form submission, navigation, the
// session's open and refresh, fmtSec) carry //go:noinline: Go inlines small
// functions at every call site, and the copies cost brotli bytes that one
// call does not (go build -gcflags=-m=2 lists the inlined calls). Only
// English is built in (locale.go); the lessons are built in as strings, not
// an embed.FS (lessons/load_js.go).
