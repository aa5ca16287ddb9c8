package cluster

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/controller"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// Broker and controller ops: crash, restart, pause and resume a broker
// (with the controller in its process in combined mode), crash and restart
// a controller.

func (c *Cluster) brokerCrash(cmd scenario.Command) { c.crashBroker(*cmd.Broker, cmd.Mode == "power") }

func (c *Cluster) brokerRestart(cmd scenario.Command) { c.restartBroker(*cmd.Broker) }

func (c *Cluster) brokerPause(cmd scenario.Command) { c.Broker(*cmd.Broker).Pause() }

func (c *Cluster) brokerResume(cmd scenario.Command) { c.Broker(*cmd.Broker).Resume() }

// controllerCrash crashes the named controller, or the active one.
func (c *Cluster) controllerCrash(cmd scenario.Command) {
	v := c.ActiveController()
	if cmd.Controller != nil {
		v = c.Controller(*cmd.Controller)
	}
	if v == nil {
		c.fail(cmd, fmt.Errorf("no active controller to crash"))
		return
	}
	v.Crash()
}

// controllerRestart restarts the named controller, or the first one down.
func (c *Cluster) controllerRestart(cmd scenario.Command) {
	for _, v := range c.Controllers {
		if v.Down() && (cmd.Controller == nil || int(v.ID) == *cmd.Controller) {
			v.Restart()
			return
		}
	}
}

// crashBroker kills broker id's process (or cuts its power), and the
// controller that shares its process in combined mode.
func (c *Cluster) crashBroker(id int, powerLoss bool) {
	c.Broker(id).Crash(powerLoss)
	if v := c.combined(id); v != nil {
		v.Crash()
	}
}

// restartBroker starts broker id again (and its combined controller).
func (c *Cluster) restartBroker(id int) {
	c.Broker(id).Restart()
	if v := c.combined(id); v != nil {
		v.Restart()
	}
}

// combined returns the controller running inside broker id in combined mode.
func (c *Cluster) combined(id int) *controller.Controller {
	if c.Scenario.Cluster.ControllerMode != "combined" {
		return nil
	}
	return c.Controller(id)
}
