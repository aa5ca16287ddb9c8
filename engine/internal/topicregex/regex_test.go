package topicregex

import (
	"regexp"
	"testing"
)

var cases = []struct {
	re, s string
	ok    bool
}{
	{"orders.*", "orders-eu", true},
	{"^orders.*$", "my-orders", false},
	{"orders", "my-orders-1", true},
	{"^(orders|returns)-[0-9]+$", "returns-12", true},
	{"^(orders|returns)-[0-9]+$", "returns-", false},
	{`^logs\.\d{2,3}$`, "logs.123", true},
	{`^logs\.\d{2,3}$`, "logs.1234", false},
	{"^[^_].*", "__consumer_offsets", false},
	{"^(?:a*)*b$", "aaab", true},
	{"^a{3}$", "aaa", true},
	{"x{", "x{", true},
	{"^[a-c-]+$", "a-b", true},
	{`^\w+$`, "topic_1", true},
	{"^$", "", true},
}

func TestMatch(t *testing.T) {
	for _, c := range cases {
		re, err := Compile(c.re)
		if err != nil {
			t.Errorf("%q: %v", c.re, err)
			continue
		}
		if got := re.MatchString(c.s); got != c.ok {
			t.Errorf("%q on %q: %v, want %v", c.re, c.s, got, c.ok)
		}
	}
}

func TestRefused(t *testing.T) {
	for _, bad := range []string{"(", "a)", "[a", "a**", "*a", `\b`, "(?i)a", "[[:alpha:]]", "a{2,1}", "a{1001}", `\`, "[z-a]"} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("%q compiled", bad)
		}
	}
}

// FuzzAgainstRegexp: where both compile a pattern, this package and the
// standard library's regexp (RE2 too) agree on every name.
func FuzzAgainstRegexp(f *testing.F) {
	for _, c := range cases {
		f.Add(c.re, c.s)
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 64 {
			return
		}
		mine, err := Compile(pattern)
		if err != nil {
			return
		}
		std, err := regexp.Compile(pattern)
		if err != nil {
			t.Fatalf("%q compiles here but not in regexp: %v", pattern, err)
		}
		if a, b := mine.MatchString(s), std.MatchString(s); a != b {
			t.Fatalf("%q on %q: %v here, %v in regexp", pattern, s, a, b)
		}
	})
}
