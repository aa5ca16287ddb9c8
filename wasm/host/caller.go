package host

import "github.com/brokerlab/brokerlab/engine/api"

// Caller is anything that answers engine requests: an Instance of
// engine.wasm, or Native for the same engine compiled into the process.
type Caller interface {
	Call(req []byte) ([]byte, error)
}

// Native runs the engine in-process, so code written against Caller runs
// both ways and the two can be diffed. A panic inside the engine propagates
// (engine.wasm turns it into an INTERNAL error reply instead).
type Native struct{ Engine *api.Engine }

// NewNative returns a Native around a fresh engine.
func NewNative(opts api.Options) Native { return Native{Engine: api.New(opts)} }

// Call runs one request; it never returns an error.
func (n Native) Call(req []byte) ([]byte, error) { return n.Engine.Call(req), nil }

var (
	_ Caller = (*Instance)(nil)
	_ Caller = Native{}
)
