package host

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// DefaultWasmPath is dist/engine.wasm at the module root: the nearest folder
// at or above the working directory that holds a go.mod.
func DefaultWasmPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("host: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "dist", "engine.wasm"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("host: no go.mod at or above the working directory; pass the engine.wasm path")
		}
		dir = parent
	}
}

// DefaultCacheDir is where compiled engine.wasm code is kept between runs:
// brokerlab-wazero under the user's cache folder, or under the temp folder
// when there is none.
func DefaultCacheDir() string {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "brokerlab-wazero")
}
