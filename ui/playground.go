package ui

import (
	"fmt"

	"github.com/vugu/vugu"
)

// Playground is the running cluster with its controls, used by lessons and
// the sandbox alike.
type Playground struct {
	App *App
}

func (c *Playground) isrViewBox() string {
	return fmt.Sprintf("0 0 %d %d", c.App.F.ISRW, c.App.F.ISRH)
}

// jump scrolls the element with id to the top of the window: the phone
// layout's bar takes the learner to the step, the cluster or the controls
// in one tap. (Buttons, not links: the fragment is the page's route.)
func (c *Playground) jump(e vugu.DOMEvent, id string) {
	doc := e.JSEventTarget().Get("ownerDocument")
	if !doc.Truthy() {
		return
	}
	if el := doc.Call("getElementById", id); el.Truthy() {
		el.Call("scrollIntoView", true)
	}
}
