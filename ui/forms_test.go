package ui

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func TestProduceCommands(t *testing.T) {
	a := &App{Forms: Forms{Key: "user-1", Value: "v", HKey: " trace ", HVal: "42", Partition: "2", Count: "5"}}
	a.F.Snap.Topics = []view.TopicSnapshot{{Name: "__consumer_offsets"}, {Name: "orders"}}
	cmds, err := a.ProduceCommands()
	if err != nil {
		t.Fatal(err)
	}
	want := []Cmd{
		{Op: "producer_start", Producer: learnerProducer},
		{Op: "produce", Producer: learnerProducer, Topic: "orders", Key: ptr("user-1"), Value: ptr("v"),
			Headers: map[string]string{"trace": "42"}, Partition: ptr(2), Count: ptr(5), Rate: "1000/s"},
	}
	if !reflect.DeepEqual(cmds, want) {
		t.Fatalf("commands\n got %v\nwant %v", cmds, want)
	}

	// A scenario's producer is used; an empty key means no key; count 1 sends one.
	a.F.Snap.Producers = []view.ProducerSnapshot{{Name: "p1"}}
	a.Forms = Forms{Value: "x", Count: "1"}
	cmds, err = a.ProduceCommands()
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) != 1 || cmds[0].Producer != "p1" || cmds[0].Key != nil || cmds[0].Count != nil {
		t.Fatalf("commands %v", cmds)
	}

	for _, bad := range []Forms{{Partition: "-1"}, {Partition: "x"}, {Count: "0"}, {Count: "1000001"}} {
		a.Forms = bad
		if _, err := a.ProduceCommands(); err == nil {
			t.Errorf("form %+v accepted", bad)
		}
	}
	a.F.Snap.Topics = nil
	a.Forms = Forms{}
	if _, err := a.ProduceCommands(); err == nil {
		t.Error("produced with no topic")
	}
}

func TestSandboxScenario(t *testing.T) {
	base := json.RawMessage(`{"seed": 1, "cluster": {"brokers": 3, "configs": {"a": "b"}}, "steps": []}`)
	sc, err := SandboxScenario(base, 5, 3, 42)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(sc, &got); err != nil {
		t.Fatal(err)
	}
	cl := got["cluster"].(map[string]any)
	if got["seed"] != 42.0 || cl["brokers"] != 5.0 || cl["controllers"] != 3.0 || cl["configs"].(map[string]any)["a"] != "b" {
		t.Errorf("scenario %s", sc)
	}
	if sc, err := SandboxScenario(nil, 1, 0, 0); err != nil || string(sc) != `{"cluster":{"brokers":1,"controllers":1,"storage":"files"},"seed":0,"steps":[]}` {
		t.Errorf("no base, no voter count: %s %v", sc, err)
	}
}

func TestSandboxControllersSelect(t *testing.T) {
	a := &App{Sandbox: SandboxSetup{Brokers: 3, Controllers: 1}}
	for _, v := range []string{"2", "0", "7", "x"} {
		a.SetSandboxControllers(v)
		if a.Sandbox.Controllers != 1 {
			t.Fatalf("%q set %d KRaft voters; only 1, 3 or 5 are allowed", v, a.Sandbox.Controllers)
		}
	}
	a.SetSandboxControllers("5")
	if a.Sandbox.Controllers != 5 {
		t.Errorf("5 voters: got %d", a.Sandbox.Controllers)
	}
}

func TestLogRows(t *testing.T) {
	p := int32(1)
	evs := []view.Event{
		{Seq: 1, TimeUS: 1500, Kind: "a", Node: "broker-1", Msg: "one"},
		{Seq: 2, TimeUS: 2500, Kind: "b", Node: "broker-2", Topic: "t", Partition: &p},
		{Seq: 3, TimeUS: -3_000_000, Kind: "a", Node: "broker-2", Msg: "three <b>"},
	}
	data := []json.RawMessage{nil, json.RawMessage(`{"x":1}`), nil}
	rows := LogFilter{}.Rows(evs, data)
	if len(rows) != 2 || rows[0].Key != 3 || rows[1].Key != 1 {
		t.Fatalf("rows %+v: want events 3 and 1, newest first, the quiet one hidden", rows)
	}
	if rows[0].Time != "−3.000 s" || rows[1].Time != "0.001 s" {
		t.Errorf("times %q %q", rows[0].Time, rows[1].Time)
	}
	rows = LogFilter{Quiet: true, Node: "broker-2"}.Rows(evs, data)
	if len(rows) != 2 || rows[1].Msg != `{"x":1}` || rows[1].Where != "t-1" {
		t.Fatalf("quiet rows %+v", rows)
	}
	if html := LogHTML(rows); !strings.Contains(html, "three &lt;b&gt;") || strings.Contains(html, "<b>") {
		t.Errorf("log markup not escaped: %s", html)
	}
	if rows := (LogFilter{Kind: "b"}).Rows(evs, data); len(rows) != 0 {
		t.Errorf("kind b without quiet: %+v", rows)
	}
}

func TestPlotLines(t *testing.T) {
	var s Series
	for i := int64(0); i <= 20; i++ {
		// 100 records/s produced, 50/s consumed (30 by a consumer, 20
		// delivered to a share consumer), lag grows.
		snap := view.Snapshot{TimeUS: i * 500_000,
			Producers:      []view.ProducerSnapshot{{Acked: i * 50}},
			Consumers:      []view.ConsumerSnapshot{{Consumed: i * 15, Lag: map[string]int64{"t-0": i * 25}}},
			ShareConsumers: []view.ShareConsumerSnapshot{{Delivered: i * 10}}}
		s.Add(snap)
		s.Add(snap) // a second sample at the same time is ignored
	}
	if len(s.Samples) != 21 {
		t.Fatalf("%d samples", len(s.Samples))
	}
	l := s.Lines(10_000_000)
	if l.Empty || l.ProduceNow != 100 || l.ConsumeNow != 50 || l.LagNow != 500 || l.MaxRate != 100 || l.MaxLag != 500 {
		t.Fatalf("lines %+v", l)
	}
	// Going back in time (a replay) starts over.
	s.Add(view.Snapshot{TimeUS: 0})
	if len(s.Samples) != 1 {
		t.Errorf("after a replay %d samples", len(s.Samples))
	}
}
