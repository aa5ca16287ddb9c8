package ui

// Playground is the running cluster with its controls, used by lessons and
// the sandbox alike.
type Playground struct {
	App *App
}
