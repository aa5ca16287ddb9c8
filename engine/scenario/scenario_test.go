package scenario

import (
	"strings"
	"testing"
	"time"
)

func TestExpand(t *testing.T) {
	for _, c := range []struct {
		tpl  string
		i    int
		want string
		err  string
	}{
		{"plain", 3, "plain", ""},
		{"user-{i%10}", 23, "user-3", ""},
		{"v{i}", 7, "v7", ""},
		{"{i}-{i%2}", 5, "5-1", ""},
		{"k{j}", 0, "", "unknown placeholder {j}"},
		{"k{i%0}", 0, "", "positive whole number"},
		{"k{i", 0, "", "unclosed"},
	} {
		got, err := Expand(c.tpl, c.i)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Expand(%q): err %v, want %q", c.tpl, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Expand(%q, %d) = %q, %v; want %q", c.tpl, c.i, got, err, c.want)
		}
	}
}

func TestParseErrorsNameTheStep(t *testing.T) {
	for _, c := range []struct{ js, want string }{
		{`{"seed":1}`, `missing "cluster"`},
		{`{"seed":1,"cluster":{"brokers":3},"steps":[{"at":"1s","op":"end"},{"at":"0s","op":"heal"}]}`, "step 2: heal: at 0s is before the previous step"},
		{`{"seed":1,"cluster":{"brokers":3},"steps":[{"op":"heal"}]}`, `step 1: heal: missing "at"`},
		{`{"seed":1,"cluster":{"brokers":3},"steps":[{"at":"soon","op":"heal"}]}`, `step 1: heal: at: bad duration "soon"`},
		{`{"seed":1,"cluster":{"brokers":3},"steps":[{"at":"0s","op":"produce","producer":"p","topic":"t","rate":"fast"}]}`, `bad rate "fast"`},
		{`{"seed":1,"cluster":{"brokers":3,"controllers":2}}`, "1, 3 or 5"},
		{`{"seed":1,"cluster":{"brokers":3},"steps":[{"at":"0s","op":"network_partition","isolate":["broker-7"]}]}`, `unknown node "broker-7"`},
		{`{"seed":1,"cluster":{"brokers":3},"stepz":[]}`, `unknown field "stepz"`},
	} {
		_, err := Parse([]byte(c.js))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%s): %v, want %q", c.js, err, c.want)
		}
	}
}

func TestParseRateAndEnd(t *testing.T) {
	s, err := Parse([]byte(`{"seed":9,"cluster":{"brokers":1},"steps":[
		{"at":"0s","op":"create_topic","topic":"t"},
		{"at":"0s","op":"producer_start","producer":"p"},
		{"at":"250ms","op":"produce","producer":"p","topic":"t","count":3,"rate":"2/ms","key":null,"value":null}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.End != 250*time.Millisecond+DefaultTail {
		t.Fatalf("end %v", s.End)
	}
	p := s.Steps[2]
	if float64(*p.Rate) != 2000 || p.Key != nil || !p.NullValue {
		t.Fatalf("rate %v key %v nullValue %v", *p.Rate, p.Key, p.NullValue)
	}
}
