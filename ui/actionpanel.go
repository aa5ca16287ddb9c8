package ui

// ActionPanel holds the forms that send commands: produce, new topic, new
// consumer and faults. Each shows only when the lesson step enables it.
type ActionPanel struct {
	App *App
}

func (c *ActionPanel) anyFault() bool {
	for _, k := range []string{"crash_broker", "restart_broker", "disk_fault", "pause_broker", "link_fault", "preferred_election", "update_features", "partition_network", "heal", "crash_controller", "restart_controller"} {
		if c.App.Allows(k) {
			return true
		}
	}
	return false
}

// brokerFault reports whether the step has a control that acts on the
// broker picked in the fault form (else the broker picker is not shown).
func (c *ActionPanel) brokerFault() bool {
	for _, k := range []string{"crash_broker", "restart_broker", "disk_fault", "pause_broker"} {
		if c.App.Allows(k) {
			return true
		}
	}
	return false
}

// brokerDown reports whether the broker picked in the fault form is down (a
// torn write needs a stopped broker).
func (c *ActionPanel) brokerDown() bool {
	for _, b := range c.App.F.Snap.Brokers {
		if itoa(int(b.ID)) == c.App.Forms.Broker {
			return b.State == "down"
		}
	}
	return false
}
