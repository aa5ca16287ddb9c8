package host

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/tetratelabs/wazero"
	wapi "github.com/tetratelabs/wazero/api"
)

// dataDir is the guest path the files backend lives under.
const dataDir = "/data"

// Instance is one running engine.wasm with its own memory and engine state.
// It is not safe for concurrent use. After a crash (a trap or exit inside the
// guest) every Call returns the crash error.
type Instance struct {
	mod               wapi.Module
	alloc, free, call wapi.Function
	stack             [2]uint64
	stderr            *head
	err               error // set once the instance crashed
}

// Option configures an instance.
type Option func(*instanceConfig)

type instanceConfig struct {
	fsDir  string
	stderr io.Writer
}

// WithFS mounts the host directory dir as the guest's /data, where the
// engine keeps its files backend.
func WithFS(dir string) Option { return func(c *instanceConfig) { c.fsDir = dir } }

// WithStderr copies the guest's stderr (Go runtime crash reports) to w.
func WithStderr(w io.Writer) Option { return func(c *instanceConfig) { c.stderr = w } }

// NewInstance instantiates the compiled engine under a unique name and runs
// its _initialize.
func (r *Runtime) NewInstance(ctx context.Context, opts ...Option) (*Instance, error) {
	var c instanceConfig
	for _, o := range opts {
		o(&c)
	}
	i := &Instance{stderr: &head{}}
	var stderr io.Writer = i.stderr
	if c.stderr != nil {
		stderr = io.MultiWriter(i.stderr, c.stderr)
	}
	cfg := wazero.NewModuleConfig().
		WithName(fmt.Sprintf("engine-%d", r.seq.Add(1))).
		WithStartFunctions(). // a reactor: _initialize is called below
		WithStderr(stderr)
	if c.fsDir != "" {
		cfg = cfg.WithFSConfig(wazero.NewFSConfig().WithDirMount(c.fsDir, dataDir))
	}
	mod, err := r.rt.InstantiateModule(withReservedMemory(ctx), r.compiled, cfg)
	if err != nil {
		return nil, fmt.Errorf("host: instantiate engine.wasm: %w", err)
	}
	i.mod = mod
	i.alloc = mod.ExportedFunction("bl_alloc")
	i.free = mod.ExportedFunction("bl_free")
	i.call = mod.ExportedFunction("bl_call")
	if _, err := i.invoke(mod.ExportedFunction("_initialize")); err != nil {
		mod.Close(ctx)
		return nil, err
	}
	return i, nil
}

// Call sends one JSON request and returns the engine's reply. A reply that
// reports an error is still a reply; a Go error means the instance crashed.
func (i *Instance) Call(req []byte) ([]byte, error) {
	if i.err != nil {
		return nil, i.err
	}
	ptr, err := i.invoke(i.alloc, uint64(len(req)))
	if err != nil {
		return nil, err
	}
	if !i.mod.Memory().Write(uint32(ptr), req) {
		return nil, i.crash(fmt.Errorf("bl_alloc returned %d, out of memory for %d bytes", ptr, len(req)))
	}
	packed, err := i.invoke(i.call, ptr, uint64(len(req)))
	if err != nil {
		return nil, err
	}
	if _, err := i.invoke(i.free, ptr); err != nil {
		return nil, err
	}
	reply, ok := i.mod.Memory().Read(uint32(packed>>32), uint32(packed))
	if !ok || len(reply) == 0 {
		return nil, i.crash(fmt.Errorf("bl_call returned reply %#x, outside memory or empty", packed))
	}
	return bytes.Clone(reply), nil // the guest reuses it on the next call
}

// invoke calls fn with params and returns its first result, if any.
func (i *Instance) invoke(fn wapi.Function, params ...uint64) (uint64, error) {
	copy(i.stack[:], params)
	if err := fn.CallWithStack(context.Background(), i.stack[:]); err != nil {
		return 0, i.crash(fmt.Errorf("%s: %w", fn.Definition().Name(), err))
	}
	return i.stack[0], nil
}

// crash records that the instance is dead and why.
func (i *Instance) crash(err error) error {
	if s := i.stderr.String(); s != "" {
		err = fmt.Errorf("%w\nguest stderr:\n%s", err, s)
	}
	i.err = fmt.Errorf("host: %s crashed: %w", i.mod.Name(), err)
	return i.err
}

// Close frees the instance's memory.
func (i *Instance) Close() error { return i.mod.Close(context.Background()) }

// head keeps the first few KiB written to it: where a Go crash report says
// what went wrong, before the goroutine dumps.
type head struct{ b []byte }

const headSize = 8 << 10

func (h *head) Write(p []byte) (int, error) {
	if room := headSize - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (h *head) String() string { return string(h.b) }
