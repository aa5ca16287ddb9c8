package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vugu/html"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
)

// engineRefusal sends cmd to a fresh engine on a one-broker cluster with
// topic "orders", producer "p" and consumer "c1", and returns the error
// message the engine answers (the words the UI gets).
func engineRefusal(t *testing.T, cmd string) string {
	msg := engineRefusalOK(t, cmd)
	if msg == "" {
		t.Fatalf("the engine accepted %s", cmd)
	}
	return msg
}

// engineRefusalOK is engineRefusal that returns "" when the engine accepts cmd.
func engineRefusalOK(t *testing.T, cmd string) string {
	t.Helper()
	e := api.New(api.Options{})
	call := func(method, params string) (string, bool) {
		var r struct {
			Error *EngineError `json:"error"`
		}
		out := e.Call([]byte(`{"method":"` + method + `","params":` + params + `}`))
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		if r.Error != nil {
			return r.Error.Message, false
		}
		return "", true
	}
	if msg, ok := call("open", `{"seed":1,"cluster":{"brokers":1},"steps":[]}`); !ok {
		t.Fatal(msg)
	}
	if msg, ok := call("apply", `{"commands":[{"op":"create_topic","topic":"orders","partitions":2,"replication_factor":1},
		{"op":"producer_start","producer":"p"},{"op":"consumer_start","consumer":"c1","topics":["orders"]}]}`); !ok {
		t.Fatal(msg)
	}
	msg, _ := call("apply", `{"commands":[`+cmd+`]}`)
	return msg
}

// TestPlainEngineErrors: the engine's common refusals, as the engine words
// them today, read as sentences in English and Korean that name the thing
// and keep config names; none keeps the request prefix.
func TestPlainEngineErrors(t *testing.T) {
	defer setLocale(Locale)
	cases := []struct {
		cmd    string
		en, ko string // parts each sentence must contain
	}{
		{`{"op":"consumer_start","consumer":"c1","topics":["orders"]}`, `Consumer “c1” is already running. Give the new one another name`, `컨슈머 “c1”은(는) 이미 실행 중입니다`},
		{`{"op":"producer_start","producer":"p"}`, `Producer “p” already exists`, `프로듀서 “p”이(가) 이미 있습니다`},
		{`{"op":"create_topic","topic":"orders","partitions":1}`, `Topic “orders” already exists`, `토픽 “orders”이(가) 이미 있습니다`},
		{`{"op":"produce","producer":"p","topic":"nope","value":"x"}`, `There is no topic “nope”. Create it first`, `토픽 “nope”이(가) 없습니다`},
		{`{"op":"consumer_crash","consumer":"c9"}`, `There is no running consumer “c9”`, `실행 중인 컨슈머 “c9”이(가) 없습니다`},
		{`{"op":"produce","producer":"p9","topic":"orders","value":"x"}`, `There is no producer “p9”. Start it first.`, `프로듀서 “p9”이(가) 없습니다`},
		{`{"op":"broker_crash","broker":4}`, `There is no broker 4: this cluster has brokers 1 to 1.`, `브로커 4은(는) 없습니다`},
		{`{"op":"controller_crash","controller":3}`, `There is no controller 3: the quorum has voters 1 to 1.`, `컨트롤러 3은(는) 없습니다`},
		{`{"op":"network_partition","isolate":["broker-7"]}`, `There is no node “broker-7”`, `노드 “broker-7”이(가) 없습니다`},
		{`{"op":"add_partitions","topic":"orders","partitions":2}`, `Topic “orders” already has 2 partitions. Partitions can only be added: ask for more than 2.`, `파티션이 2개입니다`},
		{`{"op":"produce","producer":"p","topic":"orders","partition":5,"value":"x"}`, `there is no partition 5`, `파티션 5은(는) 없습니다`},
		{`{"op":"consumer_start","consumer":"a b","topics":["orders"]}`, `The name “a b” cannot be used`, `이름 “a b”은(는) 쓸 수 없습니다`},
		{`{"op":"producer_start","producer":"q","configs":{"linger.ms":"soon"}}`, `linger.ms=soon cannot be used: it must be a whole number.`, `linger.ms=soon 값은 쓸 수 없습니다: 정수여야 합니다.`},
		{`{"op":"producer_start","producer":"q","configs":{"acks":"2"}}`, `acks=2 cannot be used: it must be one of`, `acks=2 값은 쓸 수 없습니다: 다음 중 하나여야 합니다`},
		{`{"op":"producer_start","producer":"q","configs":{"linger":"5"}}`, `linger is not a producer config this playground knows`, `linger은(는) 이 플레이그라운드가 아는 프로듀서 설정이 아닙니다`},
		{`{"op":"create_topic","topic":"t","configs":{"segment.bytes":"500"}}`, `segment.bytes=500 cannot be used: it must be at least 1048576 (KIP-1030; for small segments in the playground use internal.segment.bytes`, `segment.bytes=500 값은 쓸 수 없습니다: 1048576 이상이어야 합니다 (KIP-1030. 플레이그라운드에서 작은 세그먼트를 보려면 Kafka의 내부 테스트용 설정인 internal.segment.bytes`},
		{`{"op":"create_topic","topic":"t","configs":{"min.cleanable.dirty.ratio":"1.5"}}`, `min.cleanable.dirty.ratio=1.5 cannot be used: it must be at most 1.`, `min.cleanable.dirty.ratio=1.5 값은 쓸 수 없습니다: 1 이하여야 합니다.`},
		{`{"op":"create_topic","topic":"t","configs":{"cleanup.policy":"compact,compact"}}`, `cleanup.policy lists a value twice.`, `cleanup.policy에 같은 값이 두 번 있습니다.`},
		{`{"op":"create_topic","topic":"t","configs":{"segment.byte":"1048576"}}`, `segment.byte is not a topic config this playground knows`, `segment.byte은(는) 이 플레이그라운드가 아는 토픽 설정이 아닙니다`},
		{`{"op":"create_topic","topic":"t","partitions":0}`, `partitions must be at least 1 (you gave 0).`, `partitions은(는) 1 이상이어야 합니다`},
		{`{"op":"produce","producer":"p","topic":"orders","count":5,"rate":"fast"}`, `“fast” is not a number the engine can read`, `“fast”은(는) 엔진이 읽을 수 있는 수가 아닙니다`},
		{`{"op":"consumer_start","consumer":"c2","topics":["orders"],"process":"10ms"}`, `need a consumer group: fill in Group`, `컨슈머 그룹이 필요합니다`},
	}
	for _, c := range cases {
		raw := engineRefusal(t, c.cmd)
		for _, l := range []struct{ locale, want string }{{"en", c.en}, {"ko", c.ko}} {
			setLocale(l.locale)
			got := PlainEngineError(raw)
			if !strings.Contains(got, l.want) {
				t.Errorf("%s (%s)\n engine: %s\n    got: %s\n   want: …%s…", c.cmd, l.locale, raw, got, l.want)
			}
			if strings.Contains(got, "api:") || strings.Contains(got, "command 1") || strings.Contains(got, "%!") {
				t.Errorf("%s (%s): the request prefix or a format error remains: %s", c.cmd, l.locale, got)
			}
		}
	}
	// One it does not know keeps the engine's reason, prefix stripped.
	setLocale("en")
	if got := PlainEngineError(`api: apply: command 2: heal: the moon is in the way`); got != "The engine refused this: the moon is in the way" {
		t.Errorf("unknown refusal: %q", got)
	}
}

// TestFormCommandsParse: every form builds a command the engine's parser
// accepts, with the new fields (rate, tombstone, controller, isolate).
func TestFormCommandsParse(t *testing.T) {
	a := &App{Forms: defaultForms(), More: defaultMoreForms()}
	a.F.Snap.Topics = []view.TopicSnapshot{{Name: "clicks"}}
	a.F.Snap.Producers = []view.ProducerSnapshot{{Name: "eager"}}
	a.F.Snap.Brokers = []view.BrokerSnapshot{{ID: 1}, {ID: 2}}
	a.F.Snap.Quorum = []view.VoterSnapshot{{ID: 3}, {ID: 1}, {ID: 2}}
	a.F.Snap.Consumers = []view.ConsumerSnapshot{{Name: "slow"}}

	// Lesson 2: tens of thousands at 20000/s.
	a.Forms.Count, a.Forms.Rate = "40000", "20000"
	cmds, err := a.ProduceCommands()
	if err != nil || cmds[0].Rate != "20000/s" || *cmds[0].Count != 40000 {
		t.Fatalf("produce at 20000/s: %v %v", cmds, err)
	}
	parses(t, cmds[0])
	a.Forms.Rate = ""
	if cmds, _ := a.ProduceCommands(); cmds[0].Rate != "1000/s" {
		t.Fatalf("an empty rate is %v, want 1000/s", cmds[0].Rate)
	}
	a.Forms.Rate = "12.5/s"
	if cmds, _ := a.ProduceCommands(); cmds[0].Rate != "12.5/s" {
		t.Fatalf("rate 12.5/s is %v", cmds[0].Rate)
	}
	for _, bad := range []string{"0", "-5", "fast", "100001", "NaN"} {
		a.Forms.Rate = bad
		if _, err := a.ProduceCommands(); err == nil {
			t.Errorf("rate %q accepted", bad)
		}
	}
	a.Forms.Rate = ""

	// Lesson 6: a tombstone is a JSON null value.
	a.Forms.Count, a.Forms.Key, a.Forms.Tombstone = "1", "user-1", true
	cmds, _ = a.ProduceCommands()
	b, _ := json.Marshal(cmds[0])
	if !strings.Contains(string(b), `"value":null`) {
		t.Fatalf("tombstone: %s", b)
	}
	parses(t, cmds[0])

	// Lesson 11: the picked voter; the first by id by default.
	if a.ControllerName() != 1 {
		t.Fatalf("default controller %d", a.ControllerName())
	}
	a.Forms.Controller = "2"
	parses(t, Cmd{Op: "controller_crash", Controller: ptr(a.ControllerName())})
	if a.ControllerName() != 2 {
		t.Fatalf("picked controller %d", a.ControllerName())
	}

	// Lesson 5: any node can be cut off; the first broker by default.
	if a.IsolateName() != "broker-1" {
		t.Fatalf("default isolate %q", a.IsolateName())
	}
	a.Forms.Isolate = "consumer-slow"
	if a.IsolateName() != "consumer-slow" {
		t.Fatalf("picked isolate %q", a.IsolateName())
	}
	parses(t, Cmd{Op: "network_partition", Isolate: []string{a.IsolateName()}})
	parses(t, Cmd{Op: "controller_restart", Controller: ptr(3)})
}

func TestNextFreeName(t *testing.T) {
	taken := map[string]bool{"c1": true, "c2": true, "c4": true, "app": true, "app2": true}
	for name, want := range map[string]string{"c1": "c3", "c4": "c5", "app": "app3", "x": "x2", "c9": "c10"} {
		if got := nextFreeName(name, func(n string) bool { return taken[n] }); got != want {
			t.Errorf("after %s: %s, want %s", name, got, want)
		}
	}
}

// TestConsumerActionsApart: in lesson 13's crash and subscription steps,
// which do not let the learner start a consumer, the consumer actions are
// shown; and in the page they are not inside the new-consumer panel.
func TestConsumerActionsApart(t *testing.T) {
	var l *lessons.Lesson
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range all {
		if x.ID == "rebalancing" {
			l = x
		}
	}
	if l == nil {
		t.Fatal("lesson rebalancing not found")
	}
	a := &App{Lesson: &LessonRun{L: l}}
	a.F.Snap.Consumers = []view.ConsumerSnapshot{{Name: "c1"}, {Name: "c2"}}
	for i, s := range l.Steps {
		a.Lesson.Step = i
		can := a.Allows("crash_consumer") || a.Allows("subscribe")
		if a.ConsumerActionsShown() != can {
			t.Errorf("step %d (%s): consumer actions shown %v, step allows them %v", i+1, s.ID, a.ConsumerActionsShown(), can)
		}
		if can && a.Allows("consumer_start") {
			continue
		}
		if can && !a.ConsumerActionsShown() {
			t.Errorf("step %d (%s): no consumer actions", i+1, s.ID)
		}
	}
	// No running consumer: nothing to act on.
	a.Lesson.Step = 1
	a.F.Snap.Consumers = []view.ConsumerSnapshot{{Name: "c1", Stopped: true}}
	if a.ConsumerActionsShown() {
		t.Error("consumer actions shown with no running consumer")
	}

	doc := parseVugu(t, "action-panel.vugu")
	panel, actions := byID(doc, "consumer-panel"), byID(doc, "consumer-actions")
	if panel == nil || actions == nil {
		t.Fatal("consumer-panel or consumer-actions missing")
	}
	for n := actions.Parent; n != nil; n = n.Parent {
		if n == panel {
			t.Fatal("#consumer-actions is inside #consumer-panel")
		}
	}
	for _, id := range []string{"target-consumer", "crash-mode", "consumer-crash", "subscribe-topics", "subscribe-send"} {
		if !inside(byID(doc, id), actions) {
			t.Errorf("#%s is not inside #consumer-actions", id)
		}
	}
}

// TestContractIDs: every element id the click-only e2e relies on is in the
// panels' markup exactly once, and every form error is an alert.
func TestContractIDs(t *testing.T) {
	ids := map[string]int{}
	var src strings.Builder
	for _, f := range []string{"action-panel.vugu", "clients.vugu"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
		walk(parseVugu(t, f), func(n *html.Node) {
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
		})
	}
	for _, id := range []string{"produce-producer", "produce-topic", "produce-key", "produce-value", "produce-tombstone",
		"produce-hkey", "produce-hval", "produce-partition", "produce-count", "produce-rate", "produce-send",
		"producer-name", "producer-configs", "producer-start", "addparts-topic", "addparts-count", "addparts-send",
		"topic-name", "topic-partitions", "topic-rf", "topic-create", "consumer-name", "consumer-group", "consumer-reset",
		"consumer-topics", "consumer-process", "consumer-commit", "consumer-output", "consumer-configs", "consumer-start",
		"consumer-actions", "target-consumer", "crash-mode", "consumer-crash", "subscribe-topics", "subscribe-send",
		"fault-broker", "fault-crash", "fault-power", "fault-restart", "fault-torn", "fault-pause", "fault-resume",
		"preferred-election", "fault-controller", "controller-crash", "controller-restart", "isolate-node", "fault-isolate",
		"fault-heal", "elr-off", "elr-on", "link-from", "link-to", "link-drop", "link-delay", "link-both", "link-send"} {
		switch ids[id] {
		case 1:
		case 0:
			t.Errorf("#%s is missing", id)
		default:
			t.Errorf("#%s appears %d times", id, ids[id])
		}
	}
	// The clients' ids: one prefix per kind, so a producer and a consumer
	// of the same name do not clash.
	for _, p := range []string{`"flush-" + p.Name`, `"close-producer-" + p.Name`, `"close-consumer-" + k.Name`, `"commit-" + k.Name`} {
		if !strings.Contains(src.String(), p) {
			t.Errorf("clients.vugu has no id %s", p)
		}
	}
	b, _ := os.ReadFile("form-error-note.vugu")
	if n := findClass(parseVugu(t, "form-error-note.vugu"), "form-error"); n == nil || attr(n, "role") != "alert" {
		t.Errorf("form-error-note.vugu: no .form-error with role=alert:\n%s", b)
	}
}

// parseVugu parses a component's markup.
func parseVugu(t *testing.T, name string) *html.Node {
	t.Helper()
	f, err := os.Open(filepath.Clean(name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func byID(doc *html.Node, id string) (found *html.Node) {
	walk(doc, func(n *html.Node) {
		if found == nil && attr(n, "id") == id {
			found = n
		}
	})
	return found
}

func findClass(doc *html.Node, class string) (found *html.Node) {
	walk(doc, func(n *html.Node) {
		if found == nil && n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ") {
			found = n
		}
	})
	return found
}

func inside(n, ancestor *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == ancestor {
			return true
		}
	}
	return false
}
