package ui

import (
	"fmt"
	"strconv"
	"strings"
)

// Forms hold what the learner typed into the control panels.
type Forms struct {
	Topic     string
	Key       string
	Value     string
	HKey      string
	HVal      string
	Partition string
	Count     string

	NewTopic      string
	NewPartitions string
	NewRF         string

	ConsumerName  string
	ConsumerGroup string
	ConsumerReset string

	Broker string // broker id for the fault buttons
}

func defaultForms() Forms {
	return Forms{Value: "hello", Count: "1", NewTopic: "orders", NewPartitions: "6", NewRF: "3",
		ConsumerName: "c1", ConsumerGroup: "g1", ConsumerReset: "earliest", Broker: "1"}
}

// learnerProducer is the producer the produce form uses when the scenario
// has none.
const learnerProducer = "learner"

// ProduceCommands builds the commands of the produce form against the
// current snapshot: a producer_start first when no producer exists.
func (a *App) ProduceCommands() ([]Cmd, error) {
	f := a.Forms
	topic := a.FormTopic()
	if topic == "" {
		return nil, fmt.Errorf("%s", T("produce.notopic"))
	}
	var cmds []Cmd
	producer := a.SenderName()
	if producer == "" {
		producer = learnerProducer
		cmds = append(cmds, Cmd{"op": "producer_start", "producer": producer})
	}
	c := Cmd{"op": "produce", "producer": producer, "topic": topic, "value": f.Value}
	if f.Key != "" {
		c["key"] = f.Key
	}
	if strings.TrimSpace(f.HKey) != "" {
		c["headers"] = map[string]string{strings.TrimSpace(f.HKey): f.HVal}
	}
	if p := strings.TrimSpace(f.Partition); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("ui: partition %q is not a partition number", p)
		}
		c["partition"] = n
	}
	if s := strings.TrimSpace(f.Count); s != "" && s != "1" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100000 {
			return nil, fmt.Errorf("ui: count %q must be a number from 1 to 100000", s)
		}
		c["count"] = n
		c["rate"] = "1000/s"
	}
	return append(cmds, c), nil
}

// producerName is the producer the form sends with: the learner's if
// started, else the scenario's first.
func (a *App) producerName() string {
	ps := a.F.Snap.Producers
	for _, p := range ps {
		if p.Name == learnerProducer {
			return p.Name
		}
	}
	if len(ps) > 0 {
		return ps[0].Name
	}
	return ""
}

// Produce sends the produce form.
func (a *App) Produce() {
	cmds, err := a.ProduceCommands()
	if err != nil {
		a.Err = err.Error()
		return
	}
	a.Apply(cmds...)
}

// CreateTopic sends the new-topic form.
func (a *App) CreateTopic() {
	f := a.Forms
	parts, err1 := strconv.Atoi(strings.TrimSpace(f.NewPartitions))
	rf, err2 := strconv.Atoi(strings.TrimSpace(f.NewRF))
	if err1 != nil || err2 != nil || parts < 1 || rf < 1 {
		a.Err = "ui: partitions and replication factor must be whole numbers of at least 1"
		return
	}
	a.Apply(Cmd{"op": "create_topic", "topic": strings.TrimSpace(f.NewTopic), "partitions": parts, "replication_factor": rf})
	a.Forms.Topic = strings.TrimSpace(f.NewTopic)
}

// StartConsumer sends the new-consumer form.
func (a *App) StartConsumer() {
	c, err := a.ConsumerCommand()
	if err != nil {
		a.Err = err.Error()
		return
	}
	a.Apply(c)
}

// Fault sends a fault command for the selected broker: "crash", "power",
// "restart", "isolate"; "heal" heals the whole network.
func (a *App) Fault(kind string) {
	b, err := strconv.Atoi(a.Forms.Broker)
	if err != nil && kind != "heal" {
		a.Err = "ui: pick a broker"
		return
	}
	switch kind {
	case "crash":
		a.Apply(Cmd{"op": "broker_crash", "broker": b, "mode": "process"})
	case "power":
		a.Apply(Cmd{"op": "broker_crash", "broker": b, "mode": "power"})
	case "restart":
		a.Apply(Cmd{"op": "broker_restart", "broker": b})
	case "torn":
		a.Apply(Cmd{"op": "disk_fault", "broker": b, "mode": "torn_tail"})
	case "isolate":
		a.Apply(Cmd{"op": "network_partition", "isolate": []string{fmt.Sprintf("broker-%d", b)}})
	case "heal":
		a.Apply(Cmd{"op": "heal"})
	}
}

// TopicNames lists the snapshot's topics, internal ones (__consumer_offsets)
// only when the view shows them.
func (a *App) TopicNames() []string {
	var out []string
	for _, t := range a.F.Snap.Topics {
		if !internalTopic(t.Name) || a.Window.Internal {
			out = append(out, t.Name)
		}
	}
	return out
}

// FormTopic is the topic the forms use: the one picked, else the first
// listed.
func (a *App) FormTopic() string {
	if a.Forms.Topic != "" {
		return a.Forms.Topic
	}
	if names := a.TopicNames(); len(names) > 0 {
		return names[0]
	}
	return ""
}
