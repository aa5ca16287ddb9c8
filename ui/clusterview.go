package ui

import (
	"fmt"
	"strings"
)

// ClusterView draws brokers, the controller and every partition's log
// strips as one SVG: a few elements per replica, so a full re-render stays
// cheap.
type ClusterView struct {
	App *App
}

func (c *ClusterView) viewBox() string {
	return fmt.Sprintf("0 0 %d %d", c.App.F.Layout.W, c.App.F.Layout.H)
}

func (c *ClusterView) cellClass(cell RecCell) string {
	if cell.ID == c.App.Selected {
		return cell.Class + " selected"
	}
	return cell.Class
}

// click opens a record cell or picks a broker for the fault buttons.
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
