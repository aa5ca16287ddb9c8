package scenario

// Storage ops: offsets_for_times asks a partition leader for the first
// offset at or after a timestamp (Kafka's consumer.offsetsForTimes or the
// admin client's listOffsets with OffsetSpec.forTimestamp) and records the
// answer in the trace. "timestamp" is milliseconds since the Unix epoch;
// a value below 10^12 counts from the scenario's time zero instead.

func checkOffsetsForTimes(s *State, c Command) error {
	if c.Consumer != "" && !s.Consumers[c.Consumer] {
		return errorf("unknown consumer %q (leave \"consumer\" out to ask as the admin client)", c.Consumer)
	}
	if err := s.topic(c.Topic); err != nil {
		return err
	}
	if n, ok := s.Topics[c.Topic]; ok && c.Partition != nil && *c.Partition >= n {
		return errorf("topic %q has %d partitions; partition %d does not exist", c.Topic, n, *c.Partition)
	}
	return nil
}
