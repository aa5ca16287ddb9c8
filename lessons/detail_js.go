//go:build js

package lessons

// detailKO is empty in ui.wasm: the Korean detail formats (detail_ko.go in
// other builds) arrive with ui's text/ko.json through SetDetails.
var detailKO = map[string]string{}
