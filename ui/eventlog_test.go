package ui

import (
	"encoding/json"
	"fmt"
	"github.com/brokerlab/brokerlab/engine/contract"
	"html"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/brokerlab/brokerlab/engine/trace"
	"github.com/brokerlab/brokerlab/engine/view"
)

// TestLogFoldsRepeats: consecutive events that read the same become one
// line "× N" (issue 11 item 12: "consumer c1 sends JoinGroup to broker 2"
// 37 times in a row); the same message with something else between stays
// two lines, and folded events do not use up the log's rows.
func TestLogFoldsRepeats(t *testing.T) {
	join := view.Event{Kind: "group_joining", Node: "consumer-c1", Msg: "consumer c1 sends JoinGroup to broker 2: it starts"}
	var evs []view.Event
	add := func(e view.Event) {
		e.Seq = int64(len(evs) + 1)
		e.TimeUS = int64(len(evs)) * 110_000
		evs = append(evs, e)
	}
	add(join)
	add(view.Event{Kind: "coordinator_lost", Node: "consumer-c1", Msg: "consumer c1 lost coordinator broker 2"})
	for range 37 {
		add(join)
	}
	rows := LogFilter{}.Rows(evs, nil)
	if len(rows) != 3 {
		t.Fatalf("rows %+v: want the 37 joins folded, the lost line, the first join", rows)
	}
	if rows[0].Count != 37 || rows[0].Time != fmtUS(evs[38].TimeUS) || rows[0].First != fmtUS(evs[2].TimeUS) {
		t.Errorf("folded line %+v: want × 37 from %s to %s", rows[0], fmtUS(evs[2].TimeUS), fmtUS(evs[38].TimeUS))
	}
	if rows[1].Count != 1 || rows[2].Count != 1 || rows[2].Msg != join.Msg {
		t.Errorf("lines after the fold: %+v", rows[1:])
	}
	markup := LogHTML(rows)
	if !strings.Contains(markup, ">× 37</span>") || strings.Count(markup, "× ") != 1 {
		t.Errorf("markup should show one \"× 37\": %s", markup)
	}
	if want := esc(Tf("log.repeat", 37, rows[0].First)); !strings.Contains(markup, want) {
		t.Errorf("the folded line does not say when the run began (%q): %s", want, markup)
	}

	// 500 repeats and then 100 distinct events: the log still shows
	// logRows lines, the last of them the folded run.
	evs = nil
	for range 500 {
		add(join)
	}
	for i := range 100 {
		add(view.Event{Kind: "k", Node: "broker-1", Msg: fmt.Sprintf("event %d", i)})
	}
	rows = LogFilter{}.Rows(evs, nil)
	if len(rows) != logRows || rows[0].Msg != "event 99" {
		t.Fatalf("%d rows starting %q: want %d, newest first", len(rows), rows[0].Msg, logRows)
	}
	evs = evs[:0]
	for range 500 {
		add(join)
	}
	add(view.Event{Kind: "k", Node: "broker-1", Msg: "after"})
	if rows = (LogFilter{}).Rows(evs, nil); len(rows) != 2 || rows[1].Count != 500 {
		t.Errorf("500 repeats then one event: rows %+v", rows)
	}
}

// TestLogExplainsBootTimes: events before time 0 (the cluster's boot,
// cluster.BootTime) keep their negative times, marked and preceded by one
// line that says what they are (issue 11 item 8: "−3.003 s" with no word
// on why).
func TestLogExplainsBootTimes(t *testing.T) {
	evs := []view.Event{
		{Seq: 1, TimeUS: -4_990_000, Kind: "broker_registered", Node: "broker-1", Msg: "broker 1 registered"},
		{Seq: 2, TimeUS: -3_003_000, Kind: "broker_unfenced", Node: "broker-1", Msg: "broker 1 unfenced"},
		{Seq: 3, TimeUS: 0, Kind: "topic_created", Msg: "topic orders created"},
		{Seq: 4, TimeUS: 1_500_000, Kind: "k", Msg: "later"},
	}
	rows := LogFilter{}.Rows(evs, nil)
	if len(rows) != 4 || rows[0].Boot || rows[1].Boot || !rows[2].Boot || !rows[3].Boot {
		t.Fatalf("rows %+v: want the two negative-time events marked as boot", rows)
	}
	if rows[2].Time != "−3.003 s" {
		t.Errorf("boot time %q, want −3.003 s", rows[2].Time)
	}
	markup := LogHTML(rows)
	sep := `<li class="ev-boot-sep">` + esc(T("log.boot")) + `</li>`
	if strings.Count(markup, sep) != 1 {
		t.Fatalf("want one boot separator: %s", markup)
	}
	if i, j := strings.Index(markup, sep), strings.Index(markup, "broker 1 unfenced"); !(strings.Index(markup, "topic orders created") < i && i < j) {
		t.Errorf("the separator should sit between time 0 and the boot events: %s", markup)
	}
	if strings.Count(markup, `title="`+esc(T("log.boot.time"))+`"`) != 2 {
		t.Errorf("each negative time should carry its explanation: %s", markup)
	}
	if markup := LogHTML(rows[2:]); !strings.HasPrefix(markup, sep) {
		t.Errorf("a log of boot events only should open with the separator: %s", markup)
	}
	if markup := LogHTML(rows[:2]); strings.Contains(markup, "ev-boot") {
		t.Errorf("no boot events, no separator: %s", markup)
	}
}

// The runes of the page's labels and of names a learner may type: one to
// four UTF-8 bytes, and characters the encoders escape.
var utf8Pool = []rune("aZ09 -_.<>&\"'\\/·–—★◆×−→éß中리더파티션오프셋🙂\u2028\u2029\t")

func randUTF8(r *rand.Rand, n int) string {
	var b strings.Builder
	for range 1 + r.IntN(n) {
		b.WriteRune(utf8Pool[r.IntN(len(utf8Pool))])
	}
	return b.String()
}

// TestTextStaysWholeFromEngineToMarkup is the property over the Go half of
// the path text takes to the page (issue 11 item 7): an event's message,
// node and topic with multi-byte characters, written by the engine's trace
// encoder, sent in the API's JSON reply, decoded by the UI's client and
// session, folded by the log and escaped into its markup — and a topic name
// through the cluster view's layout and SVG — arrive whole: valid UTF-8, no
// U+FFFD, equal to what the engine wrote once the markup is unescaped. No
// step cuts them. (The browser half, Vugu's byte-cut pieces, is
// TestInnerHTMLKeepsCharactersWhole in ui/cmd/vugujs.)
func TestTextStaysWholeFromEngineToMarkup(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 8))
	for i := range 300 {
		part := int32(r.IntN(4))
		want := view.Event{Kind: "k" + randUTF8(r, 6), Node: randUTF8(r, 12), Topic: randUTF8(r, 20), Partition: &part, Msg: randUTF8(r, 80),
			Data: map[string]any{"s": randUTF8(r, 10)}}

		// Engine: the trace's own encoder, then the API's reply.
		var line []byte
		tr := trace.New(func() time.Duration { return time.Duration(i) * time.Millisecond })
		tr.SetSink(func(l []byte) { line = append([]byte(nil), l...) })
		tr.Emit(want)
		var wire contract.RawEvent
		if err := json.Unmarshal(line, &wire); err != nil {
			t.Fatalf("case %d: the trace line does not decode: %v\n%s", i, err, line)
		}
		raw, err := json.Marshal(map[string]any{"result": eventsReply{Events: []contract.RawEvent{wire}, Last: 1, Total: 1}})
		if err != nil {
			t.Fatal(err)
		}

		// UI: the client's reply decoding, the session, the log.
		var reply eventsReply
		if err := decodeReply("events", raw, &reply); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		s := &Session{Kinds: map[string]bool{}, Nodes: map[string]bool{}}
		s.addEvents(reply.Events)
		s.DecodeEvents()
		rows := LogFilter{}.Rows(s.Events, s.EventData)
		if len(rows) != 1 {
			t.Fatalf("case %d: %d rows", i, len(rows))
		}
		markup := LogHTML(rows)
		checkWhole(t, i, "event log", markup, []string{want.Msg, want.Kind, want.Node + " · " + fmt.Sprintf("%s-%d", want.Topic, part)})
		if got := s.Events[0].Data["s"]; got != want.Data["s"] {
			t.Errorf("case %d: event data %q came back as %q", i, want.Data["s"], got)
		}

		// The cluster view: a topic name in the partition's title, labels
		// with "·" and "★" around it.
		snap := snap3()
		snap.Partitions[0].Topic = want.Topic
		svg := Layout(snap, Window{Follow: true}).SVG("")
		checkWhole(t, i, "cluster view", svg, []string{fmt.Sprintf("%s-%d", want.Topic, 0), "B1 ★", "leader B1 · epoch 0"})
	}
}

// checkWhole fails unless markup is valid UTF-8 without U+FFFD and its
// unescaped text contains every one of texts.
func checkWhole(t *testing.T, i int, what, markup string, texts []string) {
	t.Helper()
	if !utf8.ValidString(markup) || strings.ContainsRune(markup, utf8.RuneError) {
		t.Fatalf("case %d: the %s markup is not whole UTF-8: %q", i, what, markup)
	}
	plain := html.UnescapeString(markup)
	for _, s := range texts {
		if !strings.Contains(plain, s) {
			t.Fatalf("case %d: the %s markup lost %q:\n%s", i, what, s, markup)
		}
	}
}
