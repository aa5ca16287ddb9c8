package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/brokerlab/brokerlab/server/handler"
	"github.com/brokerlab/brokerlab/static"
)

// distDir is the build output the test serves (make build fills it).
func distDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "dist"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"engine.wasm", "ui.wasm", "wasm_exec.js", "vugu-render.js", "ui.css"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			skipOrFail(t, "e2e: %s is missing: run make build first", filepath.Join("dist", f))
		}
	}
	return dir
}

// counter counts the body bytes the server sends per path: what a first
// visit costs on the wire (after gzip/brotli).
type counter struct {
	mu    sync.Mutex
	bytes map[string]int64
	enc   map[string]string
	heads map[string]int // HEAD requests per path
}

func (c *counter) reset() {
	c.mu.Lock()
	c.bytes, c.enc, c.heads = map[string]int64{}, map[string]string{}, map[string]int{}
	c.mu.Unlock()
}

func (c *counter) total() (sum int64, lines []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p, n := range c.bytes {
		sum += n
		lines = append(lines, p+" "+kib(n)+" "+c.enc[p])
	}
	sort.Strings(lines)
	return sum, lines
}

type countingWriter struct {
	http.ResponseWriter
	c    *counter
	path string
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.c.mu.Lock()
	w.c.bytes[w.path] += int64(n)
	w.c.enc[w.path] = w.Header().Get("Content-Encoding")
	w.c.mu.Unlock()
	return n, err
}

// startServer serves static/ and dist/ through the real handler.
func startServer(t *testing.T) (*httptest.Server, *counter) {
	h := handler.New(handler.Config{Static: static.FS, Dist: os.DirFS(distDir(t)), Logf: t.Logf})
	c := &counter{}
	c.reset()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			c.mu.Lock()
			c.heads[r.URL.Path]++
			c.mu.Unlock()
		}
		h.ServeHTTP(&countingWriter{ResponseWriter: w, c: c, path: r.URL.Path}, r)
	}))
	t.Cleanup(srv.Close)
	return srv, c
}
