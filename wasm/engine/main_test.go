package main

import (
	"encoding/json"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
)

func TestSafeCallPassesReplyThrough(t *testing.T) {
	want := `{"result":{"n":1}}`
	got := safeCall(func(req []byte) []byte { return append([]byte(nil), want...) }, []byte(`{}`))
	if string(got) != want {
		t.Fatalf("reply = %s, want %s", got, want)
	}
}

func TestSafeCallTurnsPanicIntoErrorReply(t *testing.T) {
	got := safeCall(func([]byte) []byte { panic("broken invariant \"x\"") }, []byte(`{}`))
	var r struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(got, &r); err != nil {
		t.Fatalf("reply %s is not JSON: %v", got, err)
	}
	if r.Error.Code != "INTERNAL" || !strings.Contains(r.Error.Message, `broken invariant "x"`) {
		t.Fatalf("reply = %s, want an INTERNAL error naming the panic", got)
	}
}

func TestNewEngineAnswers(t *testing.T) {
	// Natively there is no /data; the engine must still come up and reply JSON.
	if reply := newEngine().Call([]byte(`garbage`)); !json.Valid(reply) {
		t.Fatalf("reply %q is not JSON", reply)
	}
}

// The pacer runs a whole cycle at the yield after the heap's worth of
// allocations, and none before.
func TestGCPacerCollectsWhenDue(t *testing.T) {
	p := newGCPacer()
	defer debug.SetGCPercent(100)
	cycles := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	before := cycles()
	p.next = ^uint64(0) // not due
	p.yield()
	if cycles() != before {
		t.Fatal("a cycle ran before one was due")
	}
	p.next = 0 // due
	p.yield()
	if cycles() == before {
		t.Fatal("no cycle ran when one was due")
	}
	if p.next == 0 {
		t.Fatal("the next cycle was not planned")
	}
}
