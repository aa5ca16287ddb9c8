package cluster

import (
	"fmt"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/trace"
)

func init() { RegisterOp("disk_fault", diskFault) }

// diskFault runs the disk_fault op on a stopped broker: mode "torn_tail"
// cuts the last segment file of each of its partitions at a seeded random
// byte inside its last batch, as a write interrupted by a power loss leaves
// it. When the broker restarts, recovery finds the torn batch by its length
// and CRC, truncates to the last valid batch and reports what it dropped.
func diskFault(c *Cluster, cmd scenario.Command) {
	b := c.Broker(*cmd.Broker)
	if !b.Down() {
		c.Fail(cmd, fmt.Errorf("broker %d is running: crash it first (a torn write happens when power is lost mid-write)", *cmd.Broker))
		return
	}
	prefix := fmt.Sprintf("broker-%d", *cmd.Broker)
	names, err := c.store.List(prefix)
	if err != nil {
		c.Fail(cmd, err)
		return
	}
	last := map[string]string{} // partition folder → its last segment file
	for _, n := range names {
		if !strings.HasSuffix(n, ".log") {
			continue
		}
		dir := n[:strings.LastIndexByte(n, '/')]
		if n > last[dir] {
			last[dir] = n
		}
	}
	dirs := make([]string, 0, len(last))
	for d := range last {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	rnd := c.Sim.Rand(fmt.Sprintf("disk-fault/%d/%d", *cmd.Broker, c.Now()))
	for _, d := range dirs {
		f, err := c.store.Open(last[d])
		if err != nil {
			continue
		}
		size, err := f.Size()
		if err != nil || size < 2 {
			f.Close()
			continue
		}
		// Cut within the last 61 bytes (a v2 batch header is 61 bytes), so the
		// final batch is torn.
		window := int64(61)
		if window >= size {
			window = size - 1
		}
		cut := size - 1 - rnd.Int63n(window)
		if err := f.Truncate(cut); err == nil {
			c.Trace.Emit(trace.Event{Kind: "disk_fault", Node: fmt.Sprintf("broker-%d", *cmd.Broker),
				Msg:  fmt.Sprintf("a torn write: %s is cut from %d to %d bytes", last[d], size, cut),
				Data: map[string]any{"file": last[d], "size": size, "cut_at": cut}})
		}
		f.Close()
	}
}
