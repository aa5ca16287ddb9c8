// Command engine is engine.wasm: a WASI reactor that exposes engine/api over
// three exported functions (DESIGN.md §3). It only marshals bytes; every
// behaviour lives in engine/api. Build it with
//
//	GOOS=wasip1 GOARCH=wasm GOWASM=satconv,signext go build -buildmode=c-shared -o dist/engine.wasm ./wasm/engine
//
// The exports live in exports.go (wasip1 only); this file holds the logic
// that also compiles natively so it can be tested without wasm.
package main

import (
	"fmt"
	"os"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/wasm/filestore"
)

// dataDir is where a host mounts the directory for the files backend.
const dataDir = "/data"

// main is unused: hosts call _initialize, then the exports.
func main() {}

// newEngine builds the engine the exports talk to.
func newEngine() *api.Engine {
	// A reactor has no idle loop: collect garbage whole at the advance's
	// yield points (see gcPacer), and let other goroutines run there.
	opts := api.Options{Yield: pacer.yield}
	if fi, err := os.Stat(dataDir); err == nil && fi.IsDir() {
		// Scenarios that ask for "storage": "files" keep broker logs here
		// (OPFS in the browser, a mounted directory under wazero).
		opts.Files = func() (log.Store, error) { return filestore.New(dataDir) }
	}
	return api.New(opts)
}

// safeCall runs one request and turns a panic into an error reply, so a
// broken invariant never becomes a trap that kills the instance.
func safeCall(call func([]byte) []byte, req []byte) (reply []byte) {
	defer func() {
		if r := recover(); r != nil {
			reply = errorReply("INTERNAL", fmt.Sprintf("wasm/engine: panic: %v", r))
		}
	}()
	return call(req)
}

// errorReply encodes {"error": {"code": code, "message": msg}}.
func errorReply(code, msg string) []byte {
	type body struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	b, err := jsonwire.Marshal(struct {
		Error body `json:"error"`
	}{body{code, msg}})
	if err != nil {
		panic("wasm/engine: encoding an error reply: " + err.Error()) // strings always encode
	}
	return b
}
