// Package api is the engine's single entry point: one JSON request in, one
// JSON reply out (DESIGN.md §3). wasm/engine exposes it as engine.wasm and
// native callers use it directly, so both run exactly the same code.
package api

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/log"
)

// Options are what an entry point injects into the pure engine.
type Options struct {
	// Files returns the files backend for scenarios that ask for
	// "storage": "files" (nil: such scenarios are refused).
	Files func() (log.Store, error)
	// Yield, if set, is called every yieldEvery sim steps of an advance. A
	// WASI reactor passes runtime.Gosched: it has no idle loop, so the
	// garbage collector's mark worker only runs when the engine yields, and
	// until it has run, the cycle's write barriers stay on and the heap
	// grows. It must not touch the engine.
	Yield func()
}

// yieldEvery is how many sim steps an advance runs between Yield calls.
const yieldEvery = 256

// Engine answers requests. It is not safe for concurrent use.
type Engine struct {
	opts    Options
	cluster *cluster.Cluster
	broken  string // set after an internal panic: only "open" is accepted
	disk    disk
	// eventsBuf is the events method's JSON scratch, reused: a reply is
	// encoded before the next request.
	eventsBuf []byte
}

// New returns an engine with no scenario open.
func New(opts Options) *Engine { return &Engine{opts: opts} }

// Error codes of replies (contract holds them: callers read them too).
const (
	CodeInvalidRequest = contract.CodeInvalidRequest
	CodeUnknownMethod  = contract.CodeUnknownMethod
	CodeInvalidParams  = contract.CodeInvalidParams
	CodeNotOpen        = contract.CodeNotOpen
	CodeStorage        = contract.CodeStorage
	CodeInternal       = contract.CodeInternal
)

// Error is a reply error.
type Error = contract.Error

// errf is out of line: inlined at its ~30 call sites it cost more bytes
// of engine.wasm than it saves time.
//
//go:noinline
func errf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

type request struct {
	Method string              `json:"method"`
	Params jsonwire.RawMessage `json:"params"`
}

type handler func(e *Engine, params jsonwire.RawMessage) (any, *Error)

var methods = map[string]handler{
	"open":       (*Engine).open,
	"apply":      (*Engine).apply,
	"advance":    (*Engine).advance,
	"snapshot":   (*Engine).snapshot,
	"trace_hash": (*Engine).traceHash,
	"events":     (*Engine).events,
	"configs":    (*Engine).configs,
	"check_disk": (*Engine).checkDisk,
}

// Call runs one request and returns its reply. It never panics: an internal
// panic becomes an INTERNAL error and the open scenario must be reopened.
func (e *Engine) Call(req []byte) (reply []byte) {
	defer func() {
		if r := recover(); r != nil {
			e.broken = fmt.Sprint(r)
			reply = encode(nil, errf(CodeInternal, "api: engine panic: %v (reopen the scenario); %s", r, firstLines(string(debug.Stack()), 12)))
		}
	}()
	result, err := e.dispatch(req)
	return encode(result, err)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " | ")
}

func (e *Engine) dispatch(raw []byte) (any, *Error) {
	var req request
	if err := strictDecode(raw, &req); err != nil {
		return nil, errf(CodeInvalidRequest, "api: request is not a JSON object {\"method\", \"params\"}: %v", err)
	}
	if req.Method == "" {
		return nil, errf(CodeInvalidRequest, "api: missing \"method\"")
	}
	h, ok := methods[req.Method]
	if !ok {
		return nil, errf(CodeUnknownMethod, "api: unknown method %q (known: %s)", req.Method, strings.Join(methodNames(), ", "))
	}
	if e.broken != "" && req.Method != "open" && req.Method != "configs" {
		return nil, errf(CodeNotOpen, "api: the engine stopped after an internal error (%s); open the scenario again", e.broken)
	}
	if req.Method != "open" && req.Method != "configs" && e.cluster == nil {
		return nil, errf(CodeNotOpen, "api: %s needs an open scenario: call open first", req.Method)
	}
	return h(e, req.Params)
}

// encoded is a result already in JSON, compact and escaped as json.Marshal
// would write it; encode sends it as it is.
type encoded []byte

func encode(result any, err *Error) []byte {
	if r, ok := result.(encoded); ok && err == nil {
		return append(append(append(make([]byte, 0, len(r)+11), `{"result":`...), r...), '}')
	}
	var v any
	if err != nil {
		v = map[string]any{"error": err}
	} else {
		v = map[string]any{"result": result}
	}
	b, mErr := jsonwire.Marshal(v)
	if mErr != nil {
		b, _ = jsonwire.Marshal(map[string]any{"error": errf(CodeInternal, "api: reply not encodable: %v", mErr)})
	}
	return b
}
