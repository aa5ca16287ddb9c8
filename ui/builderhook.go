package ui

// The lesson builder (ui/builder, its own builder.wasm, loaded only when an
// author asks: ui.wasm stays as small as it was) edits a lesson made from
// the sandbox. It reads the sandbox's run as the page saves it, so while
// it is open the page saves the run after every frame, not once a second.

// builderPlatform is a Platform that can open the builder (the browser).
type builderPlatform interface{ OpenBuilder() }

// MakeLesson saves the sandbox and opens the lesson builder (DOM handler).
func (a *App) MakeLesson() {
	a.Do(func() error {
		a.building = true
		a.saveSandbox(true)
		if b, ok := a.P.(builderPlatform); ok {
			b.OpenBuilder()
		}
		return nil
	})
}
