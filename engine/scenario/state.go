package scenario

import (
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/names"
)

// State tracks the names a scenario has declared so far, so commands that
// refer to an unknown producer, consumer, topic or broker are refused before
// anything runs.
type State struct {
	Brokers     int
	Controllers int
	Topics      map[string]int // partitions
	Producers   map[string]bool
	Consumers   map[string]bool
	AutoCreate  bool
}

// NewState starts from a cluster with no topics or clients.
func NewState(c Cluster) *State {
	return &State{Brokers: c.Brokers, Controllers: c.Controllers, Topics: map[string]int{}, Producers: map[string]bool{}, Consumers: map[string]bool{},
		AutoCreate: c.Configs["auto.create.topics.enable"] == "true"}
}

// Check refuses a command that refers to something that does not exist
// (the op's check in ops).
func (s *State) Check(c Command) error {
	if f := ops[c.Op].check; f != nil {
		return f(s, c)
	}
	return nil
}

// Note records what a (checked) command declares (the op's note in ops).
func (s *State) Note(c Command) {
	if f := ops[c.Op].note; f != nil {
		f(s, c)
	}
}

func checkCreateTopic(s *State, c Command) error {
	if _, ok := s.Topics[c.Topic]; ok {
		return errorf("topic %q is already created", c.Topic)
	}
	return nil
}

func noteCreateTopic(s *State, c Command) {
	n := 1
	if c.Partitions != nil {
		n = *c.Partitions
	}
	s.Topics[c.Topic] = n
}

func checkDeleteTopic(s *State, c Command) error { return s.topic(c.Topic) }

func noteDeleteTopic(s *State, c Command) { delete(s.Topics, c.Topic) }

func checkProducerStart(s *State, c Command) error {
	if s.Producers[c.Producer] {
		return errorf("producer %q is already started", c.Producer)
	}
	return validName(c.Producer)
}

func noteProducerStart(s *State, c Command) { s.Producers[c.Producer] = true }

// checkProducer refuses a producer op on a producer not started.
func checkProducer(s *State, c Command) error {
	if !s.Producers[c.Producer] {
		return errorf("unknown producer %q (start it first with producer_start)", c.Producer)
	}
	return nil
}

func checkProduce(s *State, c Command) error {
	if err := checkProducer(s, c); err != nil {
		return err
	}
	if err := s.topic(c.Topic); err != nil {
		return err
	}
	if n, ok := s.Topics[c.Topic]; ok && c.Partition != nil && *c.Partition >= n {
		return errorf("topic %q has %d partitions; partition %d does not exist", c.Topic, n, *c.Partition)
	}
	return nil
}

// checkBroker refuses a broker number the cluster does not have.
func checkBroker(s *State, c Command) error {
	if *c.Broker > s.Brokers {
		return errorf("unknown broker %d (the cluster has brokers 1–%d)", *c.Broker, s.Brokers)
	}
	return nil
}

func checkController(s *State, c Command) error {
	if c.Controller != nil && (*c.Controller < 1 || *c.Controller > s.Controllers) {
		return errorf("unknown controller %d (the quorum has voters 1–%d)", *c.Controller, s.Controllers)
	}
	return nil
}

func checkPreferredElection(s *State, c Command) error {
	if c.Topic != "" {
		return s.topic(c.Topic)
	}
	return nil
}

func checkNetworkPartition(s *State, c Command) error {
	for _, g := range append(c.Groups, c.Isolate) {
		for _, n := range g {
			if err := s.node(n); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkLinkFault(s *State, c Command) error {
	for _, n := range []string{c.From, c.To} {
		if err := s.node(n); err != nil {
			return err
		}
	}
	return nil
}

func (s *State) topic(name string) error {
	if _, ok := s.Topics[name]; ok || s.AutoCreate {
		return nil
	}
	return errorf("unknown topic %q (create it first with create_topic; auto.create.topics.enable is off unless the cluster sets it)", name)
}

func validName(n string) error {
	if n == "" || len(n) > 64 || strings.ContainsAny(n, " /\\\"'<>&") {
		return errorf("name %q must be 1–64 characters without spaces, slashes, quotes or <>&", n)
	}
	return nil
}

// Clone copies the state.
func (s *State) Clone() *State {
	out := &State{Brokers: s.Brokers, Controllers: s.Controllers, Topics: map[string]int{}, Producers: map[string]bool{}, Consumers: map[string]bool{}, AutoCreate: s.AutoCreate}
	for k, v := range s.Topics {
		out.Topics[k] = v
	}
	for k := range s.Producers {
		out.Producers[k] = true
	}
	for k := range s.Consumers {
		out.Consumers[k] = true
	}
	return out
}

// node checks a network node name: "3" or "broker-3", "controller-1",
// "producer-NAME", "consumer-NAME" or "admin".
func (s *State) node(n string) error {
	switch {
	case n == "admin":
		return nil
	case strings.HasPrefix(n, "producer-") && s.Producers[strings.TrimPrefix(n, "producer-")]:
		return nil
	case strings.HasPrefix(n, "consumer-") && s.Consumers[strings.TrimPrefix(n, "consumer-")]:
		return nil
	}
	if id, ok := names.ControllerID(n); ok {
		if id >= 1 && id <= s.Controllers {
			return nil
		}
	}
	if id, ok := brokerID(n); ok {
		if id >= 1 && id <= s.Brokers {
			return nil
		}
	}
	return errorf("unknown node %q (use a broker number or broker-N, controller-N, producer-NAME, consumer-NAME, admin)", n)
}

// brokerID reads a broker as scenarios may name it: "3" or "broker-3".
func brokerID(n string) (int, bool) {
	if id, err := strconv.Atoi(n); err == nil && strconv.Itoa(id) == n {
		return id, true
	}
	return names.BrokerID(n)
}
