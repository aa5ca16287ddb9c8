package handler

import (
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

// TestDictionary: a dcz sibling makes its dictionary (found by the SHA-256
// in the dcz header) carry Use-As-Dictionary and a fresh Cache-Control,
// and is sent only to a request that names that dictionary and accepts
// dcz; every other request gets br as before, and a body that is not dcz
// is never served.
func TestDictionary(t *testing.T) {
	ui := []byte("\x00asm ui bytes, the dictionary")
	sum := sha256.Sum256(ui)
	dcz := append(append(append([]byte(nil), dczHeader...), sum[:]...), "zstd frame"...)
	other := sha256.Sum256([]byte("another dictionary"))
	h := New(Config{Dist: fstest.MapFS{
		"ui.wasm":         {Data: ui},
		"ui.wasm.br":      {Data: []byte("brotli ui")},
		"engine.wasm":     {Data: wasmRaw},
		"engine.wasm.br":  {Data: wasmBr},
		"engine.wasm.dcz": {Data: dcz},
		"other.wasm":      {Data: wasmRaw},
		"other.wasm.dcz":  {Data: []byte("too short")},
	}})
	available := sfBinary(sum[:])

	uiResp := do(t, h, "GET", "/ui.wasm", map[string]string{"Accept-Encoding": "br"})
	if got := uiResp.Header().Get("Use-As-Dictionary"); got != `match="/engine.wasm"` {
		t.Errorf("ui.wasm: Use-As-Dictionary %q, want match=\"/engine.wasm\"", got)
	}
	if got := uiResp.Header().Get("Cache-Control"); !strings.Contains(got, "max-age=") || strings.Contains(got, "no-cache") {
		t.Errorf("ui.wasm: Cache-Control %q: a dictionary needs a fresh response", got)
	}
	if got := do(t, h, "GET", "/engine.wasm", nil).Header().Get("Use-As-Dictionary"); got != "" {
		t.Errorf("engine.wasm: Use-As-Dictionary %q, want none", got)
	}

	tests := []struct {
		name, path, ae, dict, enc string
		body                      []byte
	}{
		{"named dictionary", "/engine.wasm", "gzip, br, zstd, dcb, dcz", available, "dcz", dcz},
		{"HEAD as the page asks", "/engine.wasm", "gzip, br, zstd, dcb, dcz", available, "dcz", nil},
		{"no dictionary", "/engine.wasm", "gzip, br, zstd", "", "br", wasmBr},
		{"another dictionary", "/engine.wasm", "br, dcz", sfBinary(other[:]), "br", wasmBr},
		{"dcz not accepted", "/engine.wasm", "br", available, "br", wasmBr},
		{"dcz refused", "/engine.wasm", "br, dcz;q=0", available, "br", wasmBr},
		{"not a dcz body", "/other.wasm", "br, dcz", available, "", wasmRaw},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := "GET"
			if tc.body == nil {
				method = "HEAD"
			}
			rec := do(t, h, method, tc.path, map[string]string{"Accept-Encoding": tc.ae, "Available-Dictionary": tc.dict})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tc.enc {
				t.Errorf("Content-Encoding %q, want %q", got, tc.enc)
			}
			if tc.body != nil && rec.Body.String() != string(tc.body) {
				t.Errorf("body %q, want %q", rec.Body.String(), tc.body)
			}
			if tc.path == "/engine.wasm" && rec.Header().Get("Vary") != "Accept-Encoding, Available-Dictionary" {
				t.Errorf("Vary %q, want Accept-Encoding, Available-Dictionary", rec.Header().Get("Vary"))
			}
		})
	}
}
