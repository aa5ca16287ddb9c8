package scenario

import "github.com/brokerlab/brokerlab/engine/config"

// Topic and broker configs in a scenario file are checked as Kafka 4.3
// checks them (engine/config), so nothing a learner copies from a lesson
// would be refused by a real cluster without being told. The message is
// plain words around Kafka's own sentence; the apply path (State.Check
// does not look at values) leaves the refusal to the engine, whose
// CreateTopics answers INVALID_CONFIG with Kafka's sentence alone.

// checkFileConfigs refuses a create_topic step's topic configs that Kafka would refuse.
func checkFileConfigs(c Command) error {
	if c.Op != "create_topic" || len(c.Configs) == 0 {
		return nil
	}
	return plainConfigError(config.Parse(config.Topic, c.Configs))
}

// checkConfigs refuses broker configs that would stop a Kafka broker from starting.
func (c *Cluster) checkConfigs() error {
	return plainConfigError(config.Parse(config.Broker, c.Configs))
}

func plainConfigError(_ config.Values, err error) error {
	if ce, ok := err.(*config.Error); ok {
		return errorf("%s", ce.Plain())
	}
	return err
}
