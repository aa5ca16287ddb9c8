//go:build js

package lessons

import "io/fs"

// ui.wasm loads the lessons built into it without checking them again
// (load_check.go checks them everywhere else; the tests and lessons/lint
// run on every build).
func loadLesson(fsys fs.FS, dir, folder, shown string) (*Lesson, Issues) {
	return loadLean(fsys, dir, folder, shown)
}

func crossCheck([]*Lesson) Issues { return nil }
