package static

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/brokerlab/brokerlab/internal/nodejs"
)

// TestShim runs the engine host's Node tests (static/test/*.test.mjs): the
// WASI shim, the file tree, the OPFS pool (over a fake directory) and real
// Go wasip1 reactors built here from static/test/testdata.
func TestShim(t *testing.T) {
	node := nodejs.Path(t)
	goBin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	dir := t.TempDir()
	for _, name := range []string{"bare", "reactor"} {
		cmd := exec.Command(goBin, "build", "-buildmode=c-shared", "-o", filepath.Join(dir, name+".wasm"), "./test/testdata/"+name)
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building the %s reactor: %v\n%s", name, err, out)
		}
	}
	files, err := filepath.Glob("test/*.test.mjs")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Node tests found in static/test (%v)", err)
	}
	cmd := exec.Command(node, append([]string{"--test", "--test-reporter=tap"}, files...)...)
	cmd.Env = append(os.Environ(), "BL_REACTOR_DIR="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out.String())
	}
	if !bytes.Contains(out.Bytes(), []byte("\n# fail 0")) {
		t.Fatalf("node --test ran no tests or reported failures:\n%s", out.String())
	}
	// Only a summary: the full TAP stream would read like a second test run.
	if m := regexp.MustCompile(`(?m)^# pass (\d+)$`).FindSubmatch(out.Bytes()); m != nil {
		t.Logf("node: %s shim tests passed", m[1])
	}
}
