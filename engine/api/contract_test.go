package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/view"
)

var updateReplies = flag.Bool("update-replies", false, "rewrite testdata/replies.golden")

// contractScript calls every method, with its errors, on a small cluster;
// each line's reply decodes into the contract type named beside it.
var contractScript = []struct{ req, typ string }{
	{`{"method":"configs","params":{"scope":"producer"}}`, "configs"},
	{`{"method":"snapshot","params":{}}`, "error"},
	{`{"method":"open","params":{"seed":7,"cluster":{"brokers":3},"steps":[` +
		`{"at":"0s","op":"create_topic","topic":"orders","partitions":2,"replication_factor":3},` +
		`{"at":"0s","op":"producer_start","producer":"p"},` +
		`{"at":"100ms","op":"produce","producer":"p","topic":"orders","key":"k{i%3}","value":"v{i}","count":20,"rate":"100/s"},` +
		`{"at":"200ms","op":"consumer_start","consumer":"c","topics":["orders"],"configs":{"group.id":"g","auto.offset.reset":"earliest"}},` +
		`{"at":"10s","op":"end"}]}}`, "open"},
	{`{"method":"advance","params":{"by":"500ms"}}`, "advance"},
	{`{"method":"advance","params":{"steps":3}}`, "advance"},
	{`{"method":"apply","params":{"commands":[{"op":"broker_crash","broker":2}]}}`, "apply"},
	{`{"method":"apply","params":{"commands":[{"op":"broker_crash","broker":9}]}}`, "error"},
	{`{"method":"advance","params":{"to":"3s"}}`, "advance"},
	{`{"method":"advance","params":{"to":"1s"}}`, "error"},
	{`{"method":"snapshot","params":{"records":true,"max_records":4,"internal":false}}`, "snapshot"},
	{`{"method":"snapshot","params":{"topics":["orders"],"records":true,"records_from":2}}`, "snapshot"},
	{`{"method":"events","params":{"after":0,"max":12}}`, "events"},
	{`{"method":"events","params":{"after":5,"kinds":["leader_elected","broker_crashed"]}}`, "events"},
	{`{"method":"trace_hash"}`, "trace_hash"},
	{`{"method":"check_disk"}`, "error"},
	{`{"method":"advance","params":{"to":"end"}}`, "advance"},
	{`{"method":"nope"}`, "error"},
	{`[1,2]`, "error"},
}

// TestRepliesMatchTheContract plays contractScript and checks every reply
// against testdata/replies.golden byte for byte (the wire does not change),
// and that decoding it into its contract type, strictly, and encoding that
// again gives the same bytes (the types say all the wire says, in its order).
func TestRepliesMatchTheContract(t *testing.T) {
	e := New(Options{})
	var got bytes.Buffer
	for _, step := range contractScript {
		reply := e.Call([]byte(step.req))
		got.WriteString(step.req + "\n" + string(reply) + "\n\n")
		var env contract.Reply
		if err := strictDecode(reply, &env); err != nil {
			t.Fatalf("%s: the envelope does not decode: %v", step.req, err)
		}
		if (env.Error != nil) != (step.typ == "error") {
			t.Fatalf("%s: reply %s, want a %s", step.req, reply, step.typ)
		}
		var v any
		switch step.typ {
		case "error":
			v = env.Error
		case "configs":
			v = &contract.ConfigsReply{}
		case "open":
			v = &contract.OpenReply{}
		case "advance":
			v = &contract.AdvanceReply{}
		case "apply":
			v = &contract.ApplyReply{}
		case "snapshot":
			v = &view.Snapshot{}
		case "events":
			v = &contract.EventsReply[view.Event]{}
		case "trace_hash":
			v = &contract.TraceHashReply{}
		}
		if step.typ != "error" {
			if err := strictDecode(env.Result, v); err != nil {
				t.Errorf("%s: the result does not decode into %T: %v", step.req, v, err)
				continue
			}
		}
		again, err := json.Marshal(contract.Reply{Error: env.Error, Result: env.Result})
		if err != nil {
			t.Fatal(err)
		}
		if step.typ != "error" {
			if again, err = json.Marshal(map[string]any{"result": v}); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(again, reply) {
			t.Errorf("%s: through %T the reply becomes\n%s\nwant\n%s", step.req, v, again, reply)
		}
	}
	const golden = "testdata/replies.golden"
	if *updateReplies {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		g, w := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Fatalf("reply line %d differs from %s:\n got %.400s\nwant %.400s", i+1, golden, g[i], w[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", golden, len(g), len(w))
	}
}
