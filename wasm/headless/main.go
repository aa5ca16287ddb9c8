// Command headless plays a scenario file on the engine and prints the final
// snapshot (or, with -hash, the trace hash):
//
//	go run ./wasm/headless [-native] [-hash] [-wasm path] scenario.json
//
// By default it runs dist/engine.wasm under wazero, the same file the
// browser loads; -native runs the engine compiled into this program.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/wasm/host"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the whole command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("headless", flag.ContinueOnError)
	fs.SetOutput(stderr)
	native := fs.Bool("native", false, "run the engine in-process instead of engine.wasm")
	hash := fs.Bool("hash", false, "print only the trace hash")
	wasmPath := fs.String("wasm", "", "engine.wasm to run (default dist/engine.wasm at the module root)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: headless [-native] [-hash] [-wasm path] scenario.json")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	file := fs.Arg(0)
	scenario, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "headless: %v\n", err)
		return 1
	}
	if err := checkJSON(scenario); err != nil { // before paying for loading the engine
		fmt.Fprintf(stderr, "%s: %v\n", file, err)
		return 1
	}
	caller, closeCaller, err := newCaller(*native, *wasmPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer closeCaller()
	out, err := play(caller, scenario, *hash)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", file, err)
		return 1
	}
	stdout.Write(out)
	return 0
}

// newCaller returns the engine to talk to and how to release it.
func newCaller(native bool, wasmPath string) (host.Caller, func(), error) {
	if native {
		return host.NewNative(api.Options{}), func() {}, nil
	}
	if wasmPath == "" {
		var err error
		if wasmPath, err = host.DefaultWasmPath(); err != nil {
			return nil, nil, err
		}
	}
	ctx := context.Background()
	rt, err := host.Load(ctx, wasmPath, host.DefaultCacheDir())
	if err != nil {
		return nil, nil, err
	}
	inst, err := rt.NewInstance(ctx)
	if err != nil {
		rt.Close()
		return nil, nil, err
	}
	return inst, func() { inst.Close(); rt.Close() }, nil
}

// play opens scenario, runs it to the end and returns the snapshot as
// indented JSON, or the trace hash, followed by a newline. An error reply
// becomes an error carrying the engine's message.
func play(c host.Caller, scenario []byte, hash bool) ([]byte, error) {
	if err := checkJSON(scenario); err != nil {
		return nil, err
	}
	open := append(append([]byte(`{"method":"open","params":`), bytes.TrimSpace(scenario)...), '}')
	if _, err := call(c, open); err != nil {
		return nil, err
	}
	if _, err := call(c, []byte(`{"method":"advance","params":{"to":"end"}}`)); err != nil {
		return nil, err
	}
	if hash {
		result, err := call(c, []byte(`{"method":"trace_hash","params":{}}`))
		if err != nil {
			return nil, err
		}
		var h contract.TraceHashReply
		if err := json.Unmarshal(result, &h); err != nil || h.TraceHash == "" {
			return nil, fmt.Errorf("headless: trace_hash result %.200s has no trace_hash", result)
		}
		return []byte(h.TraceHash + "\n"), nil
	}
	result, err := call(c, []byte(`{"method":"snapshot","params":{}}`))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, result, "", "  "); err != nil {
		return nil, fmt.Errorf("headless: snapshot result: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// checkJSON reports whether the scenario file is JSON at all; what it says
// is the engine's to judge.
func checkJSON(scenario []byte) error {
	var v json.RawMessage
	if err := json.Unmarshal(scenario, &v); err != nil {
		return fmt.Errorf("headless: scenario is not JSON: %w", err)
	}
	return nil
}

// call sends one request and returns the result of its reply.
func call(c host.Caller, req []byte) (json.RawMessage, error) {
	reply, err := c.Call(req)
	if err != nil {
		return nil, err
	}
	var result json.RawMessage
	if err := contract.Decode(reply, &result); err != nil {
		if e, ok := err.(*contract.Error); ok {
			return nil, errors.New(e.Message) // the engine's words, without the code
		}
		return nil, fmt.Errorf("headless: %w", err)
	}
	return result, nil
}
