// Package ui is Brokerlab's browser interface: Vugu components that render
// the engine's snapshots (cluster view, log strips, event log, plots) and send
// the learner's commands back, plus the lesson player and the sandbox. It
// holds no engine logic and never imports the engine: it speaks the engine's
// JSON API through a Platform (ui/bridge in the browser, engine/api in tests)
// and reads the plain shapes of engine/view.
package ui
