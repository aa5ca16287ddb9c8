package handler

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var (
	wasmRaw = []byte("\x00asm\x01\x00\x00\x00 raw engine bytes")
	wasmBr  = []byte("brotli bytes of engine")
	wasmGz  = []byte("gzip bytes of engine")
)

func testHandler() http.Handler {
	static := fstest.MapFS{
		"index.html":       {Data: []byte("<!doctype html><title>static</title>")},
		"app.css":          {Data: []byte("body{}")},
		"boot.js":          {Data: []byte("// boot")},
		"engine-worker.js": {Data: []byte("// worker from static")},
	}
	dist := fstest.MapFS{
		"engine.wasm":      {Data: wasmRaw},
		"engine.wasm.br":   {Data: wasmBr},
		"engine.wasm.gz":   {Data: wasmGz},
		"ui.wasm":          {Data: []byte("\x00asm ui")},
		"ui.wasm.gz":       {Data: []byte("gzip ui")},
		"wasm_exec.js":     {Data: []byte("// wasm_exec")},
		"engine-worker.js": {Data: []byte("// stale copy in dist")},
		"index.html":       {Data: []byte("stale index in dist")},
		"_headers":         {Data: []byte("/*\n  X: y\n")},
		".assetsignore":    {Data: []byte("*.br\n")},
		".git/config":      {Data: []byte("secret")},
		"sub/data.json":    {Data: []byte(`{"a":1}`)},
		"orphan.txt.gz":    {Data: []byte("gz with no base")},
	}
	return New(Config{Static: static, Dist: dist})
}

func do(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1"+"/", nil)
	req.URL.Path = target // set raw so httptest does not clean it
	req.RequestURI = target
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRouting(t *testing.T) {
	h := testHandler()
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		code               int
		body               string // exact body ("" = not checked)
		ctype              string
		encoding           string
		vary               bool
	}{
		{name: "root is index", method: "GET", path: "/", code: 200, body: "<!doctype html><title>static</title>", ctype: "text/html; charset=utf-8"},
		{name: "index by name", method: "GET", path: "/index.html", code: 200, body: "<!doctype html><title>static</title>"},
		{name: "static wins over dist", method: "GET", path: "/engine-worker.js", code: 200, body: "// worker from static", ctype: "text/javascript; charset=utf-8"},
		{name: "css", method: "GET", path: "/app.css", code: 200, ctype: "text/css; charset=utf-8"},
		{name: "dist file", method: "GET", path: "/wasm_exec.js", code: 200, body: "// wasm_exec"},
		{name: "nested dist file", method: "GET", path: "/sub/data.json", code: 200, body: `{"a":1}`, ctype: "application/json"},
		{name: "wasm identity", method: "GET", path: "/engine.wasm", code: 200, body: string(wasmRaw), ctype: "application/wasm", vary: true},
		{name: "wasm prefers br", method: "GET", path: "/engine.wasm", hdr: map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"}, code: 200, body: string(wasmBr), ctype: "application/wasm", encoding: "br", vary: true},
		{name: "wasm gzip only", method: "GET", path: "/engine.wasm", hdr: map[string]string{"Accept-Encoding": "gzip"}, code: 200, body: string(wasmGz), ctype: "application/wasm", encoding: "gzip", vary: true},
		{name: "br refused by q=0", method: "GET", path: "/engine.wasm", hdr: map[string]string{"Accept-Encoding": "br;q=0, gzip"}, code: 200, body: string(wasmGz), encoding: "gzip", vary: true},
		{name: "higher q wins", method: "GET", path: "/engine.wasm", hdr: map[string]string{"Accept-Encoding": "br;q=0.5, gzip;q=0.8"}, code: 200, body: string(wasmGz), encoding: "gzip", vary: true},
		{name: "wildcard", method: "GET", path: "/engine.wasm", hdr: map[string]string{"Accept-Encoding": "*"}, code: 200, body: string(wasmBr), encoding: "br", vary: true},
		{name: "all refused", method: "GET", path: "/engine.wasm", hdr: map[string]string{"Accept-Encoding": "*;q=0"}, code: 200, body: string(wasmRaw), vary: true},
		{name: "only gz sibling", method: "GET", path: "/ui.wasm", hdr: map[string]string{"Accept-Encoding": "br"}, code: 200, body: "\x00asm ui", vary: true},
		{name: "only gz sibling, gzip ok", method: "GET", path: "/ui.wasm", hdr: map[string]string{"Accept-Encoding": "br, gzip"}, code: 200, body: "gzip ui", encoding: "gzip", vary: true},
		{name: "sibling not served alone", method: "GET", path: "/engine.wasm.br", code: 404, body: "not found\n"},
		{name: "orphan sibling is a plain file", method: "GET", path: "/orphan.txt.gz", code: 200, body: "gz with no base", ctype: "application/octet-stream"},
		{name: "HEAD has headers, no body", method: "HEAD", path: "/engine.wasm", hdr: map[string]string{"Accept-Encoding": "br"}, code: 200, body: "", ctype: "application/wasm", encoding: "br", vary: true},
		{name: "healthz", method: "GET", path: "/healthz", code: 200, body: "ok", ctype: "text/plain; charset=utf-8"},
		{name: "healthz HEAD", method: "HEAD", path: "/healthz", code: 200},
		{name: "unknown", method: "GET", path: "/nope.js", code: 404, body: "not found\n", ctype: "text/plain; charset=utf-8"},
		{name: "directory", method: "GET", path: "/sub", code: 404, body: "not found\n"},
		{name: "cloudflare control file hidden", method: "GET", path: "/_headers", code: 404},
		{name: "dotfile hidden", method: "GET", path: "/.assetsignore", code: 404},
		{name: "dot dir hidden", method: "GET", path: "/.git/config", code: 404},
		{name: "traversal", method: "GET", path: "/../etc/passwd", code: 400, body: "bad path\n"},
		{name: "inner traversal", method: "GET", path: "/sub/../index.html", code: 400},
		{name: "dot segment", method: "GET", path: "/./index.html", code: 400},
		{name: "double slash", method: "GET", path: "//index.html", code: 400},
		{name: "trailing slash", method: "GET", path: "/sub/", code: 400},
		{name: "backslash", method: "GET", path: "/..\\index.html", code: 400},
		{name: "NUL", method: "GET", path: "/index.html\x00.js", code: 400},
		{name: "bad utf8", method: "GET", path: "/\xff.js", code: 400},
		{name: "POST", method: "POST", path: "/index.html", code: 405, body: "method not allowed\n"},
		{name: "PUT healthz", method: "PUT", path: "/healthz", code: 405},
		{name: "OPTIONS", method: "OPTIONS", path: "/", code: 405},
		{name: "DELETE unknown", method: "DELETE", path: "/nope", code: 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, h, tc.method, tc.path, tc.hdr)
			if rec.Code != tc.code {
				t.Fatalf("status %d, want %d (body %q)", rec.Code, tc.code, rec.Body.String())
			}
			if (tc.body != "" || tc.method == "HEAD") && rec.Body.String() != tc.body {
				t.Errorf("body %q, want %q", rec.Body.String(), tc.body)
			}
			if tc.ctype != "" && rec.Header().Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), tc.ctype)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tc.encoding)
			}
			if got := rec.Header().Get("Vary") == "Accept-Encoding"; got != tc.vary {
				t.Errorf("Vary: Accept-Encoding present=%v, want %v", got, tc.vary)
			}
			if tc.code == 405 && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q, want %q", rec.Header().Get("Allow"), "GET, HEAD")
			}
			// Security headers go on every response, errors included.
			for _, kv := range securityHeaders {
				if got := rec.Header().Get(kv[0]); got != kv[1] {
					t.Errorf("%s = %q, want %q", kv[0], got, kv[1])
				}
			}
		})
	}
}

func TestCaching(t *testing.T) {
	h := testHandler()
	first := do(t, h, "GET", "/engine.wasm", map[string]string{"Accept-Encoding": "br"})
	etagBr := first.Header().Get("Etag")
	if !strings.HasPrefix(etagBr, `"`) || len(etagBr) < 10 {
		t.Fatalf("ETag %q is not a strong quoted tag", etagBr)
	}
	if cc := first.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q, want no-cache", cc)
	}
	identity := do(t, h, "GET", "/engine.wasm", nil)
	etagID := identity.Header().Get("Etag")
	if etagID == etagBr {
		t.Fatalf("identity and br share ETag %s; each encoding needs its own", etagID)
	}
	if again := do(t, h, "GET", "/engine.wasm", map[string]string{"Accept-Encoding": "br"}); again.Header().Get("Etag") != etagBr {
		t.Errorf("ETag changed between requests: %s then %s", etagBr, again.Header().Get("Etag"))
	}
	index := do(t, h, "GET", "/", nil)

	tests := []struct {
		name, path, inm, ae string
		code                int
	}{
		{"matching tag", "/engine.wasm", etagBr, "br", 304},
		{"matching tag in a list", "/engine.wasm", `"zzz", ` + etagBr, "br", 304},
		{"star", "/engine.wasm", "*", "br", 304},
		{"identity tag against br variant", "/engine.wasm", etagID, "br", 200},
		{"identity tag, identity variant", "/engine.wasm", etagID, "", 304},
		{"stale tag", "/engine.wasm", `"0000"`, "br", 200},
		{"index revalidates", "/", index.Header().Get("Etag"), "", 304},
		{"index tag on other file", "/app.css", index.Header().Get("Etag"), "", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hdr := map[string]string{"If-None-Match": tc.inm}
			if tc.ae != "" {
				hdr["Accept-Encoding"] = tc.ae
			}
			rec := do(t, h, "GET", tc.path, hdr)
			if rec.Code != tc.code {
				t.Fatalf("status %d, want %d", rec.Code, tc.code)
			}
			if tc.code == 304 && rec.Body.Len() != 0 {
				t.Errorf("304 with a body of %d bytes", rec.Body.Len())
			}
		})
	}
}

func TestETagFollowsContent(t *testing.T) {
	a := New(Config{Static: fstest.MapFS{"x.js": {Data: []byte("one")}}})
	b := New(Config{Static: fstest.MapFS{"x.js": {Data: []byte("two")}}})
	c := New(Config{Static: fstest.MapFS{"x.js": {Data: []byte("one")}}})
	ea := do(t, a, "GET", "/x.js", nil).Header().Get("Etag")
	eb := do(t, b, "GET", "/x.js", nil).Header().Get("Etag")
	ec := do(t, c, "GET", "/x.js", nil).Header().Get("Etag")
	if ea == eb {
		t.Errorf("different content, same ETag %s", ea)
	}
	if ea != ec {
		t.Errorf("same content, different ETags %s and %s", ea, ec)
	}
}

func TestNilDist(t *testing.T) {
	var logged []string
	h := New(Config{Static: fstest.MapFS{"index.html": {Data: []byte("hi")}}, Logf: func(f string, a ...any) { logged = append(logged, f) }})
	if rec := do(t, h, "GET", "/", nil); rec.Code != 200 || rec.Body.String() != "hi" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	if rec := do(t, h, "GET", "/engine.wasm", nil); rec.Code != 404 {
		t.Fatalf("engine.wasm without dist: %d, want 404", rec.Code)
	}
	if len(logged) != 0 {
		t.Errorf("unexpected log lines: %q", logged)
	}
}

func TestRange(t *testing.T) {
	rec := do(t, testHandler(), "GET", "/engine.wasm", map[string]string{"Range": "bytes=0-3"})
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "\x00asm" {
		t.Fatalf("range: %d %q", rec.Code, rec.Body.String())
	}
}

func TestCloudflareHeaders(t *testing.T) {
	got := CloudflareHeaders()
	if !strings.HasPrefix(got, "/*\n") {
		t.Fatalf("no /* rule:\n%s", got)
	}
	for _, kv := range securityHeaders {
		if line := "  " + kv[0] + ": " + kv[1] + "\n"; !strings.Contains(got, line) {
			t.Errorf("missing %q", line)
		}
	}
}

func TestAcceptEncoding(t *testing.T) {
	tests := []struct {
		header, coding string
		want           float64
	}{
		{"", "br", 0},
		{"br", "br", 1},
		{"BR", "br", 1},
		{"gzip;q=0.5", "gzip", 0.5},
		{"gzip ; q=0.5 ", "gzip", 0.5},
		{"x-gzip", "gzip", 1},
		{"gzip;q=2", "gzip", 0},
		{"gzip;q=abc", "gzip", 0},
		{"*;q=0.3", "br", 0.3},
		{"br;q=0, *", "br", 0},
		{"deflate", "gzip", 0},
		{",,br,,", "br", 1},
	}
	for _, tc := range tests {
		if got := parseAcceptEncoding(tc.header).quality(tc.coding); got != tc.want {
			t.Errorf("Accept-Encoding %q: quality(%s) = %v, want %v", tc.header, tc.coding, got, tc.want)
		}
	}
}
