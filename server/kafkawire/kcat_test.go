package kafkawire

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/cluster"
)

// kcatPath finds Debian's kcat: without it the test is skipped on a
// developer's machine but fails under make test (BROKERLAB_E2E=required),
// which installs it.
func kcatPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("kcat")
	if err == nil {
		return p
	}
	if os.Getenv("BROKERLAB_E2E") == "required" {
		t.Fatal("kcat is not installed, and make test runs this test: make kcat installs it")
	}
	t.Skip("kcat is not installed (apt-get install kcat)")
	return ""
}

// TestKcat: librdkafka, a second client implementation, produces to a
// topic that does not exist yet (auto.create.topics.enable) and reads the
// records back, once alone and once in a consumer group.
func TestKcat(t *testing.T) {
	kcat := kcatPath(t)
	s, e, _ := start(t, "")
	run := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx(t), kcat, append([]string{"-b", s.Addrs()[0], "-q"}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("kcat %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("one\ntwo\nthree\n", "-P", "-t", "fresh")
	want := "0 one\n1 two\n2 three\n"
	if got := run("", "-C", "-t", "fresh", "-o", "beginning", "-e", "-f", "%o %s\n"); got != want {
		t.Fatalf("kcat read\n%s\nwant\n%s", got, want)
	}
	if got := run("", "-C", "-G", "kcat-group", "fresh", "-o", "beginning", "-e", "-f", "%o %s\n"); got != want {
		t.Fatalf("kcat in a group read\n%s\nwant\n%s", got, want)
	}
	e.Locked(func(c *cluster.Cluster) {
		topics := c.Snapshot(cluster.SnapshotOptions{}).Topics
		for _, tp := range topics {
			if tp.Name == "fresh" {
				return
			}
		}
		t.Errorf("the engine has no topic fresh: %v", topics)
	})
}
