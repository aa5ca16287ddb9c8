package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Forms hold what the learner typed into the control panels.
type Forms struct {
	Topic     string
	Key       string
	Value     string
	Tombstone bool // send a null value (a delete marker for compaction)
	HKey      string
	HVal      string
	Partition string
	Count     string
	Rate      string // records per second ("" = defaultRate)

	NewTopic      string
	NewPartitions string
	NewRF         string

	ConsumerName  string
	ConsumerAuto  bool // the name field proposes the next free name after ConsumerName (see ConsumerNameField)
	ConsumerGroup string
	ConsumerReset string
	// ConsumerProtocol is group.protocol: classic (the client default
	// until Kafka 5.0) or consumer (KIP-848).
	ConsumerProtocol string

	Broker     string // broker id for the fault buttons
	Controller string // KRaft voter id for the controller buttons
	Isolate    string // network node the isolate button cuts off
}

func defaultForms() Forms {
	return Forms{Value: "hello", Count: "1", NewTopic: "orders", NewPartitions: "6", NewRF: "3",
		ConsumerName: "c1", ConsumerGroup: "g1", ConsumerReset: "earliest", ConsumerProtocol: "classic", Broker: "1"}
}

// learnerProducer is the producer the produce form uses when the scenario
// has none.
const learnerProducer = "learner"

// Produce form limits: records per click and records per second.
const (
	defaultRate = 1000
	maxCount    = 100_000
	maxRate     = 100_000
)

// ProduceCommands builds the commands of the produce form against the
// current snapshot: a producer_start first when no producer exists.
func (a *App) ProduceCommands() ([]Cmd, error) {
	f := a.Forms
	topic := a.FormTopic()
	if topic == "" {
		return nil, errf("produce.notopic")
	}
	var cmds []Cmd
	producer := a.SenderName()
	if producer == "" {
		producer = learnerProducer
		cmds = append(cmds, Cmd{Op: "producer_start", Producer: producer})
	}
	c := Cmd{Op: "produce", Producer: producer, Topic: topic, Value: ptr(f.Value), Tombstone: f.Tombstone}
	if f.Key != "" {
		c.Key = ptr(f.Key)
	}
	if strings.TrimSpace(f.HKey) != "" {
		c.Headers = map[string]string{strings.TrimSpace(f.HKey): f.HVal}
	}
	if p := strings.TrimSpace(f.Partition); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, errf("form.partition", p)
		}
		c.Partition = &n
	}
	rate, err := parseRate(f.Rate)
	if err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(f.Count); s != "" && s != "1" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxCount {
			return nil, errf("form.count", s, maxCount)
		}
		c.Count, c.Rate = &n, rate
	}
	return append(cmds, c), nil
}

// parseRate reads the rate field: records per second ("20000", "20000/s"),
// empty for defaultRate; it returns the engine's form ("20000/s").
func parseRate(s string) (string, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "/s"))
	if t == "" {
		return fmt.Sprintf("%d/s", defaultRate), nil
	}
	r, err := strconv.ParseFloat(t, 64)
	if err != nil || !(r > 0) || r > maxRate {
		return "", errf("form.rate", strings.TrimSpace(s), maxRate)
	}
	return strconv.FormatFloat(r, 'f', -1, 64) + "/s", nil
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

// Produce sends the produce form; the header and the tombstone box are for
// one record and clear, the rest stays for the next send.
func (a *App) Produce() {
	cmds, err := a.ProduceCommands()
	if err != nil {
		a.formError(PanelProduce, err.Error())
		return
	}
	undo := a.resetForms(func() { a.Forms.HKey, a.Forms.HVal, a.Forms.Tombstone = "", "", false })
	a.applyForm(PanelProduce, undo, cmds...)
}

// TopicCommand builds the new-topic form's create_topic.
func (a *App) TopicCommand() (Cmd, error) {
	f := a.Forms
	name := strings.TrimSpace(f.NewTopic)
	if name == "" {
		return Cmd{}, errf("form.topicname")
	}
	parts, err1 := strconv.Atoi(strings.TrimSpace(f.NewPartitions))
	rf, err2 := strconv.Atoi(strings.TrimSpace(f.NewRF))
	if err1 != nil || err2 != nil || parts < 1 || rf < 1 {
		return Cmd{}, errf("form.topicnums")
	}
	return Cmd{Op: "create_topic", Topic: name, Partitions: &parts, ReplicationFactor: &rf}, nil
}

// CreateTopic sends the new-topic form; the new topic becomes the forms'
// topic and the name field clears.
func (a *App) CreateTopic() {
	c, err := a.TopicCommand()
	if err != nil {
		a.formError(PanelTopic, err.Error())
		return
	}
	name := c.Topic
	undo := a.resetForms(func() { a.Forms.NewTopic, a.Forms.Topic = "", name })
	a.applyForm(PanelTopic, undo, c)
}

// StartConsumer sends the new-consumer form; the name field then proposes
// the next free name (c1 → c2), so a second click starts a second consumer.
func (a *App) StartConsumer() {
	c, err := a.ConsumerCommand()
	if err != nil {
		a.formError(PanelConsumer, err.Error())
		return
	}
	name := c.Consumer
	a.notePending(name)
	undo := a.resetForms(func() { a.Forms.ConsumerName, a.Forms.ConsumerAuto = name, true })
	a.applyForm(PanelConsumer, func() { undo(); delete(a.pendingConsumers, name) }, c)
}

// SetConsumerName is the learner typing into the name field.
func (a *App) SetConsumerName(v string) { a.Forms.ConsumerName, a.Forms.ConsumerAuto = v, false }

// ConsumerNameField is the new-consumer form's name: what the learner
// typed, or after a start the first free name of the same stem counting
// from 1 — c2 while c1 runs, c1 again once c1 has crashed or closed (as
// lessons ask: "start c1 again").
func (a *App) ConsumerNameField() string {
	if !a.Forms.ConsumerAuto {
		return a.Forms.ConsumerName
	}
	name := a.Forms.ConsumerName
	stem := strings.TrimRight(name, "0123456789")
	seen := map[string]bool{}
	for _, c := range a.F.Snap.Consumers {
		seen[c.Name] = true
	}
	running := a.RunningConsumers()
	taken := func(n string) bool {
		return slices.Contains(running, n) || a.pendingConsumers[n] && !seen[n]
	}
	if stem == name { // no number: "app", then "app2", "app3"…
		if !taken(name) {
			return name
		}
		return nextFreeName(name, taken)
	}
	return nextFreeName(stem+"0", taken)
}

// notePending remembers a consumer just started: until the snapshot shows
// it, the name field must not propose it again. Names the snapshot shows
// are forgotten (under the write lock).
func (a *App) notePending(name string) {
	if a.pendingConsumers == nil {
		a.pendingConsumers = map[string]bool{}
	}
	for _, c := range a.F.Snap.Consumers {
		delete(a.pendingConsumers, c.Name)
	}
	a.pendingConsumers[name] = true
}

// Fault sends a fault command: "crash", "power", "restart", "torn" for the
// broker picked, "isolate" for the node picked, "heal" for the network.
func (a *App) Fault(kind string) {
	c, err := a.FaultCommand(kind)
	if err != nil {
		a.formError(PanelFault, err.Error())
		return
	}
	a.ApplyFrom(PanelFault, c)
}

// FaultCommand builds the command of a fault button (see Fault).
func (a *App) FaultCommand(kind string) (Cmd, error) {
	switch kind {
	case "isolate":
		node := a.IsolateName()
		if node == "" {
			return Cmd{}, errf("form.picknode")
		}
		return Cmd{Op: "network_partition", Isolate: []string{node}}, nil
	case "heal":
		return Cmd{Op: "heal"}, nil
	}
	b, err := strconv.Atoi(a.Forms.Broker)
	if err != nil {
		return Cmd{}, errf("form.pickbroker")
	}
	switch kind {
	case "crash":
		return Cmd{Op: "broker_crash", Broker: &b, Mode: "process"}, nil
	case "power":
		return Cmd{Op: "broker_crash", Broker: &b, Mode: "power"}, nil
	case "restart":
		return Cmd{Op: "broker_restart", Broker: &b}, nil
	case "torn":
		return Cmd{Op: "disk_fault", Broker: &b, Mode: "torn_tail"}, nil
	case "pause":
		return Cmd{Op: "broker_pause", Broker: &b}, nil
	case "resume":
		return Cmd{Op: "broker_resume", Broker: &b}, nil
	}
	return Cmd{}, fmt.Errorf("ui: no fault %q", kind) // a broken page, not the learner's doing
}

// ControllerFault stops ("crash") or restarts ("restart") the KRaft voter
// picked in the fault form.
func (a *App) ControllerFault(kind string) {
	id := a.ControllerName()
	if id < 0 {
		a.formError(PanelFault, T("form.pickcontroller"))
		return
	}
	a.ApplyFrom(PanelFault, Cmd{Op: "controller_" + kind, Controller: &id})
}

// ControllerIDs are the KRaft voters, by id.
func (a *App) ControllerIDs() []int {
	var out []int
	for _, v := range a.F.Snap.Quorum {
		out = append(out, int(v.ID))
	}
	if len(out) == 0 && a.F.Snap.Controller.ID > 0 {
		out = append(out, int(a.F.Snap.Controller.ID))
	}
	slices.Sort(out)
	return out
}

// ControllerName is the voter the controller buttons act on: the one
// picked, else the first; -1 when there is none.
func (a *App) ControllerName() int {
	ids := a.ControllerIDs()
	if n, err := strconv.Atoi(a.Forms.Controller); err == nil && slices.Contains(ids, n) {
		return n
	}
	if len(ids) > 0 {
		return ids[0]
	}
	return -1
}

// IsolateName is the node the isolate button cuts off: the one picked,
// else the first broker.
func (a *App) IsolateName() string {
	nodes := a.NodeNames()
	if slices.Contains(nodes, a.Forms.Isolate) {
		return a.Forms.Isolate
	}
	for _, n := range nodes {
		if strings.HasPrefix(n, "broker-") {
			return n
		}
	}
	if len(nodes) > 0 {
		return nodes[0]
	}
	return ""
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

// FormTopic is the topic the forms use: the one picked (or just created),
// unless it is an internal topic the view now hides; else the first listed.
func (a *App) FormTopic() string {
	if t := a.Forms.Topic; t != "" && (!internalTopic(t) || a.Window.Internal) {
		return t
	}
	if names := a.TopicNames(); len(names) > 0 {
		return names[0]
	}
	return ""
}
