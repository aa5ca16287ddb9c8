package host

import (
	"bytes"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
)

// FuzzCall sends one arbitrary request to a fresh engine.wasm and a fresh
// native engine: the wasm must answer with a well-formed reply, never trap,
// and say exactly what the native engine says.
func FuzzCall(f *testing.F) {
	for _, seed := range []string{
		``, `garbage`, `{`, `null`, `{"method":"snapshot","params":{}}`,
		`{"method":"open","params":{"seed":1,"cluster":{"brokers":3},"steps":[]}}`,
		`{"method":"advance","params":{"by":"1s"}}`, `{"method":"apply","params":{"commands":[]}}`,
		`{"method":"trace_hash"}`, `{"method":"events","params":{"since":-1}}`, "{\"method\":\"\xff\"}",
	} {
		f.Add([]byte(seed))
	}
	rt := testRuntime(f)
	f.Fuzz(func(t *testing.T, req []byte) {
		i, err := rt.NewInstance(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer i.Close()
		wasm := mustCall(t, i, req)
		if native := mustCall(t, NewNative(api.Options{}), req); !bytes.Equal(wasm, native) {
			t.Errorf("Call(%q): wasm %.300s, native %.300s", req, wasm, native)
		}
	})
}
