// Package nodejs finds Node for the tests that run the project's JavaScript
// (the WASI shim, the Vugu renderer patch): without node such a test is
// skipped on a developer's machine but fails under `make test`
// (BROKERLAB_E2E=required), which installs node, so the browser's JavaScript
// is never silently untested in CI.
package nodejs

import (
	"os"
	"os/exec"
	"testing"
)

// Path returns node's path, or skips t (fails it under make test) without it.
func Path(t testing.TB) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		return node
	}
	if os.Getenv("BROKERLAB_E2E") == "required" {
		t.Fatal("node is not installed, and make test runs these tests: make node installs it")
	}
	t.Skip("node is not installed: this test runs JavaScript in it")
	return ""
}
