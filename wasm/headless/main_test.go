package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// script is a fake engine that answers requests in order and records them.
type script struct {
	replies []string
	got     []string
}

func (s *script) Call(req []byte) ([]byte, error) {
	s.got = append(s.got, string(req))
	reply := s.replies[0]
	s.replies = s.replies[1:]
	return []byte(reply), nil
}

func TestPlaySendsOpenAdvanceSnapshot(t *testing.T) {
	s := &script{replies: []string{`{"result":{}}`, `{"result":{"now":"5s"}}`, `{"result":{"brokers":[1,2]}}`}}
	out, err := play(s, []byte(" {\"seed\": 3}\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"method":"open","params":{"seed": 3}}`,
		`{"method":"advance","params":{"to":"end"}}`,
		`{"method":"snapshot","params":{}}`,
	}
	if strings.Join(s.got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(s.got, "\n"), strings.Join(want, "\n"))
	}
	if wantOut := "{\n  \"brokers\": [\n    1,\n    2\n  ]\n}\n"; string(out) != wantOut {
		t.Errorf("output %q, want %q", out, wantOut)
	}
}

func TestPlayHash(t *testing.T) {
	s := &script{replies: []string{`{"result":{}}`, `{"result":{}}`, `{"result":{"trace_hash":"ab12"}}`}}
	out, err := play(s, []byte(`{}`), true)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "ab12\n" || s.got[2] != `{"method":"trace_hash","params":{}}` {
		t.Errorf("output %q after requests %q", out, s.got)
	}
}

func TestPlayStopsAtTheFirstErrorReply(t *testing.T) {
	s := &script{replies: []string{`{"result":{}}`, `{"error":{"code":"INVALID_REQUEST","message":"step 3: topic \"x\" does not exist"}}`}}
	_, err := play(s, []byte(`{}`), false)
	if err == nil || err.Error() != `step 3: topic "x" does not exist` {
		t.Fatalf("error = %v, want the engine's message as is", err)
	}
	if len(s.got) != 2 {
		t.Errorf("sent %d requests after the error reply, want 2 in all", len(s.got))
	}
}

func TestPlayRejectsMalformedReplies(t *testing.T) {
	for _, reply := range []string{`nope`, `{}`, `{"result":{}, "x":1}`} {
		s := &script{replies: []string{`{"result":{}}`, `{"result":{}}`, reply}}
		if _, err := play(s, []byte(`{}`), true); err == nil {
			t.Errorf("reply %s to trace_hash: no error", reply)
		}
	}
}

func TestRunBrokenFile(t *testing.T) {
	for _, native := range []bool{true, false} {
		args := []string{"testdata/broken.json"}
		if native {
			args = append([]string{"-native"}, args...)
		}
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		if !strings.HasPrefix(stderr.String(), "testdata/broken.json: ") || stdout.Len() != 0 {
			t.Errorf("%v: stdout %q, stderr %q; want only stderr naming the file", args, stdout.String(), stderr.String())
		}
	}
}

func TestRunUnknownOpFailsTheSameBothWays(t *testing.T) {
	var native, wasm bytes.Buffer
	if code := run([]string{"-native", "testdata/unknown_op.json"}, new(bytes.Buffer), &native); code != 1 {
		t.Errorf("native: exit %d, want 1", code)
	}
	if code := run([]string{"testdata/unknown_op.json"}, new(bytes.Buffer), &wasm); code != 1 {
		t.Errorf("wasm: exit %d, want 1", code)
	}
	if !strings.HasPrefix(native.String(), "testdata/unknown_op.json: ") || native.String() != wasm.String() {
		t.Errorf("native stderr %q, wasm stderr %q; want the same message naming the file", native.String(), wasm.String())
	}
}

func TestRunUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(nil, new(bytes.Buffer), &stderr); code != 2 || !strings.Contains(stderr.String(), "usage") {
		t.Errorf("no arguments: exit %d, stderr %q", code, stderr.String())
	}
	if code := run([]string{"-native", "testdata/missing.json"}, new(bytes.Buffer), new(bytes.Buffer)); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
}

func TestRunMinimalScenarioBothWays(t *testing.T) {
	for _, hash := range []bool{false, true} {
		outs := map[string]string{}
		for _, mode := range []string{"-native", "-wasm="} {
			args := []string{mode, "testdata/minimal.json"}
			if hash {
				args = append([]string{"-hash"}, args...)
			}
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
			}
			outs[mode] = stdout.String()
		}
		if outs["-native"] != outs["-wasm="] {
			t.Errorf("hash=%v: native printed %q, wasm %q", hash, outs["-native"], outs["-wasm="])
		}
		if hash && !regexp.MustCompile(`^[0-9a-f]{64}\n$`).MatchString(outs["-native"]) {
			t.Errorf("-hash printed %q, want 64 hex digits", outs["-native"])
		}
		if !hash && !json.Valid([]byte(outs["-native"])) {
			t.Errorf("snapshot %q is not JSON", outs["-native"])
		}
	}
}
