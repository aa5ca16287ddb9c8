// Package static embeds the hand-written browser files — the page, its
// styles, the boot script and the engine host (worker, WASI shim, OPFS
// pool) — for the server. The built wasm lives in dist/, not here.
package static

import "embed"

// FS holds index.html, app.css and every .js file of this folder.
//
//go:embed index.html app.css *.js
var FS embed.FS
