// Package api is the engine's single entry point: one JSON request in, one
// JSON reply out (DESIGN.md §3). wasm/engine exposes it as engine.wasm and
// native callers use it directly, so both run exactly the same code.
package api

import "encoding/json"

// Options are what an entry point injects into the pure engine.
type Options struct{}

// Engine answers requests. It is not safe for concurrent use.
type Engine struct{ opts Options }

// New returns an engine with no scenario open.
func New(opts Options) *Engine { return &Engine{opts: opts} }

// Call runs one request and returns its reply. It never panics on bad input.
func (e *Engine) Call(req []byte) []byte {
	// TODO(foundation): stub until the dispatcher lands.
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": "NOT_IMPLEMENTED", "message": "api: not implemented yet"}})
	return b
}
