package cluster

import (
	"fmt"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// diskFault runs the disk_fault op. Mode "truncate" cuts one named file (see
// diskTruncate). Mode "torn_tail", on a stopped broker, cuts the last segment file of each of its partitions at a seeded random
// byte inside its last batch, as a write interrupted by a power loss leaves
// it. When the broker restarts, recovery finds the torn batch by its length
// and CRC, truncates to the last valid batch and reports what it dropped.
func diskFault(c *Cluster, cmd scenario.Command) {
	if cmd.Mode == "truncate" {
		diskTruncate(c, cmd)
		return
	}
	b := c.Broker(*cmd.Broker)
	if !b.Down() {
		c.Fail(cmd, fmt.Errorf("broker %d is running: crash it first (a torn write happens when power is lost mid-write)", *cmd.Broker))
		return
	}
	prefix := fmt.Sprintf("broker-%d", *cmd.Broker)
	files, err := c.store.List(prefix)
	if err != nil {
		c.Fail(cmd, err)
		return
	}
	last := map[string]string{} // partition folder → its last segment file
	for _, n := range files {
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
	torn := 0
	defer func() {
		if torn == 0 {
			c.Trace.Emit(trace.Event{Kind: "disk_fault", Node: prefix,
				Msg:  fmt.Sprintf("nothing to tear: no segment of broker %d holds bytes on disk (what it appended never left the page cache, or was lost with it)", *cmd.Broker),
				Data: map[string]any{"files": 0}})
		}
	}()
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
			torn++
			c.Trace.Emit(trace.Event{Kind: "disk_fault", Node: string(names.Broker(int32(*cmd.Broker))),
				Msg:  fmt.Sprintf("a torn write: %s is cut from %d to %d bytes", last[d], size, cut),
				Data: map[string]any{"file": last[d], "size": size, "cut_at": cut}})
		}
		f.Close()
	}
}

// diskTruncate runs disk_fault mode "truncate": broker id's file is cut to
// size bytes, as a write torn outside the simulation leaves it (the host
// found the file shorter on disk than the broker left it, say after the
// page was closed). A running broker is killed first (its page cache is
// written back) and restarted after the cut, so recovery runs at once and
// reports what it dropped, as Kafka does after an unclean shutdown.
func diskTruncate(c *Cluster, cmd scenario.Command) {
	id := *cmd.Broker
	name := fmt.Sprintf("broker-%d/%s", id, cmd.File)
	files, err := c.store.List(name[:strings.LastIndexByte(name, '/')])
	if err != nil {
		c.Fail(cmd, err)
		return
	}
	if i := sort.SearchStrings(files, name); i == len(files) || files[i] != name {
		c.Fail(cmd, fmt.Errorf("broker %d has no file %s", id, cmd.File))
		return
	}
	if was, err := fileSize(c, name); err != nil || *cmd.Size > was {
		if err == nil {
			err = fmt.Errorf("%s is %d bytes: truncate can only shorten it, not grow it to %d", cmd.File, was, *cmd.Size)
		}
		c.Fail(cmd, err)
		return
	}
	running := !c.Broker(id).Down()
	if running {
		c.crashBroker(id, false)
	}
	err = cutFile(c, id, name, *cmd.Size, running)
	if running {
		c.restartBroker(id)
	}
	if err != nil {
		c.Fail(cmd, err)
	}
}

// cutFile truncates name to size bytes and reports the cut.
func cutFile(c *Cluster, id int, name string, size int64, restarting bool) error {
	f, err := c.store.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	was, err := f.Size()
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		return err
	}
	msg := fmt.Sprintf("a torn write: %s is cut from %d to %d bytes", name, was, size)
	if restarting {
		msg += fmt.Sprintf("; broker %d restarts and recovers from its disk", id)
	}
	c.Trace.Emit(trace.Event{Kind: "disk_fault", Node: fmt.Sprintf("broker-%d", id), Msg: msg,
		Data: map[string]any{"file": name, "size": was, "cut_at": size}})
	return nil
}

func fileSize(c *Cluster, name string) (int64, error) {
	f, err := c.store.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return f.Size()
}
