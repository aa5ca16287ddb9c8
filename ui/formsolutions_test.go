package ui

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
)

// TestSolutionsThroughForms: every command of every lesson's solution can
// be typed into the forms: filled in as a learner would, the form builds a
// command the engine reads the same way (defaults compared as the engine
// applies them). A command no form can express fails and names its lesson.
func TestSolutionsThroughForms(t *testing.T) {
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range all {
		var raws []json.RawMessage
		for _, s := range l.Steps {
			raws = append(raws, s.Solution...)
		}
		for i, raw := range raws {
			var head struct {
				Op string `json:"op"`
			}
			if json.Unmarshal(raw, &head) == nil && lessons.IsLearnerOp(head.Op) {
				continue // done in the page, not by a form
			}
			if c, _ := lessons.ControlFor(head.Op); c == "outside_client" {
				continue // done by a real Kafka client in a terminal (lesson 19's recorded kcat)
			}
			want, err := scenario.ParseCommand(raw)
			if err != nil {
				t.Fatalf("%s solution %d: %v", l.ID, i+1, err)
			}
			if want.Op == "note" || want.Op == "end" {
				continue
			}
			if err := throughForms(want); err != nil {
				t.Errorf("%s solution %d %s:\n  %v", l.ID, i+1, raw, err)
			}
			n++
		}
	}
	if n < 50 {
		t.Fatalf("only %d solution commands checked", n)
	}
}

// throughForms fills the forms from want, builds the form's command and
// compares what the engine reads from both.
func throughForms(want scenario.Command) error {
	a := &App{Forms: defaultForms(), More: defaultMoreForms()}
	a.F.Snap.Topics = []view.TopicSnapshot{{Name: "__consumer_offsets"}, {Name: "other"}}
	for _, t := range append([]string{want.Topic}, want.Topics...) {
		if t != "" {
			a.F.Snap.Topics = append(a.F.Snap.Topics, view.TopicSnapshot{Name: t})
		}
	}
	a.F.Snap.Producers = []view.ProducerSnapshot{{Name: "other"}}
	if want.Producer != "" {
		a.F.Snap.Producers = append(a.F.Snap.Producers, view.ProducerSnapshot{Name: want.Producer})
	}
	a.F.Snap.Consumers = []view.ConsumerSnapshot{{Name: "aaa"}}
	if want.Consumer != "" {
		a.F.Snap.Consumers = append(a.F.Snap.Consumers, view.ConsumerSnapshot{Name: want.Consumer})
	}
	for id := int32(1); id <= 5; id++ {
		a.F.Snap.Brokers = append(a.F.Snap.Brokers, view.BrokerSnapshot{ID: id})
		a.F.Snap.Quorum = append(a.F.Snap.Quorum, view.VoterSnapshot{ID: id})
	}
	if want.Broker != nil {
		a.Forms.Broker = strconv.Itoa(*want.Broker)
	}
	f, m := &a.Forms, &a.More

	var c Cmd
	var err error
	switch want.Op {
	case "produce":
		m.Sender, f.Topic = want.Producer, want.Topic
		f.Key, f.Value, f.Tombstone = deref(want.Key), deref(want.Value), want.NullValue
		if len(want.Headers) > 1 {
			return fmt.Errorf("the produce form sends one header, the solution %d", len(want.Headers))
		}
		for k, v := range want.Headers {
			f.HKey, f.HVal = k, v
		}
		if want.Partition != nil {
			f.Partition = strconv.Itoa(*want.Partition)
		}
		if want.Count != nil {
			f.Count = strconv.Itoa(*want.Count)
		}
		if want.Rate != nil {
			f.Rate = strconv.FormatFloat(float64(*want.Rate), 'f', -1, 64)
		}
		var cmds []Cmd
		if cmds, err = a.ProduceCommands(); err == nil {
			c = cmds[len(cmds)-1]
		}
	case "producer_start":
		m.ProducerName, m.ProducerConfigs = want.Producer, configLines(want.Configs, nil)
		c, err = a.ProducerCommand()
	case "consumer_start":
		g := want.GroupArgs()
		if g.OnRevoked != "" || g.MaxRecords != 0 {
			return fmt.Errorf("the consumer form has no on_revoked or max_records")
		}
		f.ConsumerName, f.ConsumerGroup = want.Consumer, g.Group
		f.ConsumerReset = "latest" // Kafka's default
		if r, ok := want.Configs["auto.offset.reset"]; ok {
			f.ConsumerReset = r
		}
		m.ConsumerTopics = strings.Join(want.Topics, ", ")
		m.ConsumerConfigs = configLines(want.Configs, []string{"group.id", "auto.offset.reset"})
		m.ConsumerProcess = strconv.FormatInt(g.Process.Milliseconds(), 10)
		m.ConsumerCommit, m.ConsumerOutput = g.Commit, g.Output
		if m.ConsumerCommit == "" {
			m.ConsumerCommit = "auto"
		}
		c, err = a.ConsumerCommand()
	case "share_consumer_start":
		if want.MaxRecords != nil || want.Renew || len(want.Configs) > 1 {
			return fmt.Errorf("the share-consumer form has no max_records, renew or configs but share.acknowledgement.mode")
		}
		sf := &m.Share
		sf.Name, sf.Group, sf.Topics = want.Consumer, want.Group, strings.Join(want.Topics, ",")
		sf.Mode, sf.Process, sf.Poison, sf.OnPoison = "implicit", "0", want.Poison, want.OnPoison
		if md := want.Configs["share.acknowledgement.mode"]; md != "" {
			sf.Mode = md
		}
		if want.Process != nil {
			sf.Process = strconv.FormatInt(time.Duration(*want.Process).Milliseconds(), 10)
		}
		c, err = a.ShareCommand()
	case "consumer_crash":
		m.Target, m.CrashMode = want.Consumer, want.Mode
		if m.CrashMode == "" {
			m.CrashMode = "now"
		}
		c, err = a.CrashCommand()
	case "subscribe":
		m.Target, m.SubscribeTopics = want.Consumer, strings.Join(want.Topics, ",")
		c, err = a.SubscribeCommand()
	case "add_partitions":
		m.AddTopic, m.AddCount = want.Topic, strconv.Itoa(*want.Partitions)
		c, err = a.AddPartitionsCommand()
	case "create_topic":
		if len(want.Configs) > 0 {
			return fmt.Errorf("the new-topic form has no configs")
		}
		f.NewTopic, f.NewPartitions, f.NewRF = want.Topic, "1", "1"
		if want.Partitions != nil {
			f.NewPartitions = strconv.Itoa(*want.Partitions)
		}
		if want.ReplicationFactor != nil {
			f.NewRF = strconv.Itoa(*want.ReplicationFactor)
		}
		c, err = a.TopicCommand()
	case "link_fault":
		m.LinkFrom, m.LinkTo, m.LinkBoth = want.From, want.To, false
		m.LinkDrop, m.LinkDelay = "0", "0"
		if want.Drop != nil {
			m.LinkDrop = strconv.FormatFloat(*want.Drop*100, 'f', -1, 64)
		}
		if want.Delay != nil {
			m.LinkDelay = strconv.FormatInt(time.Duration(*want.Delay).Milliseconds(), 10)
		}
		a.F.Snap.Consumers = append(a.F.Snap.Consumers, view.ConsumerSnapshot{Name: strings.TrimPrefix(want.From, "consumer-")})
		a.F.Snap.Producers = append(a.F.Snap.Producers, view.ProducerSnapshot{Name: strings.TrimPrefix(want.From, "producer-")})
		var cmds []Cmd
		if cmds, err = a.LinkCommands(); err == nil {
			c = cmds[0]
		}
	case "network_partition":
		if len(want.Groups) > 0 || len(want.Isolate) != 1 {
			return fmt.Errorf("the isolate form cuts off one node")
		}
		n := want.Isolate[0]
		a.F.Snap.Consumers = append(a.F.Snap.Consumers, view.ConsumerSnapshot{Name: strings.TrimPrefix(n, "consumer-")})
		a.F.Snap.Producers = append(a.F.Snap.Producers, view.ProducerSnapshot{Name: strings.TrimPrefix(n, "producer-")})
		f.Isolate = n
		c, err = a.FaultCommand("isolate")
	case "heal":
		c, err = a.FaultCommand("heal")
	case "broker_crash":
		kind := "crash"
		if want.Mode == "power" {
			kind = "power"
		}
		c, err = a.FaultCommand(kind)
	case "broker_restart":
		c, err = a.FaultCommand("restart")
	case "broker_pause":
		c, err = a.FaultCommand("pause")
	case "broker_resume":
		c, err = a.FaultCommand("resume")
	case "disk_fault":
		c, err = a.FaultCommand("torn")
	case "controller_crash", "controller_restart":
		if want.Controller == nil {
			return fmt.Errorf("the controller form always names a voter")
		}
		f.Controller = strconv.Itoa(*want.Controller)
		c = Cmd{Op: want.Op, Controller: ptr(a.ControllerName())}
	case "update_features":
		c = a.FeatureCommand(*want.Level)
	case "preferred_election", "commit", "consumer_close", "producer_flush", "producer_close",
		"init_transactions", "begin_transaction", "commit_transaction", "abort_transaction":
		return nil // one button each, no fields (see clients.vugu and the fault panel)
	case "send_offsets":
		a.Txn = TxnForm{Group: want.Group, Topic: want.Topic, Partition: strconv.Itoa(*want.Partition), Offset: strconv.FormatInt(*want.Offset, 10)}
		c, err = a.SendOffsetsCommand(want.Producer)
	default:
		return fmt.Errorf("no form sends %s", want.Op)
	}
	if err != nil {
		return fmt.Errorf("the form refused it: %v", err)
	}
	b, _ := json.Marshal(c)
	got, err := scenario.ParseCommand(b)
	if err != nil {
		return fmt.Errorf("the engine refused the form's %s: %v", b, err)
	}
	w, g := engineReading(want), engineReading(got)
	if want.Op == "produce" && want.Rate == nil {
		delete(g, "rate") // all at once; the form paces at 1000/s by default, as the contract says
	}
	if !reflect.DeepEqual(w, g) {
		return fmt.Errorf("the form's %s differs:\n  solution %+v\n  form     %+v", b, w, g)
	}
	return nil
}

// engineReading is what the engine takes from a command, with defaults
// applied, for comparison.
func engineReading(c scenario.Command) map[string]any {
	r := map[string]any{"op": c.Op}
	put := func(k string, v any) {
		if rv := reflect.ValueOf(v); v != nil && !rv.IsZero() {
			r[k] = v
		}
	}
	put("topic", c.Topic)
	put("topics", c.Topics)
	put("producer", c.Producer)
	put("consumer", c.Consumer)
	put("from", c.From)
	put("to", c.To)
	put("isolate", c.Isolate)
	for k, p := range map[string]*int{"partitions": c.Partitions, "partition": c.Partition, "replication_factor": c.ReplicationFactor, "broker": c.Broker, "controller": c.Controller} {
		if p != nil {
			r[k] = *p
		}
	}
	switch c.Op {
	case "produce":
		r["key"], r["null_value"], r["value"], r["headers"] = deref(c.Key), c.NullValue, deref(c.Value), c.Headers
		count := 1
		if c.Count != nil {
			count = *c.Count
		}
		r["count"] = count
		if c.Rate != nil && count > 1 {
			r["rate"] = float64(*c.Rate)
		}
	case "producer_start":
		r["configs"] = c.Configs
	case "consumer_start":
		g := c.GroupArgs()
		if g.Commit == "auto" {
			g.Commit = ""
		}
		cfg := map[string]string{}
		for k, v := range c.Configs {
			cfg[k] = v
		}
		delete(cfg, "group.id")
		if cfg["auto.offset.reset"] == "" {
			cfg["auto.offset.reset"] = "latest"
		}
		r["group"], r["configs"] = g, cfg
	case "consumer_crash":
		mode := c.Mode
		if mode == "" {
			mode = "now"
		}
		r["mode"] = mode
	case "broker_crash":
		mode := c.Mode
		if mode == "" {
			mode = "process"
		}
		r["mode"] = mode
	case "link_fault":
		var drop float64
		var delay time.Duration
		if c.Drop != nil {
			drop = *c.Drop
		}
		if c.Delay != nil {
			delay = time.Duration(*c.Delay)
		}
		r["drop"], r["delay"] = drop, delay
	}
	return r
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// configLines writes configs as the form's key=value lines, sorted,
// without the keys in skip.
func configLines(cfg map[string]string, skip []string) string {
	var lines []string
	for k, v := range cfg {
		if !strings.Contains(strings.Join(skip, " "), k) {
			lines = append(lines, k+"="+v)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
