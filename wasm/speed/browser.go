package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/internal/headless"
	"github.com/chromedp/chromedp"

	"github.com/brokerlab/brokerlab/server/handler"
	"github.com/brokerlab/brokerlab/static"
)

// benchFiles is the engine-only page (bench/): the real engine-client.js and
// its worker, with no UI, so the worker has the tab to itself.
//
//go:embed bench
var benchFiles embed.FS

// serve starts the repo's own handler on 127.0.0.1 for static/ and dist/,
// plus /bench/ for the engine-only page, and returns its base URL. Every
// response body it sends is counted in w.
func serve(root string, w *wire) (url string, stop func(), err error) {
	dist := filepath.Join(root, "dist")
	for _, f := range []string{"engine.wasm", "ui.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(dist, f)); err != nil {
			return "", nil, fmt.Errorf("speed: %s is missing: run make build first", filepath.Join("dist", f))
		}
	}
	h := handler.New(handler.Config{Static: static.FS, Dist: os.DirFS(dist)})
	bench, _ := fs.Sub(benchFiles, "bench")
	mux := http.NewServeMux()
	mux.Handle("/", w.count(h))
	mux.Handle("/bench/", http.StripPrefix("/bench/", benchPage(http.FileServerFS(bench))))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// benchPage gives the engine-only page the handler's own policy, so its
// worker runs under the same rules as the playground's (COOP+COEP make both
// cross-origin isolated).
func benchPage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", handler.ContentSecurityPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Embedder-Policy", "require-corp")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// browser starts headless Chromium on a fresh profile with e2e's flags and
// returns a tab context; stop closes the browser and removes the profile.
func browser(path string) (ctx context.Context, stop func(), err error) {
	if _, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("speed: %s is missing (make e2e installs Debian's chromium)", path)
	}
	profile, err := os.MkdirTemp("", "brokerlab-speed-profile-")
	if err != nil {
		return nil, nil, err
	}
	opts := headless.Options(path, profile)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	stop = func() {
		chromedp.Cancel(bctx)
		bcancel()
		acancel()
		for range 50 { // helper processes may write for a moment after the browser stops
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err := chromedp.Do(bctx); err != nil { // start the browser on a context without a deadline
		stop()
		return nil, nil, fmt.Errorf("speed: starting %s: %v", path, err)
	}
	return bctx, stop, nil
}

// chromiumVersion is what the browser says with --version.
func chromiumVersion(path string) string {
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return strings.TrimSpace(string(out))
}

// waitJS polls a JavaScript expression until it is truthy or timeout passes.
func waitJS(ctx context.Context, what, expr string, timeout time.Duration) error {
	c, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		return fmt.Errorf("waiting for %s: %v", what, err)
	}
	return nil
}
