package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// everyGoldenLine plays every scenario and golden script under testdata
// (the speed family up to 10k) and calls fn with each event line and the
// file it came from.
func everyGoldenLine(t *testing.T, fn func(file string, line []byte)) {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.json", "*/*.json"} {
		m, err := filepath.Glob(filepath.Join("testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "50k.json") {
			continue // the 1k and 10k runs emit the same kinds
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := scenario.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		c, err := New(s, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		c.Trace.Follow(func(line []byte) { fn(f, line) })
		c.Sim.RunUntil(s.End)
	}
	diskFull(t, func(line []byte) { fn("disk full", line) })
	defer func() { goldenBuilt = nil }()
	for _, suite := range []goldenSuite{ddSuite, storageSuite} {
		scripts, err := filepath.Glob(filepath.Join("testdata", suite.dir, "*.txt"))
		if err != nil || len(scripts) == 0 {
			t.Fatalf("no scripts in testdata/%s: %v", suite.dir, err)
		}
		for _, f := range scripts {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			goldenBuilt = func(c *Cluster) { c.Trace.Follow(func(line []byte) { fn(f, line) }) }
			if _, _, err := suite.play(string(data)); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	}
}

// diskFull plays a broker whose disk fills up and then has room again
// (storage_error, storage_recovered), as diskfull_test.go does.
func diskFull(t *testing.T, fn func(line []byte)) {
	s, c, disk := diskFullCluster(t)
	c.Trace.Follow(fn)
	c.Sim.RunUntil(time.Second)
	disk.Full.Store(true)
	c.Sim.RunUntil(2 * time.Second)
	disk.Full.Store(false)
	c.Sim.RunUntil(s.End)
}

// TestEventCatalogue decodes every event of every golden scenario and
// script strictly through the event catalogue (engine/contract/events)
// and checks it encodes back to the bytes the engine wrote.
func TestEventCatalogue(t *testing.T) {
	seen := map[string]int{}
	failed := map[string]bool{}
	everyGoldenLine(t, func(file string, line []byte) {
		kind, err := events.Verify(line)
		seen[kind]++
		if err != nil && !failed[kind] {
			failed[kind] = true
			t.Errorf("%s: %v", file, err)
		}
	})
	var missing []string
	for _, k := range events.Kinds() {
		if seen[k.Name] == 0 {
			missing = append(missing, k.Name)
		}
	}
	t.Logf("%d kinds seen in the golden traces; not seen: %v", len(seen), missing)
}
