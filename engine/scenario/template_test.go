package scenario

import (
	"fmt"
	"strings"
	"testing"
)

// expandRef is the straightforward template expansion (parse on every
// call) that Template must match byte for byte, errors included.
func expandRef(tpl string, i int) (string, error) {
	var b strings.Builder
	for {
		open := strings.IndexByte(tpl, '{')
		if open < 0 {
			b.WriteString(tpl)
			return b.String(), nil
		}
		end := strings.IndexByte(tpl[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("unclosed")
		}
		b.WriteString(tpl[:open])
		expr := tpl[open+1 : open+end]
		var n int
		switch {
		case expr == "i":
			fmt.Fprintf(&b, "%d", i)
		case strings.HasPrefix(expr, "i%"):
			if _, err := fmt.Sscanf(expr[2:], "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != expr[2:] {
				return "", fmt.Errorf("bad modulus")
			}
			fmt.Fprintf(&b, "%d", i%n)
		default:
			return "", fmt.Errorf("unknown")
		}
		tpl = tpl[open+end+1:]
	}
}

func TestTemplateMatchesReference(t *testing.T) {
	tpls := []string{"", "plain", "{i}", "v{i}", "user-{i%100}", "payload-{i}", "{i}-{i%2}{i%7}x",
		"k{i%1}", "}{i}}", "{i%10}{i%10}", "a{i%03}", "a{i%+3}", "a{i% 3}", "a{i%-3}", "a{j}", "a{i", "{i}{",
		"{{i}", "{}", "{i%9999999999999999999999}", "é{i}ü"}
	for _, tpl := range tpls {
		tp, cerr := CompileTemplate(tpl)
		for _, i := range []int{0, 1, 9, 10, 11, 99, 100, 12345, 999999, 1000000} {
			want, werr := expandRef(tpl, i)
			got, gerr := Expand(tpl, i)
			if (werr != nil) != (gerr != nil) || (werr != nil) != (cerr != nil) {
				t.Fatalf("%q, %d: reference err %v, Expand err %v, Compile err %v", tpl, i, werr, gerr, cerr)
			}
			if werr != nil {
				continue
			}
			if got != want {
				t.Errorf("Expand(%q, %d) = %q, want %q", tpl, i, got, want)
			}
			buf := tp.Append([]byte("pre"), i)
			if string(buf) != "pre"+want {
				t.Errorf("Append(%q, %d) = %q, want %q", tpl, i, buf, "pre"+want)
			}
			if n := tp.Len(i); n != len(want) {
				t.Errorf("Len(%q, %d) = %d, want %d", tpl, i, n, len(want))
			}
			if c := tp.Constant(); c != !strings.Contains(tpl, "{") {
				t.Errorf("Constant(%q) = %v", tpl, c)
			}
		}
	}
}

func TestDecimalLen(t *testing.T) {
	for _, v := range []int{0, 5, 9, 10, 99, 100, -1, -9, -10, -12345, 1 << 62, -(1 << 62)} {
		if got, want := decimalLen(v), len(fmt.Sprint(v)); got != want {
			t.Errorf("decimalLen(%d) = %d, want %d", v, got, want)
		}
	}
}
