package ui

// SandboxPage is the sandbox: a start form, then the playground with every
// control.
type SandboxPage struct {
	App *App
}
