package main

import (
	"encoding/json"
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
