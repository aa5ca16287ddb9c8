package host

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
)

// TestNativeAndWasmTracesAreIdentical plays every example scenario (among
// them kcat_session.json, a session of real kcat processes recorded from
// server/kafkawire and exported: its client_* steps) on the
// native engine and on engine.wasm under wazero and requires the same trace
// hash and the same final snapshot: the browser runs exactly what CI tests.
func TestNativeAndWasmTracesAreIdentical(t *testing.T) {
	files, err := filepath.Glob("../../engine/cluster/testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			play := func(c Caller) (hash, snap string) {
				mustResultOf(t, c, `{"method":"open","params":`+string(sc)+`}`)
				mustResultOf(t, c, `{"method":"advance","params":{"to":"end"}}`)
				return mustResultOf(t, c, `{"method":"trace_hash"}`), mustResultOf(t, c, `{"method":"snapshot","params":{"records":true}}`)
			}
			nh, ns := play(NewNative(api.Options{}))
			wh, ws := play(newInstance(t))
			if nh != wh {
				t.Fatalf("trace hashes differ:\nnative %s\nwasm   %s", nh, wh)
			}
			if ns != ws {
				t.Fatalf("final snapshots differ")
			}
		})
	}
}

func mustResultOf(t *testing.T, c Caller, req string) string {
	t.Helper()
	reply := mustCall(t, c, []byte(req))
	if len(reply) > 9 && string(reply[:9]) == `{"error":` {
		t.Fatalf("%.80s: %s", req, reply)
	}
	return string(reply)
}

// TestFilesBackendUnderWazeroMatchesMemory runs a scenario with
// "storage": "files" on engine.wasm with a mounted directory: segment files
// appear on disk and the trace is identical to the memory backend's.
func TestFilesBackendUnderWazeroMatchesMemory(t *testing.T) {
	sc, err := os.ReadFile("../../engine/cluster/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(sc, &m); err != nil {
		t.Fatal(err)
	}
	play := func(c Caller, storage string) string {
		m["cluster"].(map[string]any)["storage"] = storage
		b, _ := json.Marshal(m)
		mustResultOf(t, c, `{"method":"open","params":`+string(b)+`}`)
		mustResultOf(t, c, `{"method":"advance","params":{"to":"end"}}`)
		return mustResultOf(t, c, `{"method":"trace_hash"}`)
	}
	dir := t.TempDir()
	files := play(newInstance(t, WithFS(dir)), "files")
	memory := play(newInstance(t), "memory")
	if files != memory {
		t.Fatalf("files backend trace differs from memory:\n%s\n%s", files, memory)
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "broker-*", "orders-*", "*.log"))
	if len(segs) < 3 {
		t.Fatalf("expected segment files under %s, found %v", dir, segs)
	}
}
