package ui

import (
	"fmt"
	"testing"
)

// TestFirstPageOfALongLogHasRecords pages a partition of 3,000 records
// back to offset 0 («): the strip must have a clickable cell for each
// offset 0..23. (The snapshot used to carry only the newest 2,000 records,
// so a window at offset 0 drew a bar with no record cells.)
func TestFirstPageOfALongLogHasRecords(t *testing.T) {
	a, env := startApp(t, newFake(map[string]string{}, ""))
	handle(env, func() { a.Sandbox.Brokers = 1; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 1 })
	handle(env, func() {
		a.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(1), ReplicationFactor: ptr(1)},
			Cmd{Op: "producer_start", Producer: "p"},
			Cmd{Op: "produce", Producer: "p", Topic: "t", Count: ptr(3000), Rate: "50000/s", Value: ptr("v{i}")})
		a.Speed = 100
		a.Playing = true
	})
	waitFor(t, env, "3,000 records", func() bool { return a.F.Layout.MaxEnd >= 3000 })
	handle(env, func() { a.Playing = false; a.PageLog("first") })
	waitFor(t, env, "the first page", func() bool { _, ok := a.F.Layout.Records["rec-t-0-0"]; return ok })
	env.RLock()
	defer env.RUnlock()
	for off := 0; off < StripWindow; off++ {
		if _, ok := a.F.Layout.Records[fmt.Sprintf("rec-t-0-%d", off)]; !ok {
			t.Errorf("offset %d has no record cell on the first page", off)
		}
	}
	if n := len(a.run.Snap.Partitions[0].Records); n != StripWindow {
		t.Errorf("the snapshot carries %d records of the partition, want the window's %d", n, StripWindow)
	}
}

// TestRecordsForAsksForTheWindow: following, the newest; paged back, the
// window's start.
func TestRecordsForAsksForTheWindow(t *testing.T) {
	if n, from := recordsFor(Window{Follow: true}); n != StripWindow || from >= 0 {
		t.Errorf("following: %d records from %d, want %d newest", n, from, StripWindow)
	}
	if n, from := recordsFor(Window{Start: 48}); n != StripWindow || from != 48 {
		t.Errorf("paged back: %d records from %d, want %d from 48", n, from, StripWindow)
	}
}
