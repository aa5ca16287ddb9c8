package ui

import "github.com/brokerlab/brokerlab/lessons/share"

// Platform is what the UI needs from its host. ui/bridge implements it on
// syscall/js; tests implement it natively on engine/api.
type Platform interface {
	// Call sends one engine request ({"method", "params"} as JSON) and
	// returns the reply JSON. It blocks; the UI calls it from its driver
	// goroutine only.
	Call(req []byte) ([]byte, error)
	// CallBatch sends several requests at once (the engine answers them in
	// order) and waits for every reply: one wait instead of one per call.
	// doneMS[i] is the Now() at which reply i arrived.
	CallBatch(reqs [][]byte) (replies [][]byte, doneMS []float64, err error)
	// Load, Store and Remove are localStorage.
	Load(key string) (string, bool)
	Store(key, val string)
	Remove(key string)
	// Now is a monotonic clock in milliseconds (performance.now()).
	Now() float64
	// NextFrame blocks until the next animation frame; it returns its time
	// stamp in milliseconds.
	NextFrame() float64
	// Publish exposes a figure (a number or string) to the page, for the
	// browser test.
	Publish(name string, v any)
	// Hash and SetHash read and write the URL fragment (the current page).
	Hash() string
	SetHash(h string)
	// OnHashChange calls f (on its own goroutine) when the fragment changes
	// by history navigation or an edited URL.
	OnHashChange(f func(h string))
	// Language is the browser's preferred language ("ko-KR"); SetLang
	// marks the document's language (<html lang>).
	Language() string
	SetLang(l string)
	// Fetch reads a file the page's origin serves (path relative to the
	// page, e.g. "text/ko.json"). It blocks: never call it from a DOM
	// handler.
	Fetch(path string) ([]byte, error)
	// Address is the page's URL without its fragment, for links to it.
	Address() string
	// Copy puts text on the clipboard (best effort).
	Copy(text string)
	// Download offers data as a file named name.
	Download(name string, data []byte)
	// Deflate and Inflate are raw DEFLATE for share links: the browser's
	// CompressionStream, so ui.wasm carries no DEFLATE of its own. They
	// block: never call them from a DOM handler.
	share.Codec
}
