package api

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func call(t *testing.T, e *Engine, req string) map[string]json.RawMessage {
	t.Helper()
	var out map[string]json.RawMessage
	if err := json.Unmarshal(e.Call([]byte(req)), &out); err != nil {
		t.Fatalf("reply to %s is not JSON: %v", req, err)
	}
	return out
}

func mustResult(t *testing.T, e *Engine, req string) json.RawMessage {
	t.Helper()
	out := call(t, e, req)
	if _, bad := out["error"]; bad {
		t.Fatalf("%s: unexpected error %s", req, out["error"])
	}
	return out["result"]
}

func openExample(t *testing.T) *Engine {
	t.Helper()
	sc, err := os.ReadFile("../cluster/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	e := New(Options{})
	mustResult(t, e, `{"method":"open","params":`+string(sc)+`}`)
	mustResult(t, e, `{"method":"advance","params":{"to":"1500ms"}}`)
	return e
}

// state fingerprints everything observable: snapshot with records + trace hash.
func state(t *testing.T, e *Engine) string {
	return string(mustResult(t, e, `{"method":"snapshot","params":{"records":true}}`)) + string(mustResult(t, e, `{"method":"trace_hash"}`))
}

// TestMalformedRequestsAreRejectedAndChangeNothing covers every class of bad
// input: each gets an error naming the problem and the state is untouched.
func TestMalformedRequestsAreRejectedAndChangeNothing(t *testing.T) {
	cases := []struct {
		name, req, code, mention string
	}{
		{"empty", ``, CodeInvalidRequest, "not a JSON object"},
		{"bad json", `{"method":`, CodeInvalidRequest, "not a JSON object"},
		{"not an object", `[1,2]`, CodeInvalidRequest, "not a JSON object"},
		{"trailing data", `{"method":"snapshot"} {}`, CodeInvalidRequest, "unexpected data"},
		{"unknown envelope field", `{"method":"snapshot","parms":{}}`, CodeInvalidRequest, "parms"},
		{"missing method", `{"params":{}}`, CodeInvalidRequest, "missing \"method\""},
		{"unknown method", `{"method":"explode"}`, CodeUnknownMethod, "explode"},
		{"method wrong type", `{"method":7}`, CodeInvalidRequest, "method"},
		{"unknown op", `{"method":"apply","params":{"commands":[{"op":"teleport"}]}}`, CodeInvalidParams, "unknown op \"teleport\""},
		{"missing op", `{"method":"apply","params":{"commands":[{"topic":"orders"}]}}`, CodeInvalidParams, "missing \"op\""},
		{"unknown field", `{"method":"apply","params":{"commands":[{"op":"produce","producer":"p1","topic":"orders","colour":"red"}]}}`, CodeInvalidParams, "unknown field \"colour\""},
		{"wrong type", `{"method":"apply","params":{"commands":[{"op":"produce","producer":"p1","topic":"orders","count":"ten"}]}}`, CodeInvalidParams, "count"},
		{"negative count", `{"method":"apply","params":{"commands":[{"op":"produce","producer":"p1","topic":"orders","count":-5}]}}`, CodeInvalidParams, "count must be at least 1"},
		{"unknown topic", `{"method":"apply","params":{"commands":[{"op":"produce","producer":"p1","topic":"nope","value":"x"}]}}`, CodeInvalidParams, "unknown topic \"nope\""},
		{"unknown producer", `{"method":"apply","params":{"commands":[{"op":"produce","producer":"ghost","topic":"orders"}]}}`, CodeInvalidParams, "unknown producer \"ghost\""},
		{"unknown broker", `{"method":"apply","params":{"commands":[{"op":"broker_crash","broker":9}]}}`, CodeInvalidParams, "unknown broker 9"},
		{"bad config name", `{"method":"apply","params":{"commands":[{"op":"producer_start","producer":"p2","configs":{"lingr.ms":"5"}}]}}`, CodeInvalidParams, "lingr.ms"},
		{"bad config value", `{"method":"apply","params":{"commands":[{"op":"producer_start","producer":"p2","configs":{"acks":"2"}}]}}`, CodeInvalidParams, "acks"},
		{"bad template", `{"method":"apply","params":{"commands":[{"op":"produce","producer":"p1","topic":"orders","key":"k{j}"}]}}`, CodeInvalidParams, "{j}"},
		{"one bad command rejects all", `{"method":"apply","params":{"commands":[{"op":"produce","producer":"p1","topic":"orders","value":"ok"},{"op":"broker_crash","broker":0}]}}`, CodeInvalidParams, "command 2"},
		{"past time", `{"method":"apply","params":{"commands":[{"at":"1s","op":"heal"}]}}`, CodeInvalidParams, "in the past"},
		{"empty commands", `{"method":"apply","params":{"commands":[]}}`, CodeInvalidParams, "at least one"},
		{"advance nothing", `{"method":"advance","params":{}}`, CodeInvalidParams, "exactly one"},
		{"advance negative", `{"method":"advance","params":{"by":"-1s"}}`, CodeInvalidParams, "negative"},
		{"advance bad duration", `{"method":"advance","params":{"by":"soon"}}`, CodeInvalidParams, "soon"},
		{"advance backwards", `{"method":"advance","params":{"to":"1s"}}`, CodeInvalidParams, "in the past"},
		{"advance too far", `{"method":"advance","params":{"by":"48h"}}`, CodeInvalidParams, "at most"},
		{"snapshot bad param", `{"method":"snapshot","params":{"records":"yes"}}`, CodeInvalidParams, "records"},
		{"events negative", `{"method":"events","params":{"after":-3}}`, CodeInvalidParams, "negative"},
		{"open without params", `{"method":"open"}`, CodeInvalidParams, "scenario"},
		{"open bad scenario", `{"method":"open","params":{"seed":1,"cluster":{"brokers":0}}}`, CodeInvalidParams, "brokers must be between 1 and 9"},
		{"open bad step", `{"method":"open","params":{"seed":1,"cluster":{"brokers":1},"steps":[{"at":"0s","op":"create_topic","topic":"a"},{"at":"1s","op":"produce","producer":"p","topic":"a"}]}}`, CodeInvalidParams, "step 2"},
		{"open negative seed", `{"method":"open","params":{"seed":-1,"cluster":{"brokers":1}}}`, CodeInvalidParams, "seed"},
		{"open files unavailable", `{"method":"open","params":{"cluster":{"brokers":1,"storage":"files"}}}`, CodeStorage, "files"},
	}
	e := openExample(t)
	before := state(t, e)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := call(t, e, c.req)
			raw, ok := out["error"]
			if !ok {
				t.Fatalf("%s: expected an error, got %s", c.req, out["result"])
			}
			var er Error
			if err := json.Unmarshal(raw, &er); err != nil {
				t.Fatal(err)
			}
			if er.Code != c.code || !strings.Contains(er.Message, c.mention) {
				t.Fatalf("%s:\n got %s: %s\nwant %s mentioning %q", c.req, er.Code, er.Message, c.code, c.mention)
			}
			if after := state(t, e); after != before {
				t.Fatalf("%s changed the engine state", c.req)
			}
		})
	}
}

func TestMethodsNeedAnOpenScenario(t *testing.T) {
	e := New(Options{})
	for _, m := range []string{"apply", "advance", "snapshot", "trace_hash", "events"} {
		out := call(t, e, `{"method":"`+m+`","params":{}}`)
		if !strings.Contains(string(out["error"]), CodeNotOpen) {
			t.Errorf("%s without open: %s", m, out["error"])
		}
	}
	if _, ok := call(t, e, `{"method":"configs","params":{"scope":"producer"}}`)["result"]; !ok {
		t.Error("configs should work without a scenario")
	}
}

func TestSameSeedTwiceGivesIdenticalTraces(t *testing.T) {
	lines := func() []string {
		a := openExample(t)
		mustResult(t, a, `{"method":"advance","params":{"to":"end"}}`)
		var res struct {
			Events []json.RawMessage `json:"events"`
		}
		var all []string
		after := 0
		for {
			r := mustResult(t, a, `{"method":"events","params":{"after":`+itoa(after)+`}}`)
			res.Events = nil
			if err := json.Unmarshal(r, &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Events) == 0 {
				break
			}
			for _, ev := range res.Events {
				all = append(all, string(ev))
			}
			after += len(res.Events)
		}
		return append(all, string(mustResult(t, a, `{"method":"trace_hash"}`)))
	}
	one, two := lines(), lines()
	if len(one) != len(two) {
		t.Fatalf("runs differ in length: %d vs %d events", len(one), len(two))
	}
	for i := range one {
		if one[i] != two[i] {
			t.Fatalf("runs diverge at event %d:\n%s\n%s", i, one[i], two[i])
		}
	}
	if len(one) < 100 {
		t.Fatalf("only %d events: the scenario did not run", len(one))
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// FuzzCall feeds arbitrary requests to a live engine: it must always reply
// with a JSON envelope and never panic.
func FuzzCall(f *testing.F) {
	for _, s := range []string{``, `{}`, `null`, `{"method":"open","params":{"seed":3,"cluster":{"brokers":2},"steps":[{"at":"0s","op":"create_topic","topic":"t","partitions":2}]}}`,
		`{"method":"apply","params":{"commands":[{"op":"produce","producer":"p","topic":"t"}]}}`, `{"method":"advance","params":{"by":"10ms"}}`,
		`{"method":"snapshot","params":{"records":true}}`, `{"method":"events","params":{"after":1,"max":2,"kinds":["x"]}}`,
		`{"method":"apply","params":{"commands":[{"op":"network_partition","isolate":["1"]}]}}`, `{"method":"advance","params":{"steps":3}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, req []byte) {
		e := New(Options{})
		e.Call([]byte(`{"method":"open","params":{"seed":3,"cluster":{"brokers":2},"steps":[{"at":"0s","op":"create_topic","topic":"t","partitions":2},{"at":"0s","op":"producer_start","producer":"p"}]}}`))
		for _, r := range [][]byte{req, []byte(`{"method":"advance","params":{"by":"50ms"}}`), []byte(`{"method":"snapshot","params":{}}`)} {
			var out map[string]json.RawMessage
			if err := json.Unmarshal(e.Call(r), &out); err != nil {
				t.Fatalf("reply is not JSON: %v", err)
			}
			_, okR := out["result"]
			_, okE := out["error"]
			if okR == okE {
				t.Fatalf("reply must hold exactly one of result/error: %v", out)
			}
			if okE && strings.Contains(string(out["error"]), CodeInternal) {
				t.Fatalf("internal error on %q: %s", r, out["error"])
			}
		}
	})
}

// The events reply carries the trace's canonical lines: byte for byte what
// json.Marshal of the kept events gives, filtered and bounded the same way.
func TestEventsReplyIsJSONMarshalOfTheEvents(t *testing.T) {
	e := openExample(t)
	total := e.cluster.Trace.Count()
	for _, req := range []struct {
		params string
		after  int64
		max    int
		kinds  []string
	}{
		{`{"after":0}`, 0, 5000, nil},
		{`{"after":3,"max":7}`, 3, 7, nil},
		{`{"after":1,"max":4,"kinds":["appended","produce_acked"]}`, 1, 4, []string{"appended", "produce_acked"}},
		{`{"after":100000}`, 100000, 5000, nil},
		// newest: more than max after "after" skips to the newest max;
		// within max, or with kinds, it changes nothing.
		{`{"after":2,"max":5,"newest":true}`, total - 5, 5, nil},
		{`{"after":` + itoa(int(total-3)) + `,"max":5,"newest":true}`, total - 3, 5, nil},
		{`{"after":1,"max":4,"kinds":["appended","produce_acked"],"newest":true}`, 1, 4, []string{"appended", "produce_acked"}},
	} {
		if total < 10 {
			t.Fatalf("the example has %d events: the newest cases test nothing", total)
		}
		got := e.Call([]byte(`{"method":"events","params":` + req.params + `}`))
		want := []any{}
		last := req.after
		all, truncated := e.cluster.Trace.Since(req.after, 0)
		for _, ev := range all {
			if len(want) == req.max {
				break
			}
			last = ev.Seq
			if len(req.kinds) == 0 || ev.Kind == req.kinds[0] || ev.Kind == req.kinds[len(req.kinds)-1] {
				want = append(want, ev)
			}
		}
		if req.after == 1 && len(want) == 0 {
			t.Fatal("no appended or produce_acked event: the kinds case tests nothing")
		}
		wantJSON, _ := json.Marshal(map[string]any{"result": map[string]any{"events": want, "last": last, "truncated": truncated,
			"dropped": e.cluster.Trace.Dropped(), "total": e.cluster.Trace.Count()}})
		if string(got) != string(wantJSON) {
			t.Errorf("events %s:\n got %.300s\nwant %.300s", req.params, got, wantJSON)
		}
	}
}

// BenchmarkEventsReply is one events request of 5,000 events (what the UI
// asks per frame when behind) against json.Marshal of the same events,
// which the reply used before.
func BenchmarkEventsReply(b *testing.B) {
	sc, err := os.ReadFile("../cluster/testdata/speed/1k.json")
	if err != nil {
		b.Fatal(err)
	}
	e := New(Options{})
	if out := e.Call([]byte(`{"method":"open","params":` + string(sc) + `}`)); strings.Contains(string(out), `"error"`) {
		b.Fatal(string(out))
	}
	e.Call([]byte(`{"method":"advance","params":{"to":"10s"}}`))
	after := e.cluster.Trace.Count() - 5000
	req := []byte(`{"method":"events","params":{"after":` + itoa(int(after)) + `}}`)
	b.Run("reply", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e.Call(req)
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		evs, _ := e.cluster.Trace.Since(after, 0)
		for b.Loop() {
			json.Marshal(map[string]any{"result": map[string]any{"events": evs}})
		}
	})
}

// TestYieldChangesNothing advances with and without Options.Yield: the same
// state and reply, and Yield is called.
func TestYieldChangesNothing(t *testing.T) {
	sc, err := os.ReadFile("../cluster/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	run := func(opts Options) (string, string) {
		e := New(opts)
		mustResult(t, e, `{"method":"open","params":`+string(sc)+`}`)
		reply := string(mustResult(t, e, `{"method":"advance","params":{"to":"end"}}`))
		return reply, state(t, e)
	}
	yields := 0
	plainReply, plainState := run(Options{})
	reply, st := run(Options{Yield: func() { yields++ }})
	if reply != plainReply || st != plainState {
		t.Fatalf("advance with Yield differs:\n%s\n%s", reply, plainReply)
	}
	if yields == 0 {
		t.Fatal("Yield was never called")
	}
}
