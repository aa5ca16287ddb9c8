package scenario

// The transactional producer's ops: Kafka's KafkaProducer calls
// initTransactions, beginTransaction, sendOffsetsToTransaction,
// commitTransaction and abortTransaction, on a producer started with a
// transactional.id (send is "produce"). A call in the wrong state is not
// refused here: the producer throws Kafka's exception for it, and the
// trace shows it.

// checkSendOffsets: the producer, the group's name and a partition of a known topic.
func checkSendOffsets(s *State, c Command) error {
	if err := checkProduce(s, c); err != nil {
		return err
	}
	if err := validName(c.Group); err != nil {
		return errorf("group: %v", err)
	}
	if *c.Offset < 0 {
		return errorf("offset %d must be 0 or more", *c.Offset)
	}
	return nil
}
