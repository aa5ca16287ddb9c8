package ui

// ActionPanel holds the forms that send commands: produce, new topic, new
// consumer and faults. Each shows only when the lesson step enables it.
type ActionPanel struct {
	App *App
}

func (c *ActionPanel) anyFault() bool {
	for _, k := range []string{"crash_broker", "restart_broker", "partition_network", "heal", "crash_controller", "restart_controller"} {
		if c.App.Allows(k) {
			return true
		}
	}
	return false
}
