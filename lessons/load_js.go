//go:build js

package lessons

import (
	"io/fs"
	"path"
)

// ui.wasm loads the lessons built into it (builtin_js.go) without checking
// them again: load_check.go checks them everywhere else, and the tests and
// lessons/lint run on every build. Nor does it go through io/fs: an embed.FS
// makes fs.FileInfo, and through it time.Time, reachable from interfaces,
// which links time's formatting and parsing (~0.04 MB
// brotli of ui.wasm).

// Load decodes the lessons built in, sorted by order, the sandbox last.
func Load() ([]*Lesson, error) {
	var out []*Lesson
	var issues Issues
	for _, b := range builtIn {
		l, is := decodeLean(b.dir, path.Join("lessons", b.dir), []byte(b.lesson), []byte(b.head))
		issues = append(issues, is...)
		if l != nil {
			out = append(out, l)
		}
	}
	sortLessons(out)
	if len(issues) > 0 {
		return out, issues
	}
	return out, nil
}

// LoadFS in ui.wasm reads without the checks too.
func loadLesson(fsys fs.FS, dir, folder, shown string) (*Lesson, Issues) {
	return loadLean(fsys, dir, folder, shown)
}

func crossCheck([]*Lesson) Issues { return nil }
