//go:build !(js && wasm)

package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:8080", false, true},
		{"127.1.2.3:80", false, true},
		{"[::1]:8080", false, true},
		{"localhost:8080", false, true},
		{":8080", false, false},
		{"0.0.0.0:8080", false, false},
		{"[::]:8080", false, false},
		{"192.168.1.5:8080", false, false},
		{"example.com:80", false, false},
		{":8080", true, true},
		{"0.0.0.0:8080", true, true},
		{"no-port", false, false},
	}
	for _, tc := range tests {
		err := checkLoopback(tc.addr, tc.public)
		if (err == nil) != tc.ok {
			t.Errorf("checkLoopback(%q, public=%v) = %v, want ok=%v", tc.addr, tc.public, err, tc.ok)
		}
	}
}

// TestServe starts the real binary on a free loopback port, fetches a few
// files and stops it with SIGINT.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dist := filepath.Join(dir, "dist")
	if err := os.Mkdir(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dist, "engine.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-dist", dist)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the banner: %v", err)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "Brokerlab playground: ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("banner %q", line)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for path, want := range map[string]string{"": "text/html; charset=utf-8", "engine.wasm": "application/wasm", "engine-worker.js": "text/javascript; charset=utf-8", "healthz": "text/plain; charset=utf-8"} {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want {
			t.Errorf("/%s: %d %q, want 200 %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), want)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGINT: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit 10 s after SIGINT")
	}
}

func TestRefusesPublicAddress(t *testing.T) {
	err := run("0.0.0.0:0", t.TempDir(), false, nil)
	if err == nil || !strings.Contains(err.Error(), "-public") {
		t.Fatalf("run on 0.0.0.0 without -public: %v", err)
	}
}
