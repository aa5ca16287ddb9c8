package ui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGeneratedUpToDate regenerates the components' Go code from the .vugu
// files in a scratch copy and compares it with the committed file: run
// `go generate ./ui` after editing a .vugu file.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go tool vugugen")
	}
	dir := t.TempDir()
	files, _ := filepath.Glob("*.vugu")
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range append(files, gofiles...) {
		if f == "0_components_gen.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gen := exec.Command("go", "tool", "vugugen", "-s", "-skip-go-mod", "-skip-main", dir)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("vugugen: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "0_components_gen.go")
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	gofmt := filepath.Join(strings.TrimSpace(string(goroot)), "bin", "gofmt")
	if b, err := exec.Command(gofmt, "-w", out).CombinedOutput(); err != nil {
		t.Fatalf("gofmt: %v\n%s", err, b)
	}
	// The rewrites generate.go applies last, in its order.
	src, err := os.ReadFile("generate.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		rule, ok := strings.CutPrefix(line, "//go:generate gofmt -r ")
		if !ok {
			continue
		}
		rule, ok = strings.CutSuffix(rule, " -w 0_components_gen.go")
		if !ok {
			t.Fatalf("generate.go: %q does not end in -w 0_components_gen.go", line)
		}
		rule, err := strconv.Unquote(rule)
		if err != nil {
			t.Fatalf("generate.go: %q: %v", line, err)
		}
		if b, err := exec.Command(gofmt, "-r", rule, "-w", out).CombinedOutput(); err != nil {
			t.Fatalf("gofmt -r %s: %v\n%s", rule, err, b)
		}
	}
	if b, err := exec.Command("go", "run", "./cmd/droplog", out).CombinedOutput(); err != nil {
		t.Fatalf("droplog: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("0_components_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("ui/0_components_gen.go is stale: run go generate ./ui")
	}
}
