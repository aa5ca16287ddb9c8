//go:build !js

package lessons

import "embed"

// embedded holds every lesson's lesson.json and its text in every locale.
// ui.wasm (GOOS=js) builds in lesson.json and English only, as strings
// (builtin_js.go), and fetches the other locales when a learner picks one
// (ui's text/<locale>.json).
//
//go:embed */lesson.json */text.*.json
var embedded embed.FS

// Load reads and validates the lessons built into the binary, sorted by
// order. The error lists every problem as "file:line: what is wrong".
func Load() ([]*Lesson, error) { return LoadFS(embedded, ".", "lessons") }
