//go:build !js

package lessons

import "embed"

// embedded holds every lesson's lesson.json and its text in every locale.
// ui.wasm (GOOS=js, embed_js.go) carries English only and fetches the other
// locales when a learner picks one (ui's text/<locale>.json).
//
//go:embed */lesson.json */text.*.json
var embedded embed.FS
