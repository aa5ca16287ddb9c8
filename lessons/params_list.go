//go:build !js || builder

package lessons

// listParams: Predicate.Params lists each predicate's params. ui.wasm
// (GOOS=js without the builder tag) never lists them and leaves out what
// that costs (params_nolist.go); builder.wasm is built with -tags builder.
const listParams = true
