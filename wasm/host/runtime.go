// Package host runs engine.wasm under wazero: it compiles the module once,
// makes independent instances of it, and moves JSON requests and replies
// across the ABI of DESIGN.md §3. It is how tests and tools run the very
// file the browser loads.
package host

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	wapi "github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Runtime holds one compiled engine.wasm. Instances made from it share the
// compiled code and nothing else.
type Runtime struct {
	rt       wazero.Runtime
	cache    wazero.CompilationCache // nil without a cache directory
	compiled wazero.CompiledModule
	seq      atomic.Uint64 // names instances uniquely
}

// exports are the functions engine.wasm must export, with their signatures.
var exports = map[string]struct{ params, results []wapi.ValueType }{
	"_initialize": {},
	"bl_alloc":    {[]wapi.ValueType{wapi.ValueTypeI32}, []wapi.ValueType{wapi.ValueTypeI32}},
	"bl_free":     {[]wapi.ValueType{wapi.ValueTypeI32}, nil},
	"bl_call":     {[]wapi.ValueType{wapi.ValueTypeI32, wapi.ValueTypeI32}, []wapi.ValueType{wapi.ValueTypeI64}},
}

// Load reads the engine.wasm at path and compiles it with NewRuntime.
func Load(ctx context.Context, path, cacheDir string) (*Runtime, error) {
	wasm, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("host: %w (run make build first)", err)
	}
	if err != nil {
		return nil, fmt.Errorf("host: %w", err)
	}
	return NewRuntime(ctx, wasm, cacheDir)
}

// NewRuntime compiles engine.wasm. With a non-empty cacheDir the compiled
// code is kept there between processes (compiling takes seconds, loading from
// the cache milliseconds). Clocks stay wazero's fake ones: the engine keeps
// virtual time and must not see the wall clock.
func NewRuntime(ctx context.Context, wasm []byte, cacheDir string) (*Runtime, error) {
	cfg := wazero.NewRuntimeConfig()
	var cache wazero.CompilationCache
	if cacheDir != "" {
		var err error
		if cache, err = wazero.NewCompilationCacheWithDir(cacheDir); err != nil {
			return nil, fmt.Errorf("host: compilation cache: %w", err)
		}
		cfg = cfg.WithCompilationCache(cache)
	}
	r := &Runtime{rt: wazero.NewRuntimeWithConfig(ctx, cfg), cache: cache}
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, r.rt); err != nil {
		r.Close()
		return nil, fmt.Errorf("host: WASI: %w", err)
	}
	compiled, err := r.rt.CompileModule(ctx, wasm)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("host: compile engine.wasm: %w", err)
	}
	r.compiled = compiled
	if err := checkExports(compiled.ExportedFunctions()); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// checkExports reports the first ABI function that is missing or mistyped.
func checkExports(got map[string]wapi.FunctionDefinition) error {
	names := make([]string, 0, len(exports))
	for name := range exports {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		want := exports[name]
		def, ok := got[name]
		if !ok {
			return fmt.Errorf("host: engine.wasm does not export %s (not built with -buildmode=c-shared for wasip1?)", name)
		}
		if !slices.Equal(def.ParamTypes(), want.params) || !slices.Equal(def.ResultTypes(), want.results) {
			return fmt.Errorf("host: engine.wasm export %s has signature %v -> %v, want %v -> %v",
				name, def.ParamTypes(), def.ResultTypes(), want.params, want.results)
		}
	}
	return nil
}

// Close frees the runtime, its instances and the cache handle.
func (r *Runtime) Close() error {
	ctx := context.Background()
	err := r.rt.Close(ctx)
	if r.cache != nil {
		err = errors.Join(err, r.cache.Close(ctx))
	}
	return err
}
