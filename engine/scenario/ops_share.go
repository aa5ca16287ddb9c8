package scenario

// Share-group ops (KIP-932): share_consumer_start starts a share consumer
// in a share group with an application (processing time per record, a
// poison value it cannot process and whether it rejects or releases it).
// consumer_close and consumer_crash stop it like any consumer.

// shareAckModes are share.acknowledgement.mode's values.
var shareAckModes = []string{"implicit", "explicit"}

func validateShareConsumerStart(c *Command) error {
	if len(c.Topics) == 0 {
		return errorf("topics must list at least one topic")
	}
	if c.Process != nil && *c.Process < 0 {
		return errorf("the processing time must not be negative")
	}
	if c.OnPoison != "" && c.OnPoison != "reject" && c.OnPoison != "release" {
		return errorf("on_poison must be \"reject\" (archive it at once) or \"release\" (offer it again until group.share.delivery.count.limit), got %q", c.OnPoison)
	}
	if c.OnPoison != "" && c.Poison == "" {
		return errorf("on_poison needs poison: the record value the application cannot process")
	}
	if c.Renew && c.Configs["share.acknowledgement.mode"] != "explicit" {
		return errorf("renew (RENEW, KIP-1222) is for explicit acknowledgement: set configs share.acknowledgement.mode=explicit")
	}
	if m := c.Configs["share.acknowledgement.mode"]; c.Poison != "" && m != "explicit" {
		return errorf("a poison record is rejected or released one by one: set configs share.acknowledgement.mode=explicit (implicit mode accepts every record on the next poll)")
	}
	if r, ok := c.Configs["share.auto.offset.reset"]; ok && r != "latest" && r != "earliest" {
		return errorf("share.auto.offset.reset must be latest or earliest, got %q", r)
	}
	if c.Configs["group.id"] != "" {
		return errorf("give the share group as \"group\", not configs group.id")
	}
	return nil
}

func checkShareConsumerStart(s *State, c Command) error {
	if s.Consumers[c.Consumer] {
		return errorf("consumer %q is already running", c.Consumer)
	}
	if err := validName(c.Consumer); err != nil {
		return err
	}
	for _, t := range c.Topics {
		if err := s.topic(t); err != nil {
			return err
		}
	}
	return nil
}
