package ui

import (
	"fmt"
	"strings"
)

// ClusterView draws brokers, the controller and every partition's log
// strips as one SVG (see ClusterLayout.SVG).
type ClusterView struct {
	App *App
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

// click opens a record cell or picks a broker for the fault buttons. It
// listens to mousedown, not click: the shapes are re-created every frame
// while time runs, and a click needs the same element under press and
// release.
func (c *ClusterView) click(id string) {
	switch {
	case strings.HasPrefix(id, "rec-"):
		if c.App.Allows("inspect_record") {
			c.App.OpenRecord(id)
		}
	case strings.HasPrefix(id, "node-broker-"):
		c.App.Forms.Broker = strings.TrimPrefix(id, "node-broker-")
	}
}
