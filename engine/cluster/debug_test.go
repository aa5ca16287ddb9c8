package cluster

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// TestDumpTrace prints a scenario's trace when BL_DUMP names a testdata file.
func TestDumpTrace(t *testing.T) {
	f := os.Getenv("BL_DUMP")
	if f == "" {
		t.Skip("set BL_DUMP=file.json to print its trace")
	}
	c := run(t, f)
	evs, _ := c.Trace.Since(0, 0)
	for _, e := range evs {
		b, _ := json.Marshal(e)
		fmt.Println(string(b))
	}
}
