package ui

import "fmt"

// Playground is the running cluster with its controls, used by lessons and
// the sandbox alike.
type Playground struct {
	App *App
}

func (c *Playground) isrViewBox() string {
	return fmt.Sprintf("0 0 %d %d", c.App.F.ISRW, c.App.F.ISRH)
}
