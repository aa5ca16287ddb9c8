package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/internal/headless"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = headless.Chromium

// browser starts Chromium on a profile directory and returns a tab context.
// Console errors and uncaught exceptions are logged and counted.
func browser(t *testing.T, profile string, errs *[]string) (context.Context, context.CancelFunc) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		skipOrFail(t, "e2e: %s is missing (make e2e installs Debian's chromium)", chromiumPath)
	}
	opts := headless.Options(chromiumPath, profile)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	listen := func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value))
			}
			line := fmt.Sprintf("console.%s %v", e.Type, args)
			if e.Type == runtime.ConsoleAPICalledTypeError {
				*errs = append(*errs, line)
			}
			t.Log(line)
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			line := fmt.Sprintf("exception: %s %s:%d", d.Text, d.URL, d.LineNumber)
			if d.Exception != nil {
				line += " " + d.Exception.Description
			}
			*errs = append(*errs, line)
			t.Log(line)
		}
	}
	if err := chromedp.Do(ctx); err != nil { // start the browser on a context without a deadline
		cancel()
		acancel()
		t.Fatalf("e2e: starting %s: %v", chromiumPath, err)
	}
	if err := chromedp.Listen(ctx, listen); err != nil {
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 4*time.Minute)
	if err := chromedp.Do(tctx, runtimeEnable()); err != nil {
		tcancel()
		cancel()
		acancel()
		t.Fatalf("e2e: starting %s: %v", chromiumPath, err)
	}
	return tctx, func() {
		// Close gracefully so Chromium writes localStorage to the profile.
		if err := chromedp.Cancel(ctx); err != nil {
			t.Logf("closing the browser: %v", err)
		}
		tcancel()
		cancel()
		acancel()
	}
}

// profileDir makes a fresh Chromium profile directory. Chromium's helper
// processes may still write into it for a moment after the browser stops,
// so removal is retried.
func profileDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "brokerlab-e2e-profile-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 50 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove %s", dir)
	})
	return dir
}

// screensDir is dist/screens, where the test leaves its screenshots.
func screensDir(t *testing.T) string {
	dir := filepath.Join(distDir(t), "screens")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shot saves a full-page screenshot, and fails the test if the page shows
// U+FFFD anywhere (every screenshot of every e2e test checks it).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	noReplacementChars(t, ctx, "screenshot "+name)
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(screensDir(t), name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Error(err)
	}
}

// uiNumber reads a figure ui.wasm publishes on globalThis.brokerlab.ui.
func uiNumber(ctx context.Context, name string) (float64, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(`Number((globalThis.brokerlab && brokerlab.ui && brokerlab.ui[%q]) || 0)`, name)))
}

// waitJS polls a JS expression until it is truthy.
func waitJS(ctx context.Context, what, expr string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout))); err != nil {
		return fmt.Errorf("waiting for %s: %v", what, err)
	}
	return nil
}

func kib(n int64) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

// runtimeEnable turns on console and exception events.
func runtimeEnable() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, runtime.Enable, cdp.Empty{})
		return chromedp.Void{}, err
	}
}

// openPage starts the server and a browser on a fresh profile and opens
// path; the browser stops when the test ends. errs collects the page's
// console errors (see noPageErrors).
func openPage(t *testing.T, path string) (url string, ctx context.Context, errs *[]string) {
	t.Helper()
	srv, _ := startServer(t)
	errs = &[]string{}
	ctx, stop := browser(t, profileDir(t), errs)
	t.Cleanup(stop)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
		t.Fatal(err)
	}
	return srv.URL, ctx, errs
}

// noPageErrors fails the test if the page logged errors.
func noPageErrors(t *testing.T, errs *[]string) {
	t.Helper()
	if len(*errs) > 0 {
		t.Errorf("the page logged %d errors:\n%s", len(*errs), strings.Join(*errs, "\n"))
	}
}
