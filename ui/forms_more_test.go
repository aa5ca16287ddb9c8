package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
)

// parses checks that the engine's command parser accepts a form's command.
func parses(t *testing.T, c Cmd) {
	t.Helper()
	b, _ := json.Marshal(c)
	if _, err := scenario.ParseCommand(b); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
}

// TestMoreForms: each form builds the command a lesson's solution uses,
// and the engine's parser accepts it.
func TestMoreForms(t *testing.T) {
	a := &App{Forms: defaultForms(), More: defaultMoreForms()}
	a.F.Snap.Topics = []view.TopicSnapshot{{Name: "orders"}, {Name: "receipts"}}
	a.F.Snap.Brokers = []view.BrokerSnapshot{{ID: 1}, {ID: 2}}
	a.F.Snap.Controller.ID = 1
	a.F.Snap.Producers = []view.ProducerSnapshot{{Name: "p"}, {Name: "safe"}}
	a.F.Snap.Consumers = []view.ConsumerSnapshot{{Name: "c2"}, {Name: "c1"}}

	if _, err := parseConfigs("linger.ms=20\n  \n# a comment\nbatch.size"); err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("a line without = : %v", err)
	}
	cfg, err := parseConfigs(" linger.ms = 20 \nbatch.size=65536\n")
	if err != nil || !reflect.DeepEqual(cfg, map[string]string{"linger.ms": "20", "batch.size": "65536"}) {
		t.Fatalf("configs %v %v", cfg, err)
	}

	// A consumer application: group, processing time, commit strategy, txn output.
	a.Forms.ConsumerName, a.Forms.ConsumerGroup, a.Forms.ConsumerReset = "app", "ledger", "earliest"
	a.More.ConsumerTopics, a.More.ConsumerProcess, a.More.ConsumerCommit = "orders", "50", "txn"
	a.More.ConsumerConfigs = "isolation.level=read_committed"
	if _, err := a.ConsumerCommand(); err == nil {
		t.Fatal("txn without an output topic was accepted")
	}
	a.More.ConsumerOutput = "receipts"
	c, err := a.ConsumerCommand()
	if err != nil {
		t.Fatal(err)
	}
	want := Cmd{Op: "consumer_start", Consumer: "app", Topics: []string{"orders"}, Group: "ledger", Process: "50ms", Commit: "txn", Topic: "receipts",
		Configs: map[string]string{"isolation.level": "read_committed", "auto.offset.reset": "earliest"}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("consumer\n got %v\nwant %v", c, want)
	}
	parses(t, c)
	// No group: a plain consumer, no application fields.
	a.Forms.ConsumerGroup = ""
	if c, _ := a.ConsumerCommand(); c.Group != "" || c.Commit != "" {
		t.Fatalf("a consumer without a group got application fields: %v", c)
	}

	// Links: both directions, drop as a fraction.
	if a.NodeNames()[0] != "controller-1" || !strings.Contains(strings.Join(a.NodeNames(), " "), "producer-safe consumer-c2") {
		t.Fatalf("nodes %v", a.NodeNames())
	}
	a.More.LinkFrom, a.More.LinkTo, a.More.LinkDrop, a.More.LinkDelay = "producer-safe", "broker-1", "50", "20"
	links, err := a.LinkCommands()
	if err != nil || len(links) != 2 || *links[0].Drop != 0.5 || links[1].From != "broker-1" || links[0].Delay != "20ms" {
		t.Fatalf("links %v %v", links, err)
	}
	for _, l := range links {
		parses(t, l)
	}
	a.More.LinkDrop = "150"
	if _, err := a.LinkCommands(); err == nil {
		t.Fatal("a 150% drop was accepted")
	}

	// The crash and subscribe forms default to the first consumer by name.
	if a.TargetName() != "c1" {
		t.Fatalf("target %q", a.TargetName())
	}
	parses(t, Cmd{Op: "consumer_crash", Consumer: a.TargetName(), Mode: "before_commit"})
	parses(t, Cmd{Op: "subscribe", Consumer: a.TargetName(), Topics: splitTopics("orders, returns")})
	if got := splitTopics(" orders,returns  audit "); !reflect.DeepEqual(got, []string{"orders", "returns", "audit"}) {
		t.Fatalf("topics %v", got)
	}

	// The produce form sends with the picked producer.
	a.More.Sender = "safe"
	cmds, err := a.ProduceCommands()
	if err != nil || cmds[len(cmds)-1].Producer != "safe" {
		t.Fatalf("produce %v %v", cmds, err)
	}
	a.More.Sender = "gone"
	if a.SenderName() != "p" {
		t.Fatalf("a missing sender falls back to %q", a.SenderName())
	}
}

// TestEveryControlHasAWidget: each control a lesson step may enable is
// shown by some part of the page (else a learner could not do that step).
func TestEveryControlHasAWidget(t *testing.T) {
	var src strings.Builder
	for _, pattern := range []string{"*.vugu", "*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || f == "0_components_gen.go" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(b)
		}
	}
	for _, c := range lessons.Controls() {
		if !strings.Contains(src.String(), `Allows("`+c+`")`) {
			t.Errorf("control %q has no widget: no Allows(%q) in the UI", c, c)
		}
	}
}
