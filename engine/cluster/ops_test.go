package cluster

import (
	"sort"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

// TestOpTablesAgree checks that engine/scenario's op table (what a step may
// say) and opExecutors (what runs it) name the same ops.
func TestOpTablesAgree(t *testing.T) {
	var run []string
	for op, f := range opExecutors {
		if f == nil {
			t.Errorf("op %q has a nil executor", op)
		}
		run = append(run, op)
	}
	sort.Strings(run)
	known := scenario.Ops()
	if strings.Join(run, " ") != strings.Join(known, " ") {
		t.Errorf("opExecutors names\n  %s\nscenario.Ops names\n  %s", strings.Join(run, " "), strings.Join(known, " "))
	}
}
