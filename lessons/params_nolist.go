//go:build js && !builder

package lessons

// listParams: see params_list.go.
const listParams = false
