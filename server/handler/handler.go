// Package handler serves the Brokerlab playground: the page, its scripts and the
// built wasm files, with strict security headers and precompressed wasm. It is
// shared by the native server and the Cloudflare Worker build, so it must not
// import github.com/syumai/workers (that package panics outside a Worker).
package handler

import (
	"bytes"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Config says where the files come from.
type Config struct {
	// Static holds the hand-written front-end files (static.FS). On a name
	// clash Static wins over Dist: it is compiled in, so it is never stale.
	Static fs.FS
	// Dist holds the build output: engine.wasm, ui.wasm, wasm_exec.js and
	// their precompressed x.br / x.gz siblings. Nil when there is none.
	Dist fs.FS
	// Logf receives startup problems (an unreadable file is skipped and
	// then answers 404). Nil discards them.
	Logf func(format string, args ...any)
}

// New reads every file of cfg once, hashes it for its ETag and returns the
// handler. Nothing is read from the file systems after New returns, so a
// request can never reach a file that was not listed at startup.
func New(cfg Config) http.Handler {
	logf := cfg.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &server{assets: loadAssets(logf, cfg.Static, cfg.Dist)}
}

type server struct {
	assets map[string]*asset
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plain(w, r, http.StatusMethodNotAllowed, "method not allowed\n")
		return
	}
	if r.URL.Path == "/healthz" {
		w.Header().Set("Cache-Control", "no-store")
		plain(w, r, http.StatusOK, "ok")
		return
	}
	name, ok := assetName(r.URL.Path)
	if !ok {
		plain(w, r, http.StatusBadRequest, "bad path\n")
		return
	}
	a := s.assets[name]
	if a == nil {
		plain(w, r, http.StatusNotFound, "not found\n")
		return
	}
	v := a.pick(r.Header.Get("Accept-Encoding"), r.Header.Get("Available-Dictionary"))
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "no-cache")
	if a.dictionaryFor != "" {
		// Chromium keeps a dictionary only from a response that is fresh
		// (no-cache is never fresh), for as long as it stays fresh: a
		// year, so that a visit with ui.wasm unchanged and engine.wasm
		// new still finds it. The page fetches it with cache: "no-cache",
		// so it revalidates on every load all the same; "private" keeps
		// it out of shared caches.
		h.Set("Cache-Control", "private, max-age=31536000")
		h.Set("Use-As-Dictionary", `match="`+a.dictionaryFor+`"`)
	}
	h.Set("Etag", v.etag)
	if a.dictionaryVariant() {
		h.Set("Vary", "Accept-Encoding, Available-Dictionary")
	} else if len(a.variants) > 1 {
		h.Set("Vary", "Accept-Encoding")
	}
	if v.encoding != "" {
		h.Set("Content-Encoding", v.encoding)
	}
	// ServeContent answers If-None-Match (304), Range and HEAD for us.
	http.ServeContent(w, r, "", zeroTime, bytes.NewReader(v.data))
}

// assetName maps a URL path to a file name of the asset table. It refuses
// (ok=false) anything that is not a clean slash-separated path: "..", ".",
// empty segments, backslashes, NUL bytes and invalid UTF-8.
func assetName(urlPath string) (name string, ok bool) {
	if !strings.HasPrefix(urlPath, "/") {
		return "", false
	}
	p := strings.TrimPrefix(urlPath, "/")
	if p == "" {
		return "index.html", true
	}
	if !utf8.ValidString(p) || strings.ContainsAny(p, "\\\x00") || !fs.ValidPath(p) {
		return "", false
	}
	return p, true
}

// plain writes a short text answer; HEAD gets the headers only (not every
// ResponseWriter drops a HEAD body by itself: the Workers one does not).
func plain(w http.ResponseWriter, r *http.Request, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(msg)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(msg))
	}
}
