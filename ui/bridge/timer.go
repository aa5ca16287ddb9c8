//go:build js && wasm

package bridge

import "time"

// After returns a channel that receives once ms milliseconds have passed.
// Go's timers on js/wasm are setTimeout: the page sleeps meanwhile, where
// waiting with NextFrame would wake it at every animation frame. It sends
// struct{}, not a time.Time: a time.Time reachable through an interface
// (this method's type, or time.After's channel) links time's formatting and
// parsing into ui.wasm.
func (b *Browser) After(ms float64) <-chan struct{} {
	c := make(chan struct{}, 1)
	time.AfterFunc(time.Duration(ms*float64(time.Millisecond)), func() { c <- struct{}{} })
	return c
}
