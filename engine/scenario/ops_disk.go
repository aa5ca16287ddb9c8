package scenario

import "fmt"

func init() {
	RegisterOp("disk_fault", []string{"broker", "mode"}, []string{"broker"})
	RegisterCheck("disk_fault", func(s *State, c Command) error {
		if *c.Broker > s.Brokers {
			return fmt.Errorf("unknown broker %d (the cluster has brokers 1–%d)", *c.Broker, s.Brokers)
		}
		if c.Mode != "" && c.Mode != "torn_tail" {
			return fmt.Errorf("mode must be \"torn_tail\" (a write cut short by the power loss), got %q", c.Mode)
		}
		return nil
	})
}
