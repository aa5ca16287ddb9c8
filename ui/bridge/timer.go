//go:build js && wasm

package bridge

import "time"

// After returns a channel that receives once ms milliseconds have passed.
// Go's timers on js/wasm are setTimeout: the page sleeps meanwhile, where
// waiting with NextFrame would wake it at every animation frame.
func (b *Browser) After(ms float64) <-chan time.Time {
	return time.After(time.Duration(ms * float64(time.Millisecond)))
}
