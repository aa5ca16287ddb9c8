package static

import (
	"io/fs"
	"regexp"
	"testing"
)

// builtFiles come from dist/, not from here (builder.wasm and builder.css:
// the lesson builder, ui/builder).
var builtFiles = map[string]bool{"engine.wasm": true, "ui.wasm": true, "wasm_exec.js": true, "builder.wasm": true, "builder.css": true}

// TestReferencesResolve checks that every file the page and the scripts
// load by relative name is embedded (or is a build output), so a renamed or
// split script cannot leave a dangling import behind.
func TestReferencesResolve(t *testing.T) {
	refs := regexp.MustCompile(`(?:from|import)\s+'\./([^']+)'|new URL\('\./?([^']+)'|(?:src|href)="([^":]+)"|fetch\('([^']+)'\)`)
	files, err := fs.Glob(FS, "*")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, name := range files {
		b, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range refs.FindAllSubmatch(b, -1) {
			var ref string
			for _, g := range m[1:] {
				if len(g) > 0 {
					ref = string(g)
				}
			}
			seen++
			if builtFiles[ref] {
				continue
			}
			if _, err := fs.Stat(FS, ref); err != nil {
				t.Errorf("%s refers to %s, which is not embedded", name, ref)
			}
		}
	}
	for _, want := range []string{"index.html", "app.css", "boot.js", "engine-worker.js", "wasi.js", "opfs-pool.js"} {
		if _, err := fs.Stat(FS, want); err != nil {
			t.Errorf("%s is not embedded", want)
		}
	}
	if seen < 10 {
		t.Errorf("found only %d references: is the pattern still right?", seen)
	}
}
