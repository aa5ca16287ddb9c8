package ui

import (
	"encoding/json"
	"github.com/brokerlab/brokerlab/engine/contract"
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
	"unicode"
	"unicode/utf8"

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
					name := callName(x)
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
			name := callName(x)
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
		{"produce_rejected", "broker-1", "profiles", 0,
			"Compacted topic cannot accept message without key in topic partition profiles-0",
			`{"error":"INVALID_RECORD"}`,
			"broker 1 rejects a produce to profiles-0 with INVALID_RECORD: Compacted topic cannot accept message without key in topic partition profiles-0",
			"브로커 1: profiles-0에 대한 프로듀스 거부(INVALID_RECORD): 컴팩션 토픽은 키 없는 메시지를 받을 수 없음 (토픽 파티션 profiles-0)"},
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
		{"group_epoch_bumped", "broker-1", "", -1,
			"share group work: group epoch 3: member m-2 left",
			`{"group":"work","group_epoch":3,"reason":"member m-2 left"}`,
			"share group work moves to epoch 3: member m-2 left",
			"공유 그룹 work이 에포크 3로 올라갑니다: 멤버 m-2이(가) 떠남"},
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
			"broker 1 cannot append to t-0: write /data/b1/t-0/0.log: no space left on device",
			``,
			"broker 1 cannot append to t-0: write /data/b1/t-0/0.log: no space left on device",
			"브로커 1: t-0에 추가할 수 없음: 디스크에 공간이 없음(ENOSPC)"},
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
	if strings.ContainsAny(tok, "._-") || strings.HasPrefix(text[end:], "()") || koGloss(text, i) {
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
func playEvents(t *testing.T, l *lessons.Lesson) []contract.RawEvent {
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
	var out []contract.RawEvent
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
			Op string `json:"op"`
		}
		json.Unmarshal(raw, &cmd)
		if lessons.IsLearnerOp(cmd.Op) {
			continue // done in the page, not by the engine
		}
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

// TestEventTextOnEngineShapes covers the formats no lesson run reaches,
// with events shaped as the engine's emit sites make them (message and
// data): each renders in both locales, through the variant named, and the
// Korean keeps no English word but Kafka's and the event's names.
func TestEventTextOnEngineShapes(t *testing.T) {
	cases := []struct {
		variant, node, topic string
		part                 int32
		msg, data            string
	}{
		{"admin_error", "admin", "t", -1, "create topic t failed: INVALID_REPLICATION_FACTOR", `{"error":"INVALID_REPLICATION_FACTOR"}`},
		{"admin_error/detail", "admin", "t", -1, "create topic t failed with INVALID_REPLICATION_FACTOR: replication factor 3 is below 1 or larger than the 2 available brokers", `{"error":"INVALID_REPLICATION_FACTOR"}`},
		{"admin_error/add", "admin", "t", -1, "add partitions to t failed with INVALID_PARTITIONS: topic t has 6 partitions; the new count 4 must be larger (partitions can only be added)", `{"error":"INVALID_PARTITIONS"}`},
		{"batch_split", "producer-p1", "", -1, "a batch of 40 records (20480 bytes) was too large for the broker (MESSAGE_TOO_LARGE); the producer split it into 2 batches", `{"topic":"t","partition":0,"records":40,"batches":2}`},
		{"became_follower/offline", "broker-2", "t", 0, "broker 2 has no leader (partition offline) for t-0 in leader epoch 3", `{"leader":-1,"leader_epoch":3}`},
		{"client_disconnected/reset", "client-c3", "", -1, "client-c3 disconnected: the broker's process died and its kernel reset the connection", `{"by":"broker"}`},
		{"client_request_unsupported", "client-c1", "", -1, "ApiVersions v9 (API key 18) from client-c1 is not supported: the playground covers versions 0 to 5", `{"api":"ApiVersions","key":18,"max":5,"min":0,"version":9}`},
		{"client_request_unsupported/none", "client-c1", "", -1, "DescribeACLs v1 (API key 29) from client-c1 is not supported: the playground does not cover this request", `{"api":"DescribeACLs","key":29,"max":-1,"min":-1,"version":1}`},
		{"command_failed", "", "", -1, `consumer_start: consumer "c1" is already running`, `{"op":"consumer_start"}`},
		{"config_warning/producer", "producer-p1", "", -1, "producer p1: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms; Kafka sets it to 200005 ms", `{"config":"delivery.timeout.ms","value":200005}`},
		{"config_warning", "controller-1", "", -1, "topic t: min.insync.replicas=3 exceeds replication factor 2, so acks=all produce will always fail", ``},
		{"consumer_error/no_offset", "consumer-c1", "", -1, "consumer c1 has no offset for t-0 and auto.offset.reset=none: NoOffsetForPartitionException", `{"topic":"t","partition":0,"error":"NoOffsetForPartitionException"}`},
		{"coordinator_unloaded", "broker-1", "", -1, "this broker stops coordinating the 2 groups of __consumer_offsets-7: leadership changed", `{"partition":7,"groups":2}`},
		{"disk_fault", "broker-1", "", -1, "a torn write: broker-1/t-0/00000000000000000000.log is cut from 900 to 450 bytes", `{"file":"broker-1/t-0/00000000000000000000.log","size":900,"cut_at":450}`},
		{"disk_fault/restart", "broker-1", "", -1, "a torn write: b1/t-0.log is cut from 900 to 450 bytes; broker 1 restarts and recovers from its disk", `{"file":"b1/t-0.log","size":900,"cut_at":450}`},
		{"disk_fault/nothing", "broker-1", "", -1, "nothing to tear: no segment of broker 1 holds bytes on disk (what it appended never left the page cache, or was lost with it)", `{"files":0}`},
		{"group_joined/static_leader", "consumer-c1", "", -1, "consumer c1 joined group g as member m-1 in generation 2; it is the leader, back as a static member: it keeps the current assignment", `{"group":"g","member_id":"m-1","generation":2,"leader":true,"protocol":"range"}`},
		{"join_rejected", "broker-1", "", -1, "group g: session.timeout.ms=1000 is outside group.min.session.timeout.ms=6000 … group.max.session.timeout.ms=1800000", `{"group":"g","error":"INVALID_SESSION_TIMEOUT"}`},
		{"log_recovered", "broker-1", "t", 0, "broker 1 recovered t-0: dropped 40 bytes of segment 0 at byte 860 (torn tail: batch header says 90 bytes but only 40 are left in the file)", `{"segment_base_offset":0,"position":860,"dropped_bytes":40,"deleted":false,"reason":"torn tail: batch header says 90 bytes but only 40 are left in the file"}`},
		{"log_start_offset_moved", "broker-1", "t", 0, "broker 1 reopened t-0 at log start offset 12 from its log-start-offset-checkpoint", `{"log_start_offset":12,"reason":"checkpoint"}`},
		{"log_start_offset_moved/leader", "broker-2", "t", 0, "broker 2 follows the leader's log start offset of t-0: 12", `{"log_start_offset":12,"reason":"leader"}`},
		{"log_swap_recovered", "broker-1", "", -1, "broker 1: t-0/00000000000000000000.log.cleaned: a cleaned segment was being written when the broker stopped; the old segments stay", `{"segment":"t-0/00000000000000000000.log.cleaned","completed":false}`},
		{"log_truncated/below", "broker-2", "t", 0, "broker 2's log of t-0 ends at 5, below the leader's log start offset 12: it restarts empty at 12", `{"from_offset":0,"to_offset":5,"log_start_offset":12,"reason":"below the leader's log start offset"}`},
		{"member_joined/static", "broker-1", "", -1, "group g: static (i1) member m-1 joins", `{"group":"g","member_id":"m-1","group_instance_id":"i1","client_id":"c1","topics":["t"]}`},
		{"offset_commit_rejected", "broker-1", "", -1, "group g refuses a commit from m-1: ILLEGAL_GENERATION (the group is in generation 3, PreparingRebalance)", `{"group":"g","member_id":"m-1","error":"ILLEGAL_GENERATION","generation":3}`},
		{"offsets_committed/txn", "broker-1", "", -1, "group g: the transaction of producer 3001 committed, so its offsets count: t-0=5", `{"group":"g","producer_id":3001,"transactional":true,"offsets":{"t-0":5}}`},
		{"offsets_for_times", "consumer-c1", "t", 0, "consumer-c1 asked t-0 for the first offset at or after 2026-01-01T00:00:01.000Z: offset 4 (its timestamp is 2026-01-01T00:00:01.200Z)", `{"timestamp":1767225601000,"offset":4,"record_timestamp":1767225601200,"error":"NONE","leader":1}`},
		{"offsets_for_times/none", "consumer-c1", "t", 0, "consumer-c1 asked t-0 for the first offset at or after 2026-01-01T00:00:09.000Z: no record that late below the high watermark, the answer is null", `{"timestamp":1767225609000,"offset":-1,"record_timestamp":-1,"error":"NONE","leader":1}`},
		{"offsets_for_times/error", "consumer-c1", "t", 0, "consumer-c1 asked t-0 for the first offset at or after 2026-01-01T00:00:09.000Z: LEADER_NOT_AVAILABLE", `{"timestamp":1767225609000,"offset":-1,"record_timestamp":-1,"error":"LEADER_NOT_AVAILABLE","leader":-1}`},
		{"partitions_lost", "consumer-c1", "", -1, "consumer c1 lost [t-0 t-1]: this member is no longer in the group's generation; what it processed since its last commit will be read again by the next owner", `{"group":"g","partitions":["t-0","t-1"],"reason":"this member is no longer in the group's generation"}`},
		{"produce_failed", "producer-p1", "", -1, "3 records to t-0 failed: NOT_ENOUGH_REPLICAS", `{"topic":"t","partition":0,"error":"NOT_ENOUGH_REPLICAS","records":3}`},
		{"producer_closed", "producer-p1", "", -1, "producer p1 closed after sending everything it had", ``},
		{"producer_disconnected", "producer-p1", "", -1, "producer p1: the connection to broker 1 closed; batches for it wait, reconnecting in 52 ms (attempt 1)", `{"broker":1,"reconnect_backoff_ms":52,"failures":1}`},
		{"producer_epoch_bumped", "producer-p1", "", -1, "producer p1 bumped its epoch to 1: the broker has a gap in the sequence numbers of t-0, t-1, so they start again at 0", `{"producer_id":1000,"producer_epoch":1,"partitions":["t-0","t-1"]}`},
		{"producer_flushed", "producer-p1", "", -1, "flush() of producer p1 returned after 12 ms", ``},
		{"replica_gap_skipped", "broker-2", "t", 0, "broker 2 copied t-0 across a compaction gap: offsets 4–9 were cleaned away on the leader", `{"from_offset":4,"to_offset":10}`},
		{"scenario_end", "", "", -1, "the scenario reached its end", ``},
		{"send_failed", "producer-p1", "", -1, "The message is 2000000 bytes when serialized which is larger than max.request.size (1048576) or buffer.memory (33554432).", `{"error":"RECORD_TOO_LARGE","topic":"t","bytes":2000000}`},
		{"send_failed/closed", "producer-p1", "", -1, "Cannot perform operation after producer has been closed", `{"error":"ILLEGAL_STATE_EXCEPTION","topic":"t"}`},
		{"static_member_rejoined", "broker-1", "", -1, "group g: static member i1 is back as member m-2; its old member id m-1 is fenced", `{"group":"g","group_instance_id":"i1","member_id":"m-2","old_member_id":"m-1"}`},
		{"storage_error", "broker-1", "t", 0, "broker 1 has trouble", ``},
		{"storage_error/clean", "broker-1", "t", 0, "broker 1 could not clean t-0: write /data/b1/t-0/0.log: no space left on device", ``},
		{"storage_error/append", "broker-1", "t", 0, "broker 1 cannot append to t-0: write /data/b1/t-0/0.log: no space left on device", ``},
		{"storage_error/open", "broker-1", "t", 0, "broker 1 cannot open the log of t-0: write /data/b1/t-0/0.log: no space left on device", ``},
		{"storage_error/flush", "broker-1", "t", 0, "broker 1 cannot write t-0 to disk: write /data/b1/t-0/0.log: no space left on device; the records stay in the page cache and nothing already stored is lost", `{"error":"write /data/b1/t-0/0.log: no space left on device"}`},
		{"storage_error/swap", "broker-1", "", -1, "broker 1 cannot finish interrupted cleaner swaps: write /data/b1/t-0/0.log: no space left on device", ``},
		{"storage_error/write", "broker-1", "", -1, "broker 1 cannot write log-start-offset-checkpoint: write /data/b1/t-0/0.log: no space left on device", ``},
		{"storage_error/retention", "broker-1", "t", 0, "broker 1: retention of t-0 failed: write /data/b1/t-0/0.log: no space left on device", ``},
		{"storage_recovered", "broker-1", "t", 0, "broker 1 writes t-0 to disk again", ``},
		{"note", "", "", -1, "메모", ``},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		kind, _, _ := strings.Cut(c.variant, "/")
		e, raw := ev(kind, c.node, c.topic, c.part, c.msg, c.data)
		covered[c.variant] = true
		en, ok := renderEvent("en", e, raw)
		if !ok {
			t.Errorf("%s: no English rendering of %q", c.variant, c.msg)
		}
		ko, ok := renderEvent("ko", e, raw)
		if !ok {
			t.Errorf("%s: no Korean rendering of %q", c.variant, c.msg)
			continue
		}
		// The variant: the English rendering equals the variant's format filled.
		want, _ := fillFormat(eventEN[c.variant], eventArgsFor(e, raw), func(_, v string) string { return v })
		if en != want {
			t.Errorf("%s: rendered through another format:\n got %q\nwant %q", c.variant, en, want)
		}
		names := scenarioNames(e, raw)
		for _, m := range englishWord.FindAllStringIndex(ko, -1) {
			w := ko[m[0]:m[1]]
			if !koAllowedWord(w, ko, m[0]) && !names[identAt(ko, m[0])] {
				t.Errorf("%s: Korean keeps English %q: %s", c.variant, w, ko)
				break
			}
		}
	}
	_ = covered
}

// eventArgsFor is eventArgs plus what the kind's fromMsg patterns add.
func eventArgsFor(e view.Event, raw json.RawMessage) evArgs {
	a := eventArgs(e, raw)
	for _, f := range eventSpecs[e.Kind].fromMsg {
		if m := f.re.FindStringSubmatch(e.Msg); m != nil {
			for i, n := range f.re.SubexpNames() {
				if _, has := a[n]; n != "" && m[i] != "" && !has {
					a[n] = m[i]
				}
			}
			break
		}
	}
	return a
}

// koGloss: byte i of text lies in a parenthesised English original right
// after a Korean word, as in 보존(retention).
func koGloss(text string, i int) bool {
	open := strings.LastIndexByte(text[:i], '(')
	if open <= 0 || strings.ContainsAny(text[open:i], ")") || !strings.Contains(text[i:], ")") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:open])
	return unicode.Is(unicode.Hangul, r)
}

// callName is the called function's name: f(…) or x.f(…).
func callName(x *ast.CallExpr) string {
	switch fn := x.Fun.(type) {
	case *ast.SelectorExpr:
		return fn.Sel.Name
	case *ast.Ident:
		return fn.Name
	}
	return ""
}
