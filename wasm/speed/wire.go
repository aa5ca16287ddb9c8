package main

import (
	"net/http"
	"sync"
)

// wire counts what the server sends per path: the body bytes as written
// (after brotli, gzip or dcz), the encoding, and what the browser accepted
// (HEAD requests are not counted).
type wire struct {
	mu    sync.Mutex
	sends map[string]*send
}

type send struct {
	Bytes          int64
	Encoding       string // Content-Encoding of the response
	AcceptEncoding string // of the request
}

// reset forgets what was counted.
func (w *wire) reset() {
	w.mu.Lock()
	w.sends = map[string]*send{}
	w.mu.Unlock()
}

// get returns what was sent for path (zero if nothing).
func (w *wire) get(path string) send {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s := w.sends[path]; s != nil {
		return *s
	}
	return send{}
}

// count wraps h so that its responses are counted.
func (w *wire) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead { // the page asking whether engine.wasm would come as dcz
			h.ServeHTTP(rw, r)
			return
		}
		w.mu.Lock()
		if w.sends == nil {
			w.sends = map[string]*send{}
		}
		s := &send{AcceptEncoding: r.Header.Get("Accept-Encoding")}
		w.sends[r.URL.Path] = s
		w.mu.Unlock()
		h.ServeHTTP(&countingWriter{ResponseWriter: rw, w: w, s: s}, r)
	})
}

type countingWriter struct {
	http.ResponseWriter
	w *wire
	s *send
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.w.mu.Lock()
	c.s.Bytes += int64(n)
	c.s.Encoding = c.Header().Get("Content-Encoding")
	c.w.mu.Unlock()
	return n, err
}
