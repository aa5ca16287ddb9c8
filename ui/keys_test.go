package ui

import "testing"

// TestShortcuts: the keys run their controls, "?" toggles the list, and
// turned off they do nothing.
func TestShortcuts(t *testing.T) {
	p := newFake(map[string]string{}, "sandbox")
	a, env := startApp(t, p)
	handle(env, func() { a.Sandbox.Brokers = 1; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && a.Playing })
	handle(env, func() { a.Key("k") })
	env.RLock()
	paused := !a.Playing
	env.RUnlock()
	if !paused {
		t.Fatal("k did not pause")
	}
	handle(env, func() { a.Key(">"); a.Key(">"); a.Key("<") })
	if a.Speed != 2 {
		t.Errorf("speed after > > <: %v, want 2", a.Speed)
	}
	settle(t, a)
	env.RLock()
	before := a.F.NowUS
	env.RUnlock()
	handle(env, func() { a.Key(".") })
	waitFor(t, env, "a step", func() bool { return a.F.NowUS > before })
	handle(env, func() { a.Key("?") })
	if !a.KeysHelp {
		t.Error("? did not open the list")
	}
	handle(env, func() { a.Key("Escape"); a.ToggleKeys(); a.Key("k"); a.Key("?") })
	if a.Playing || a.KeysHelp || a.KeysOn() {
		t.Errorf("turned off, the keys still work: playing %v, list %v", a.Playing, a.KeysHelp)
	}
}
