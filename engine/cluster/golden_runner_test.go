package cluster

import (
	"strings"
	"testing"
)

// TestGoldenRunner checks the runner on a made-up suite: a wrong output is
// reported with its line, the rewritten script keeps comments, blank lines
// and command lines as written and fixes only the outputs, and malformed
// scripts are refused.
func TestGoldenRunner(t *testing.T) {
	calls := 0
	suite := goldenSuite{
		setup: "start",
		commands: map[string]goldenCmd{
			"start": func(g *goldenState, _ goldenCase) string { g.c = &Cluster{}; return "" },
			"echo": func(_ *goldenState, c goldenCase) string {
				calls++
				return strings.Join(c.pos, "|") + " a=" + c.args["a"] + "\n" + strings.Join(c.input, ",") + "\n"
			},
		},
	}
	script := "# head\necho x\n----\nerror: no cluster yet (start with \"start\")\n\nstart\n----\nok\n\n" +
		"# two\necho  b=2 x a=1 y\nin1\nin2\n----\nwrong\n\nnope\n----\nerror: unknown command \"nope\"\n\n# tail\n"
	out, mismatches, err := suite.play(script)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(script, "wrong", "x|y a=1\nin1,in2", 1)
	if out != want {
		t.Errorf("rewritten script:\n%s\nwant:\n%s", out, want)
	}
	if len(mismatches) != 1 || !strings.HasPrefix(mismatches[0], "11: echo  b=2 x a=1 y\n--- want\nwrong\n--- got\nx|y a=1\nin1,in2") {
		t.Errorf("mismatches: %q", mismatches)
	}
	if calls != 1 {
		t.Errorf("echo ran %d times, want once (not before the setup command)", calls)
	}
	if out, mismatches, _ := suite.play(want); out != want || len(mismatches) != 0 {
		t.Errorf("the rewritten script does not pass: %q", mismatches)
	}
	for _, bad := range []string{"start\ninput\n", "start\n\ninput\n----\nok\n"} {
		if _, _, err := suite.play(bad); err == nil {
			t.Errorf("%q: no parse error", bad)
		}
	}
}
