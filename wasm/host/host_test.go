package host

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
	wapi "github.com/tetratelabs/wazero/api"
)

var (
	shared     *Runtime
	sharedErr  error
	sharedOnce sync.Once
)

// testRuntime is dist/engine.wasm compiled once for the whole test binary.
// A missing file fails the tests: they must never pass without the wasm.
func testRuntime(t testing.TB) *Runtime {
	t.Helper()
	sharedOnce.Do(func() {
		path, err := DefaultWasmPath()
		if err != nil {
			sharedErr = err
			return
		}
		shared, sharedErr = Load(context.Background(), path, DefaultCacheDir())
	})
	if sharedErr != nil {
		t.Fatalf("loading engine.wasm: %v", sharedErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	os.Exit(code)
}

func newInstance(t testing.TB, opts ...Option) *Instance {
	t.Helper()
	i, err := testRuntime(t).NewInstance(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i.Close() })
	return i
}

// mustCall sends req and checks that the reply is a well-formed envelope.
func mustCall(t testing.TB, c Caller, req []byte) []byte {
	t.Helper()
	reply, err := c.Call(req)
	if err != nil {
		t.Fatalf("Call(%.60q): %v", req, err)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(reply, &env); err != nil {
		t.Fatalf("Call(%.60q): reply %.200q is not a JSON object: %v", req, reply, err)
	}
	_, isResult := env["result"]
	_, isError := env["error"]
	if len(env) != 1 || isResult == isError {
		t.Fatalf("Call(%.60q): reply %.200s is neither {result} nor {error}", req, reply)
	}
	return reply
}

func TestEngineWasmIsAReactorWithTheABI(t *testing.T) {
	r := testRuntime(t)
	got := r.compiled.ExportedFunctions()
	for _, name := range []string{"_initialize", "bl_alloc", "bl_free", "bl_call"} {
		if _, ok := got[name]; !ok {
			t.Errorf("engine.wasm does not export %s", name)
		}
	}
	if _, ok := got["_start"]; ok {
		t.Errorf("engine.wasm exports _start: built as a command, not a reactor")
	}
	if err := checkExports(got); err != nil {
		t.Error(err)
	}
	for _, f := range r.compiled.ImportedFunctions() {
		if mod, _, _ := f.Import(); mod != "wasi_snapshot_preview1" {
			t.Errorf("engine.wasm imports %s from %q; only WASI is provided", f.DebugName(), mod)
		}
	}
}

func TestCheckExportsRejectsAWrongSignature(t *testing.T) {
	got := testRuntime(t).compiled.ExportedFunctions()
	bad := map[string]wapi.FunctionDefinition{}
	for name, def := range got {
		bad[name] = def
	}
	bad["bl_call"] = got["bl_alloc"] // (i32) -> i32 instead of (i32, i32) -> i64
	if err := checkExports(bad); err == nil || !strings.Contains(err.Error(), "bl_call") {
		t.Errorf("checkExports with a mistyped bl_call = %v, want an error naming it", err)
	}
	bad["bl_call"] = got["bl_call"]
	delete(bad, "bl_free")
	if err := checkExports(bad); err == nil || !strings.Contains(err.Error(), "bl_free") {
		t.Errorf("checkExports without bl_free = %v, want an error naming it", err)
	}
}

func TestNewRuntimeRejectsAModuleWithoutTheABI(t *testing.T) {
	empty := []byte("\x00asm\x01\x00\x00\x00") // a valid module with no exports
	r, err := NewRuntime(context.Background(), empty, "")
	if err == nil {
		r.Close()
		t.Fatal("NewRuntime accepted a module without the ABI")
	}
	if !strings.Contains(err.Error(), "does not export") {
		t.Errorf("error = %v, want it to name the missing export", err)
	}
}

func TestLoadMissingFileSaysBuildFirst(t *testing.T) {
	_, err := Load(context.Background(), t.TempDir()+"/engine.wasm", "")
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("Load of a missing file = %v, want a hint to run make build", err)
	}
}

func TestGarbageGetsAnErrorReply(t *testing.T) {
	i := newInstance(t)
	for _, req := range []string{"", "garbage", "{", "null", "[]", `{"method":1}`, `{"method":"no_such_method","params":{}}`, "\xff\xfe\x00"} {
		reply := mustCall(t, i, []byte(req))
		var r struct {
			Error *struct{ Code, Message string }
		}
		if err := json.Unmarshal(reply, &r); err != nil || r.Error == nil || r.Error.Code == "" || r.Error.Message == "" {
			t.Errorf("Call(%q) = %s, want an error reply with a code and a message", req, reply)
		}
	}
}

// padded is a request for an unknown method carrying size bytes of padding.
func padded(size int) []byte {
	head, foot := `{"method":"no_such_method","params":{"pad":"`, `"}}`
	req := make([]byte, 0, size)
	req = append(req, head...)
	req = append(req, bytes.Repeat([]byte("x"), size-len(head)-len(foot))...)
	return append(req, foot...)
}

func TestLargeRequest(t *testing.T) {
	i := newInstance(t)
	req := padded(1 << 20)
	wasm := mustCall(t, i, req)
	if native := mustCall(t, NewNative(api.Options{}), req); !bytes.Equal(wasm, native) {
		t.Errorf("1 MiB request: wasm replied %.200s, native %.200s", wasm, native)
	}
	mustCall(t, i, []byte(`{"method":"snapshot","params":{}}`)) // still alive
}

func TestManyCallsKeepMemoryBounded(t *testing.T) {
	i := newInstance(t)
	// Garbage fails at its first byte, so the engine's time goes to nothing
	// but moving 64 KiB in: 640 MiB through bl_alloc over the test.
	req := bytes.Repeat([]byte("x"), 64<<10)
	for range 200 {
		mustCall(t, i, req)
	}
	before := i.mod.Memory().Size()
	const calls = 10_000
	for range calls {
		mustCall(t, i, req)
	}
	after := i.mod.Memory().Size()
	// A leaked request buffer, or a garbage-collection cycle that never
	// finishes (wasm/engine yields to the GC workers for this), grows memory
	// by hundreds of MiB here.
	const bound = 8 << 20
	if after > before+bound {
		t.Errorf("memory grew from %d to %d bytes over %d calls; want at most %d more", before, after, calls, bound)
	}
	t.Logf("memory %d -> %d bytes over %d calls", before, after, calls)
}

func TestInstancesAreIndependent(t *testing.T) {
	a, b := newInstance(t), newInstance(t)
	nativeA, nativeB := NewNative(api.Options{}), NewNative(api.Options{})
	open := []byte(`{"method":"open","params":{"seed":1,"cluster":{"brokers":1},"steps":[]}}`)
	snapshot := []byte(`{"method":"snapshot","params":{}}`)

	// a opens a scenario, b does not: each must answer like a native engine
	// with the same history, whatever the other one did.
	if got, want := mustCall(t, a, open), mustCall(t, nativeA, open); !bytes.Equal(got, want) {
		t.Errorf("open: wasm %s, native %s", got, want)
	}
	if got, want := mustCall(t, b, snapshot), mustCall(t, nativeB, snapshot); !bytes.Equal(got, want) {
		t.Errorf("b snapshot: wasm %s, native %s", got, want)
	}
	if got, want := mustCall(t, a, snapshot), mustCall(t, nativeA, snapshot); !bytes.Equal(got, want) {
		t.Errorf("a snapshot: wasm %s, native %s", got, want)
	}
	if a.mod.Name() == b.mod.Name() {
		t.Errorf("both instances are named %q", a.mod.Name())
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	mustCall(t, b, snapshot)
}

func TestWasmMatchesNative(t *testing.T) {
	i, n := newInstance(t), NewNative(api.Options{})
	for _, req := range []string{
		`garbage`,
		`{"method":"open","params":{"seed":7,"cluster":{"brokers":3},"steps":[{"at":"1s","op":"create_topic","name":"orders","partitions":3,"replication_factor":3}]}}`,
		`{"method":"advance","params":{"to":"end"}}`,
		`{"method":"snapshot","params":{}}`,
		`{"method":"trace_hash","params":{}}`,
		`{"method":"events","params":{}}`,
	} {
		if got, want := mustCall(t, i, []byte(req)), mustCall(t, n, []byte(req)); !bytes.Equal(got, want) {
			t.Errorf("Call(%.60s): wasm %.200s, native %.200s", req, got, want)
		}
	}
}

func TestWithFS(t *testing.T) {
	i := newInstance(t, WithFS(t.TempDir()))
	mustCall(t, i, []byte(`{"method":"snapshot","params":{}}`))
}

func TestCrashIsAnErrorFromThenOn(t *testing.T) {
	var stderr bytes.Buffer
	i := newInstance(t, WithStderr(&stderr))
	// Asking the guest for 4 GiB kills its Go runtime: a crash, not a reply.
	if _, err := i.invoke(i.alloc, 1<<32-1); err == nil {
		t.Fatal("bl_alloc(4 GiB) succeeded")
	}
	_, err := i.Call([]byte(`{"method":"snapshot","params":{}}`))
	if err == nil || !strings.Contains(err.Error(), "crashed") {
		t.Fatalf("Call after a crash = %v, want the crash error", err)
	}
	if !strings.Contains(stderr.String(), "out of memory") || !strings.Contains(err.Error(), "fatal error: out of memory") {
		t.Errorf("crash error %q does not carry the guest's stderr %q", err, stderr.String())
	}
}

func TestDefaultWasmPathIsUnderTheModuleRoot(t *testing.T) {
	path, err := DefaultWasmPath()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, "/dist/engine.wasm") {
		t.Errorf("DefaultWasmPath() = %s", path)
	}
	root := strings.TrimSuffix(path, "/dist/engine.wasm")
	if _, err := os.Stat(root + "/go.mod"); err != nil {
		t.Errorf("DefaultWasmPath() = %s, but %s has no go.mod", path, root)
	}
	if strings.Contains(root, "wasm/host") {
		t.Errorf("DefaultWasmPath() = %s stopped below the module root", path)
	}
}

func TestHeadKeepsTheStart(t *testing.T) {
	var h head
	for i := range 3 * headSize {
		if n, err := h.Write([]byte{byte('a' + i%26)}); n != 1 || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if s := h.String(); len(s) != headSize || !strings.HasPrefix(s, "abc") {
		t.Errorf("head kept %d bytes starting %q", len(s), s[:3])
	}
}

func TestCallOnAForeignPointerIsAnErrorReply(t *testing.T) {
	i := newInstance(t)
	packed, err := i.invoke(i.call, 12345, 10) // never handed out by bl_alloc
	if err != nil {
		t.Fatal(err)
	}
	reply, ok := i.mod.Memory().Read(uint32(packed>>32), uint32(packed))
	if !ok || !bytes.Contains(reply, []byte(`"code":"INVALID_REQUEST"`)) {
		t.Fatalf("bl_call(12345, 10) = %q, want an INVALID_REQUEST reply", reply)
	}
	mustCall(t, i, []byte(`{"method":"snapshot","params":{}}`)) // still alive
}
