package ui

import (
	"fmt"
	"strings"

	"github.com/vugu/vugu"
)

// ClusterView draws brokers, the controller and every partition's log
// strips as one SVG (see ClusterLayout.SVG). The <svg> element is one tab
// stop: arrow keys move a cursor over the record cells and Enter or Space
// opens the record under it. The cursor lives on the <svg>, not on a cell,
// because the cells are re-created by every frame while time runs and a
// focused cell would lose focus.
type ClusterView struct {
	App *App
	// Cursor is the element id of the record cell the keyboard is on.
	Cursor string
}

func (c *ClusterView) markup() vugu.HTML {
	l := &c.App.F.Layout
	return vugu.HTML(l.Markup(c.App.Selected, l.Cursor(c.Cursor)))
}

// activeCell is the cursor's cell for aria-activedescendant.
func (c *ClusterView) activeCell() string { return c.App.F.Layout.Cursor(c.Cursor) }

// key handles a key on the view: arrows, Home and End move the cursor;
// Enter and Space open its record.
func (c *ClusterView) key(e vugu.DOMEvent) {
	l := &c.App.F.Layout
	if id := e.PropString("target", "id"); strings.HasPrefix(id, "rec-") {
		c.Cursor = id // a cell focused by a click or a script
	}
	cur := l.Cursor(c.Cursor)
	switch k := e.PropString("key"); k {
	case "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End":
		e.PreventDefault()
		c.Cursor = l.Move(cur, k)
	case "Enter", " ":
		if cur != "" {
			e.PreventDefault()
			c.Cursor = cur
			c.click(cur)
		}
	}
}

func (c *ClusterView) viewBox() string {
	return fmt.Sprintf("0 0 %d %d", c.App.F.Layout.W, c.App.F.Layout.H)
}

func (c *ClusterView) windowText() string {
	if c.App.Window.Follow {
		return T("view.window.follow")
	}
	return Tf("view.window.from", c.App.Window.start(c.App.F.Layout.MaxEnd))
}

func (c *ClusterView) internalText() string {
	if c.App.Window.Internal {
		return T("view.internal")
	}
	return Tf("view.internal.hidden", c.App.F.Hidden)
}

// press is a mouse press or tap on the view. On a record cell it keeps the
// focus where it was (the <svg> when the keyboard was used): a focused cell
// would lose it when the next frame re-creates the cells.
func (c *ClusterView) press(e vugu.DOMEvent) {
	id := e.PropString("target", "id")
	if strings.HasPrefix(id, "rec-") {
		e.PreventDefault()
	}
	c.click(id)
}

// click opens a record cell or picks a broker for the fault buttons. It
// listens to mousedown, not click: the shapes are re-created every frame
// while time runs, and a click needs the same element under press and
// release.
func (c *ClusterView) click(id string) {
	switch {
	case strings.HasPrefix(id, "rec-"):
		c.Cursor = id
		if c.App.Allows("inspect_record") {
			c.App.OpenRecord(id)
		}
	case strings.HasPrefix(id, "node-broker-"):
		c.App.Forms.Broker = strings.TrimPrefix(id, "node-broker-")
	}
}
