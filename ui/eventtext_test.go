package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/wasm/host"
)

// engineKinds scans the engine's sources for every event kind it can emit:
// the first argument of every call named emit or Emit, the Kind field of
// every composite literal, and the kind argument of any function whose
// parameter is named kind (such as the controller's traceEvent). A kind
// given by a variable is resolved to the string literals assigned to it in
// the same function; a variable that is a parameter of its function makes
// that function a forwarder whose callers are scanned instead. Anything
// else fails the test, so a new way of emitting cannot slip by.
func engineKinds(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir("../engine", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Forwarders: emit, Emit, and every function that passes its parameter
	// named kind on to a forwarder or into an Event's Kind (to a fixpoint).
	forwarders := map[string]int{"emit": 0, "Emit": 0}
	for changed := true; changed; {
		changed = false
		for _, f := range files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				if _, done := forwarders[fd.Name.Name]; done {
					continue
				}
				if i := paramIndex(fd, "kind"); i >= 0 && forwardsKind(fd, forwarders) {
					forwarders[fd.Name.Name] = i
					changed = true
				}
			}
		}
	}
	kinds := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			resolve := func(x ast.Expr) {
				pos := fset.Position(x.Pos()).String()
				switch v := x.(type) {
				case *ast.BasicLit:
					if v.Kind == token.STRING {
						s, _ := strconv.Unquote(v.Value)
						kinds[s] = pos
						return
					}
				case *ast.Ident:
					if isParam(fd, v.Name) {
						return // a forwarder: its callers pass the kind
					}
					lits := assignedLiterals(fd, v.Name)
					if len(lits) > 0 {
						for _, s := range lits {
							kinds[s] = pos
						}
						return
					}
				}
				t.Errorf("%s: cannot tell which event kind this is; emit a string literal or assign one to a variable in the same function", pos)
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					name := ""
					switch fn := x.Fun.(type) {
					case *ast.SelectorExpr:
						name = fn.Sel.Name
					case *ast.Ident:
						name = fn.Name
					}
					if i, ok := forwarders[name]; ok && i < len(x.Args) {
						if _, isLit := x.Args[i].(*ast.CompositeLit); !isLit && !(name == "Emit" && len(x.Args) == 1) {
							resolve(x.Args[i])
						}
					}
				case *ast.CompositeLit:
					if !isEventType(x.Type) {
						return true
					}
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Kind" {
								resolve(kv.Value)
							}
						}
					}
				}
				return true
			})
		}
	}
	return kinds
}

// isEventType: trace.Event, view.Event or Event.
func isEventType(x ast.Expr) bool {
	switch v := x.(type) {
	case *ast.SelectorExpr:
		return v.Sel.Name == "Event"
	case *ast.Ident:
		return v.Name == "Event"
	}
	return false
}

// paramIndex is the index of fd's parameter name, or -1.
func paramIndex(fd *ast.FuncDecl, name string) int {
	i := 0
	for _, fld := range fd.Type.Params.List {
		for _, n := range fld.Names {
			if n.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// forwardsKind: fd's body passes the identifier kind to a forwarder or
// into an Event literal's Kind.
func forwardsKind(fd *ast.FuncDecl, forwarders map[string]int) bool {
	isKind := func(x ast.Expr) bool {
		id, ok := x.(*ast.Ident)
		return ok && id.Name == "kind"
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			name := ""
			switch fn := x.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			if i, ok := forwarders[name]; ok && i < len(x.Args) && isKind(x.Args[i]) {
				found = true
			}
		case *ast.CompositeLit:
			if isEventType(x.Type) {
				for _, el := range x.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok && isKind(kv.Value) {
						if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Kind" {
							found = true
						}
					}
				}
			}
		}
		return !found
	})
	return found
}

func isParam(fd *ast.FuncDecl, name string) bool {
	for _, fld := range fd.Type.Params.List {
		for _, n := range fld.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

// assignedLiterals are the string literals assigned to name in fd.
func assignedLiterals(fd *ast.FuncDecl, name string) []string {
	var out []string
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == name {
				if lit, ok := as.Rhs[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
		}
		return true
	})
	return out
}

// TestEveryEventKindHasAFormat: every kind the engine can emit renders
// through a format in every locale, and no format is left for a kind the
// engine no longer emits.
func TestEveryEventKindHasAFormat(t *testing.T) {
	kinds := engineKinds(t)
	if len(kinds) < 90 {
		t.Fatalf("found only %d event kinds in the engine: is the scan still right?", len(kinds))
	}
	for k, pos := range kinds {
		for loc, table := range eventFormats {
			if _, ok := table[k]; !ok {
				t.Errorf("%s: event kind %q has no %s format (add it to eventtext_%s.go)", pos, k, loc, loc)
			}
		}
	}
	for key := range eventEN {
		k, _, _ := strings.Cut(key, "/")
		if _, ok := kinds[k]; !ok {
			t.Errorf("eventEN has %q, but the engine emits no kind %q", key, k)
		}
	}
	t.Logf("%d event kinds, %d formats per locale", len(kinds), len(eventEN))
}

// TestEventFormatsAgree: the locales have the same keys, each variant has
// its kind's plain format, and each format uses the same arguments as the
// English one.
func TestEventFormatsAgree(t *testing.T) {
	args := func(s string) []string {
		var out []string
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		sort.Strings(out)
		return slices.Compact(out)
	}
	for loc, table := range eventFormats {
		for key, f := range table {
			en, ok := eventEN[key]
			if !ok {
				t.Errorf("%s has format %q, English has not", loc, key)
				continue
			}
			if a, b := args(f), args(en); !slices.Equal(a, b) {
				t.Errorf("%s format %q uses %v, English uses %v", loc, key, a, b)
			}
			if strings.Count(f, "{") != strings.Count(f, "}") {
				t.Errorf("%s format %q has unbalanced braces", loc, key)
			}
		}
		for key := range eventEN {
			if _, ok := table[key]; !ok {
				t.Errorf("%s lacks format %q", loc, key)
			}
			if k, v, ok := strings.Cut(key, "/"); ok {
				if _, ok := eventEN[k]; !ok {
					t.Errorf("variant %q has no plain format %q", v, k)
				}
			}
		}
	}
}

// ev builds an event as the engine sends it: data as raw JSON.
func ev(kind, node, topic string, part int32, msg, data string) (view.Event, json.RawMessage) {
	e := view.Event{Kind: kind, Node: node, Topic: topic, Msg: msg}
	if part >= 0 {
		e.Partition = &part
	}
	return e, json.RawMessage(data)
}

func TestEventTextRenders(t *testing.T) {
	cases := []struct {
		kind, node, topic string
		part              int32
		msg, data         string
		en, ko            string
	}{
		{"group_joining", "consumer-c1", "", -1,
			"consumer c1 sends JoinGroup to broker 2: it starts",
			`{"generation":-1,"group":"g1","member_id":"","reason":"it starts"}`,
			"consumer c1 sends JoinGroup to broker 2: it starts",
			"컨슈머 c1: 브로커 2에 JoinGroup 보냄: 시작함"},
		{"produce_rejected", "broker-1", "payments", 0,
			"acks=all needs 2 in-sync replicas but the ISR of payments-0 is [1]",
			`{"error":"NOT_ENOUGH_REPLICAS"}`,
			"broker 1 rejects a produce to payments-0 with NOT_ENOUGH_REPLICAS: acks=all needs 2 in-sync replicas but the ISR of payments-0 is [1]",
			"브로커 1: payments-0에 대한 프로듀스 거부(NOT_ENOUGH_REPLICAS): acks=all에는 동기화 복제본 2개가 필요하지만 payments-0의 ISR은 [1]"},
		{"cluster_started", "", "", -1,
			"a cluster of 3 brokers and 1 KRaft controller starts (seed 18446744073709551615)",
			`{"brokers":3,"controllers":1,"seed":18446744073709551615}`,
			"a cluster of 3 brokers and 1 KRaft controllers starts (seed 18446744073709551615)",
			"브로커 3대와 KRaft 컨트롤러 1대로 클러스터 시작 (시드 18446744073709551615)"},
		{"group_state_changed", "broker-2", "", -1,
			"group g1 starts its first rebalance: member c1-1 joined; it waits group.initial.rebalance.delay.ms=3000 for more members",
			`{"from":"Empty","generation":0,"group":"g1","reason":"member c1-1 joined","to":"PreparingRebalance"}`,
			"group g1 starts its first rebalance: member c1-1 joined; it waits group.initial.rebalance.delay.ms=3000 for more members",
			"그룹 g1 첫 리밸런싱 시작: 멤버 c1-1 참여; 멤버를 더 기다리려고 group.initial.rebalance.delay.ms=3000 동안 대기"},
		{"group_state_changed", "broker-2", "", -1,
			"group g1 is Stable in generation 1: the rebalance took 3.1s",
			`{"from":"CompletingRebalance","generation":1,"group":"g1","rebalance_ms":3100,"to":"Stable"}`,
			"group g1 is Stable in generation 1: the rebalance took 3100 ms",
			"그룹 g1: 제너레이션 1에서 Stable; 리밸런싱에 3100 ms 걸림"},
		{"partition_changed", "controller-1", "t", 2,
			"ISR shrinks: broker [3] fell behind for replica.lag.time.max.ms",
			`{"isr":[1,2],"leader":1,"leader_epoch":4,"previous_leader":1,"unclean":false}`,
			"t-2: ISR [1 2], leader 1, leader epoch 4: ISR shrinks: broker [3] fell behind for replica.lag.time.max.ms",
			"t-2: ISR [1 2], 리더 1, 리더 에포크 4: ISR 축소: 브로커 [3]이(가) replica.lag.time.max.ms 넘게 뒤처짐"},
		{"offsets_committed", "broker-1", "", -1,
			"group g committed t-0=5, t-10=2, t-2=7 (generation 3)",
			`{"generation":3,"group":"g","member_id":"m","offsets":{"t-0":5,"t-10":2,"t-2":7}}`,
			"group g committed t-0=5, t-2=7, t-10=2 (generation 3)",
			"그룹 g: t-0=5, t-2=7, t-10=2 커밋 (제너레이션 3)"},
		{"storage_error", "broker-1", "t", 0,
			"broker 1 cannot append to t-0: quota exceeded",
			``,
			"broker 1 cannot append to t-0: quota exceeded",
			"브로커 1: t-0에 추가할 수 없음: quota exceeded"},
	}
	for _, c := range cases {
		e, raw := ev(c.kind, c.node, c.topic, c.part, c.msg, c.data)
		if got := eventText("en", e, raw); got != c.en {
			t.Errorf("%s in English:\n got %q\nwant %q", c.kind, got, c.en)
		}
		if got := eventText("ko", e, raw); got != c.ko {
			t.Errorf("%s in Korean:\n got %q\nwant %q", c.kind, got, c.ko)
		}
	}
}

// TestEventTextFallsBack: a kind without a format, or an event lacking an
// argument its format needs, shows the engine's own message.
func TestEventTextFallsBack(t *testing.T) {
	e, raw := ev("no_such_kind", "broker-1", "", -1, "something happened", `{"x":1}`)
	if got := eventText("ko", e, raw); got != "something happened" {
		t.Errorf("unknown kind: got %q", got)
	}
	e, raw = ev("broker_paused", "broker-1", "", -1, "broker 1 is paused: …", `{}`)
	if got := eventText("ko", e, raw); got != "broker 1 is paused: …" {
		t.Errorf("missing argument: got %q", got)
	}
	// Decoded data (no raw bytes) works too.
	e = view.Event{Kind: "broker_paused", Node: "broker-1", Msg: "m", Data: map[string]any{"broker": float64(1)}}
	if got := eventText("ko", e, nil); !strings.HasPrefix(got, "브로커 1 일시 정지") {
		t.Errorf("decoded data: got %q", got)
	}
}

// TestLogRowsUseTheLocale: the event log's rows carry the locale's text.
func TestLogRowsUseTheLocale(t *testing.T) {
	defer func(l string) { Locale = l }(Locale)
	Locale = "ko"
	e, raw := ev("broker_paused", "broker-1", "", -1, "broker 1 is paused: it answers nothing and fetches nothing until resumed", `{"broker":1}`)
	rows := LogFilter{}.Rows([]view.Event{e}, []json.RawMessage{raw})
	if len(rows) != 1 || !strings.HasPrefix(rows[0].Msg, "브로커 1 일시 정지") {
		t.Fatalf("rows = %+v", rows)
	}
	// Texts are remembered per locale: switching back shows English.
	Locale = "en"
	rows = LogFilter{}.Rows([]view.Event{e}, []json.RawMessage{raw})
	if len(rows) != 1 || rows[0].Msg != e.Msg {
		t.Fatalf("rows in English = %+v", rows)
	}
}

// englishWord finds a run of Latin letters that reads as an English word.
var englishWord = regexp.MustCompile(`[A-Za-z][a-z]{2,}`)

// koLeftovers are the English words a Korean event text may keep: Kafka's
// API, exception and state names and the like.
func koAllowedWord(w string, text string, i int) bool {
	// inside a config key (a.b), an identifier (a_b), an exception or an
	// API name (CamelCase), or right after '(' as a Kafka name
	start, end := i, i+len(w)
	for start > 0 && isIdentByte(text[start-1]) {
		start--
	}
	for end < len(text) && isIdentByte(text[end]) {
		end++
	}
	tok := text[start:end]
	if strings.ContainsAny(tok, "._") || strings.HasPrefix(text[end:], "()") {
		return true
	}
	if tok != strings.ToLower(tok) && tok != strings.ToUpper(tok) {
		return true // CamelCase: JoinGroup, TimeoutException, Stable, initTransactions
	}
	switch tok {
	case "acks", "all", "none", "null", "eager", "cooperative", "range", "roundrobin", "sticky", "auto", "sync", "async", "manual", "txn", "before", "poll", "gzip", "zstd", "lz4", "snappy", "torn", "write", "kill", "ms", "earliest", "latest", "true", "false", "commitSync", "commitAsync":
		return true
	}
	return false
}

// scenarioNames are the words of an event's non-prose arguments: topics,
// groups, clients, member ids — the scenario's names, not interface text.
func scenarioNames(e view.Event, raw json.RawMessage) map[string]bool {
	out := map[string]bool{}
	for k, v := range eventArgs(e, raw) {
		if phraseArgs[k] {
			continue
		}
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return !isIdentByte(byte(r)) || r > 127 }) {
			out[f] = true
		}
	}
	return out
}

// identAt is the identifier-like token of s around byte i.
func identAt(s string, i int) string {
	start, end := i, i
	for start > 0 && isIdentByte(s[start-1]) {
		start--
	}
	for end < len(s) && isIdentByte(s[end]) {
		end++
	}
	return s[start:end]
}

func isIdentByte(b byte) bool {
	return b == '.' || b == '_' || b == '-' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// TestEventTextOnLessonRuns plays every lesson's solution on the native
// engine and renders each event it emits in English and Korean: every
// event renders through its format (no fallback to the engine's message)
// and the Korean text keeps no English word but Kafka's names.
func TestEventTextOnLessonRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("plays every lesson (about a minute)")
	}
	ls, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	kinds := map[string]bool{}
	for _, l := range ls {
		evs := playEvents(t, l)
		names := map[string]bool{} // the run's names: topics, groups, clients, members
		for _, w := range evs {
			e := view.Event{Kind: w.Kind, Node: w.Node, Topic: w.Topic, Partition: w.Partition}
			for n := range scenarioNames(e, w.Data) {
				names[n] = true
			}
		}
		for _, w := range evs {
			e := view.Event{Seq: w.Seq, Kind: w.Kind, Node: w.Node, Topic: w.Topic, Partition: w.Partition, Msg: w.Msg}
			kinds[e.Kind] = true
			for _, loc := range []string{"en", "ko"} {
				s, ok := renderEvent(loc, e, w.Data)
				if !ok {
					if key := loc + e.Kind; !seen[key] {
						seen[key] = true
						t.Errorf("%s: %s event did not render in %s: msg %q data %s", l.ID, e.Kind, loc, e.Msg, w.Data)
					}
					continue
				}
				if loc != "ko" {
					continue
				}
				var bad []string
				for _, m := range englishWord.FindAllStringIndex(s, -1) {
					w := s[m[0]:m[1]]
					if !koAllowedWord(w, s, m[0]) && !names[identAt(s, m[0])] {
						bad = append(bad, w)
					}
				}
				if key := e.Kind + ":" + strings.Join(bad, " "); len(bad) > 0 && !seen[key] {
					seen[key] = true
					t.Errorf("%s: Korean %s keeps English %q: %s", l.ID, e.Kind, bad, s)
				}
			}
		}
	}
	t.Logf("%d kinds seen across the lessons", len(kinds))
}

// playEvents applies a lesson's solution at its times and returns every
// event of the run.
func playEvents(t *testing.T, l *lessons.Lesson) []wireEvent {
	t.Helper()
	c := host.NewNative(api.Options{})
	call := func(method string, params, result any) {
		req, _ := json.Marshal(map[string]any{"method": method, "params": params})
		reply, _ := c.Call(req)
		var env struct {
			Result json.RawMessage `json:"result"`
			Error  *struct{ Message string }
		}
		if err := json.Unmarshal(reply, &env); err != nil || env.Error != nil {
			t.Fatalf("%s: %s: %s %v", l.ID, method, reply, err)
		}
		if result != nil {
			if err := json.Unmarshal(env.Result, result); err != nil {
				t.Fatal(err)
			}
		}
	}
	var out []wireEvent
	var seq int64
	drain := func() {
		for {
			var r eventsReply
			call("events", map[string]any{"after": seq}, &r)
			out = append(out, r.Events...)
			if len(r.Events) == 0 {
				return
			}
			seq = r.Events[len(r.Events)-1].Seq
		}
	}
	call("open", l.Scenario, nil)
	type group struct {
		at   time.Duration
		cmds []json.RawMessage
	}
	var groups []group
	for _, raw := range l.Solution {
		var cmd struct {
			At string `json:"at"`
		}
		json.Unmarshal(raw, &cmd)
		at, _ := time.ParseDuration(cmd.At)
		if n := len(groups); n > 0 && groups[n-1].at == at {
			groups[n-1].cmds = append(groups[n-1].cmds, raw)
		} else {
			groups = append(groups, group{at, []json.RawMessage{raw}})
		}
	}
	var last time.Duration
	for _, g := range groups {
		call("advance", map[string]string{"to": g.at.String()}, nil)
		drain()
		call("apply", map[string]any{"commands": g.cmds}, nil)
		last = g.at
	}
	for end := last + 30*time.Second; last < end; {
		last += 5 * time.Second
		call("advance", map[string]string{"to": last.String()}, nil)
		drain()
	}
	return out
}
