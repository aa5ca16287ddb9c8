package ui

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The forms a lesson step enables beyond produce, topic and consumer
// basics: a producer with configs, partitions added to a topic, a consumer
// application (topics, configs, processing time, commit strategy), a
// consumer crash, a new subscription, a paused broker and a degraded link.

// MoreForms hold what the learner typed into those forms.
type MoreForms struct {
	ProducerName    string
	ProducerConfigs string // key=value lines
	Sender          string // the producer the produce form sends with ("" = default)

	AddTopic string
	AddCount string
	DelTopic string // the delete-topic form's topic ("" = the form's topic)

	ConsumerTopics  string // comma list ("" = the form's topic)
	ConsumerConfigs string // key=value lines
	ConsumerProcess string // ms per record
	ConsumerCommit  string // auto|sync|async|before|manual|txn
	ConsumerOutput  string // txn: the topic processed records go to

	Target          string // consumer for crash and subscribe
	CrashMode       string // now|before_commit|before_process
	SubscribeTopics string

	LinkFrom, LinkTo string
	LinkDrop         string // percent
	LinkDelay        string // ms
	LinkBoth         bool

	Share ShareForm // the share-consumer form (shareform.go)
}

func defaultMoreForms() MoreForms {
	return MoreForms{ProducerName: "p2", AddCount: "12", ConsumerCommit: "auto", ConsumerProcess: "0",
		CrashMode: "now", LinkDrop: "50", LinkDelay: "0", LinkBoth: true, Share: defaultShareForm()}
}

// CommitStrategies are the consumer application's commit strategies
// (see engine/scenario GroupArgs), with what each does.
var CommitStrategies = []string{"auto", "sync", "async", "before", "manual", "txn"}

// CrashModes are where a consumer crash may strike.
var CrashModes = []string{"now", "before_commit", "before_process"}

// parseConfigs reads "key=value" lines (blank lines and # comments are
// skipped) into a config map; Kafka's names are checked by the engine.
func parseConfigs(text string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, errf("form.configline", i+1, line)
		}
		out[k] = v
	}
	return out, nil
}

// splitTopics reads a comma or space separated topic list.
func splitTopics(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// ProducerCommand builds the producer form's producer_start.
func (a *App) ProducerCommand() (Cmd, error) {
	m := a.More
	name := strings.TrimSpace(m.ProducerName)
	cfg, err := parseConfigs(m.ProducerConfigs)
	if err != nil {
		return Cmd{}, err
	}
	if name == "" {
		return Cmd{}, errf("form.noname")
	}
	c := Cmd{Op: "producer_start", Producer: name}
	if len(cfg) > 0 {
		c.Configs = cfg
	}
	return c, nil
}

// StartProducer sends the producer form; the produce form then sends with
// the new producer, and the name moves on to the next free one.
func (a *App) StartProducer() {
	c, err := a.ProducerCommand()
	if err != nil {
		a.formError(PanelProducer, err.Error())
		return
	}
	name := c.Producer
	taken := a.ProducerNames()
	undo := a.resetForms(func() {
		a.More.Sender = name
		a.More.ProducerName = nextFreeName(name, func(n string) bool { return n == name || slices.Contains(taken, n) })
	})
	a.applyForm(PanelProducer, undo, c)
}

// AddPartitionsCommand builds the add-partitions form's command.
func (a *App) AddPartitionsCommand() (Cmd, error) {
	topic := a.AddTopicName()
	n, err := strconv.Atoi(strings.TrimSpace(a.More.AddCount))
	if err != nil || n < 1 || topic == "" {
		return Cmd{}, errf("form.addparts")
	}
	return Cmd{Op: "add_partitions", Topic: topic, Partitions: &n}, nil
}

// DeleteTopicName is the topic the delete-topic form names.
func (a *App) DeleteTopicName() string {
	if a.More.DelTopic != "" && slices.Contains(a.TopicNames(), a.More.DelTopic) {
		return a.More.DelTopic
	}
	return a.FormTopic()
}

// DeleteTopic sends the delete-topic form (Kafka's Admin.deleteTopics).
func (a *App) DeleteTopic() {
	topic := a.DeleteTopicName()
	if topic == "" {
		a.formError(PanelDeleteTopic, errf("form.deltopic").Error())
		return
	}
	a.More.DelTopic = ""
	a.ApplyFrom(PanelDeleteTopic, Cmd{Op: "delete_topic", Topic: topic})
}

// AddPartitions sends the add-partitions form.
func (a *App) AddPartitions() {
	c, err := a.AddPartitionsCommand()
	if err != nil {
		a.formError(PanelPartitions, err.Error())
		return
	}
	a.ApplyFrom(PanelPartitions, c)
}

// ConsumerCommand builds the consumer form's consumer_start.
func (a *App) ConsumerCommand() (Cmd, error) {
	f, m := a.Forms, a.More
	topics := splitTopics(m.ConsumerTopics)
	if len(topics) == 0 {
		if t := a.FormTopic(); t != "" {
			topics = []string{t}
		}
	}
	if len(topics) == 0 {
		return Cmd{}, errf("produce.notopic")
	}
	name := strings.TrimSpace(a.ConsumerNameField())
	if name == "" {
		return Cmd{}, errf("form.consumername")
	}
	cfg, err := parseConfigs(m.ConsumerConfigs)
	if err != nil {
		return Cmd{}, err
	}
	if _, ok := cfg["auto.offset.reset"]; !ok && f.ConsumerReset != "" {
		cfg["auto.offset.reset"] = f.ConsumerReset
	}
	c := Cmd{Op: "consumer_start", Consumer: name, Topics: topics, Configs: cfg}
	group := strings.TrimSpace(f.ConsumerGroup)
	if group == "" {
		return c, nil // a plain consumer: no group, no application
	}
	c.Group = group
	if _, ok := cfg["group.protocol"]; !ok && f.ConsumerProtocol == "consumer" {
		cfg["group.protocol"] = "consumer"
	}
	if ms, err := strconv.Atoi(strings.TrimSpace(m.ConsumerProcess)); err == nil && ms > 0 {
		c.Process = fmt.Sprintf("%dms", ms)
	} else if err != nil && strings.TrimSpace(m.ConsumerProcess) != "" {
		return Cmd{}, errf("form.process", m.ConsumerProcess)
	}
	if m.ConsumerCommit != "" && m.ConsumerCommit != "auto" {
		c.Commit = m.ConsumerCommit
	}
	if m.ConsumerCommit == "txn" {
		out := strings.TrimSpace(m.ConsumerOutput)
		if out == "" {
			return Cmd{}, errf("form.txnout")
		}
		c.Topic = out
	}
	return c, nil
}

// ConsumerActionsShown reports whether the consumer-actions panel shows:
// the step lets the learner crash or resubscribe a consumer and one runs.
// It is apart from the new-consumer form, which a step may hide.
func (a *App) ConsumerActionsShown() bool {
	return (a.Allows("crash_consumer") || a.Allows("subscribe")) && len(a.RunningConsumers()) > 0
}

// CrashCommand builds the consumer-crash form's command.
func (a *App) CrashCommand() (Cmd, error) {
	target := a.TargetName()
	if target == "" {
		return Cmd{}, errf("form.noconsumer")
	}
	return Cmd{Op: "consumer_crash", Consumer: target, Mode: a.More.CrashMode}, nil
}

// CrashConsumer sends the consumer-crash form.
func (a *App) CrashConsumer() {
	c, err := a.CrashCommand()
	if err != nil {
		a.formError(PanelActions, err.Error())
		return
	}
	a.ApplyFrom(PanelActions, c)
}

// SubscribeCommand builds the subscription form's command.
func (a *App) SubscribeCommand() (Cmd, error) {
	topics := splitTopics(a.More.SubscribeTopics)
	target := a.TargetName()
	if target == "" || len(topics) == 0 {
		return Cmd{}, errf("form.subscribe")
	}
	return Cmd{Op: "subscribe", Consumer: target, Topics: topics}, nil
}

// Subscribe sends the subscription form.
func (a *App) Subscribe() {
	c, err := a.SubscribeCommand()
	if err != nil {
		a.formError(PanelActions, err.Error())
		return
	}
	a.ApplyFrom(PanelActions, c)
}

// PauseBroker freezes (SIGSTOP) or resumes the broker of the fault form.
func (a *App) PauseBroker(pause bool) {
	if pause {
		a.Fault("pause")
	} else {
		a.Fault("resume")
	}
}

// LinkCommands builds the link-fault form's commands: one per direction.
func (a *App) LinkCommands() ([]Cmd, error) {
	m := a.More
	if m.LinkFrom == "" || m.LinkTo == "" || m.LinkFrom == m.LinkTo {
		return nil, errf("form.link")
	}
	drop, err1 := strconv.ParseFloat(strings.TrimSpace(m.LinkDrop), 64)
	delay, err2 := strconv.Atoi(strings.TrimSpace(m.LinkDelay))
	if err1 != nil || err2 != nil || drop < 0 || drop > 100 || delay < 0 {
		return nil, errf("form.linkvalues")
	}
	one := func(from, to string) Cmd {
		return Cmd{Op: "link_fault", From: from, To: to, Drop: ptr(drop / 100), Delay: fmt.Sprintf("%dms", delay)}
	}
	cmds := []Cmd{one(m.LinkFrom, m.LinkTo)}
	if m.LinkBoth {
		cmds = append(cmds, one(m.LinkTo, m.LinkFrom))
	}
	return cmds, nil
}

// DegradeLink sends the link-fault form.
func (a *App) DegradeLink() {
	cmds, err := a.LinkCommands()
	if err != nil {
		a.formError(PanelFault, err.Error())
		return
	}
	a.ApplyFrom(PanelFault, cmds...)
}

// NodeNames lists the network's nodes for the link form: controllers,
// brokers, producers and consumers, by their network names.
func (a *App) NodeNames() []string {
	s := a.F.Snap
	var out []string
	if len(s.Quorum) > 0 {
		for _, v := range s.Quorum {
			out = append(out, fmt.Sprintf("controller-%d", v.ID))
		}
	} else if s.Controller.ID >= 0 {
		out = append(out, fmt.Sprintf("controller-%d", s.Controller.ID))
	}
	for _, b := range s.Brokers {
		out = append(out, fmt.Sprintf("broker-%d", b.ID))
	}
	for _, p := range s.Producers {
		out = append(out, "producer-"+p.Name)
	}
	for _, c := range s.Consumers {
		out = append(out, "consumer-"+c.Name)
	}
	return out
}

// ProducerNames lists the running producers, sorted.
func (a *App) ProducerNames() []string {
	var out []string
	for _, p := range a.F.Snap.Producers {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out
}

// RunningConsumers lists the consumers that have not stopped (crashed or
// closed), sorted: the ones a crash or a subscription can act on.
func (a *App) RunningConsumers() []string {
	var out []string
	for _, c := range a.F.Snap.Consumers {
		if !c.Stopped {
			out = append(out, c.Name)
		}
	}
	for _, c := range a.F.Snap.ShareConsumers {
		if c.State == "running" {
			out = append(out, c.Name)
		}
	}
	sort.Strings(out)
	return out
}

// SenderName is the producer the produce form sends with.
func (a *App) SenderName() string {
	if s := a.More.Sender; s != "" && slices.Contains(a.ProducerNames(), s) {
		return s
	}
	return a.producerName()
}

// AddTopicName is the topic the add-partitions form grows.
func (a *App) AddTopicName() string {
	if a.More.AddTopic != "" {
		return a.More.AddTopic
	}
	return a.FormTopic()
}

// TargetName is the consumer the crash and subscribe forms act on: the one
// picked while it runs, else the first running.
func (a *App) TargetName() string {
	names := a.RunningConsumers()
	if slices.Contains(names, a.More.Target) {
		return a.More.Target
	}
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

// LinkArrow shows whether the link form degrades one direction or both.
func (a *App) LinkArrow() string {
	if a.More.LinkBoth {
		return "↔"
	}
	return "→"
}

// crashModeText names a crash mode in the current locale (its value stays
// the engine's: now, before_commit, before_process).
func crashModeText(m string) string {
	if s, ok := locales[Locale]["crash.mode."+m]; ok {
		return s
	}
	return m
}
