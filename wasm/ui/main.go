//go:build js && wasm

// Command ui is ui.wasm: it mounts the Vugu root component into #app and
// runs the render loop. static/boot.js starts it after the engine worker.
package main

import (
	"fmt"
	"runtime/debug"

	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"

	"github.com/brokerlab/brokerlab/ui"
	"github.com/brokerlab/brokerlab/ui/bridge"
)

func main() {
	if err := run(); err != nil {
		fmt.Println("ui:", err)
		bridge.ShowFatal(err.Error())
	}
}

func run() error {
	// Every frame decodes a snapshot; collect garbage less often so the
	// collector's pauses land in fewer renders (the heap stays small).
	debug.SetGCPercent(400)
	b, err := bridge.New()
	if err != nil {
		return err
	}
	restore, err := bridge.PrepareRenderer()
	if err != nil {
		return err
	}
	renderer, err := domrender.New("#app")
	restore()
	if err != nil {
		return fmt.Errorf("ui: renderer: %v", err)
	}
	defer renderer.Release()
	buildEnv, err := vugu.NewBuildEnv(renderer.EventEnv())
	if err != nil {
		return fmt.Errorf("ui: build env: %v", err)
	}
	app := ui.NewApp(b)
	root := &ui.Root{App: app}
	b.Expose("benchClusterView", func(n int) map[string]any {
		return app.BenchClusterView(n, func(m string) { b.ReplaceMarkup("cluster-svg", m) })
	})
	app.Start(renderer.EventEnv())
	for ok := true; ok; ok = renderer.EventWait() {
		t0 := b.Now()
		results := app.Build(buildEnv, root)
		if err := renderer.Render(results); err != nil {
			return fmt.Errorf("ui: render: %v", err)
		}
		app.NoteRender(b.Now() - t0)
	}
	return nil
}
