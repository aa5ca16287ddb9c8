package cluster

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestStorageScripts plays the storage scripts in testdata/storage with
// the golden runner (golden_test.go). Commands, besides run and apply:
//
//	cluster                         input: scenario JSON; builds the cluster
//	events [kinds=a,b] [data=on]    events since the previous "events"; data=on adds the data as JSON
//	segments broker=N partition=t-p log start, LEO, HWM and every segment
//	records broker=N partition=t-p  the replica's records (offset key=value ts=+ms type)
//	consumers                       each consumer's count and positions
//	cleaner broker=N partition=t-p  cleaner checkpoint and dirty ratio
//	readpath broker=N               the simulated read path totals
//
// go test ./engine/cluster -run StorageScripts -args -rewrite regenerates the outputs.
// The storage property tests are in storage_props_test.go.
func TestStorageScripts(t *testing.T) { storageSuite.run(t) }

var storageSuite = goldenSuite{
	dir:   "storage",
	setup: "cluster",
	commands: goldenCommands(map[string]goldenCmd{
		"cluster":   storBuild,
		"events":    goldenEvents(storEventData),
		"segments":  storSegments,
		"records":   goldenRecords(storRecordLine),
		"consumers": storConsumers,
		"cleaner":   storCleaner,
		"readpath":  storReadPath,
	}),
}

func storBuild(g *goldenState, c goldenCase) string {
	if err := g.build(c); err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprintf("ok: %d brokers", len(g.c.Brokers))
}

// storEventData is the event's data as JSON when data=on.
func storEventData(e view.Event, args map[string]string) string {
	if args["data"] != "on" || len(e.Data) == 0 {
		return ""
	}
	raw, _ := json.Marshal(e.Data)
	return " " + string(raw)
}

func storRecordLine(rec view.RecordView) string {
	return fmt.Sprintf("ts=+%dms %s", rec.Timestamp-EpochMs, rec.TimestampType)
}

func storSegments(g *goldenState, c goldenCase) string {
	r, err := g.replica(c.args)
	if err != nil {
		return "error: " + err.Error()
	}
	l := r.Log()
	var b strings.Builder
	fmt.Fprintf(&b, "log start %d, LEO %d, HWM %d\n", l.LogStartOffset(), l.LEO(), r.HWM)
	for _, sg := range l.Segments() {
		active := ""
		if sg.Active {
			active = ", active"
		}
		fmt.Fprintf(&b, "  segment %d: next %d, %d batches, %d bytes%s\n", sg.BaseOffset, sg.NextOffset, sg.Batches, sg.SizeBytes, active)
	}
	return b.String()
}

func storConsumers(g *goldenState, _ goldenCase) string {
	var b strings.Builder
	for _, name := range sortedKeys(g.c.Consumers) {
		cs := g.c.Consumers[name]
		pos := cs.Positions()
		keys := make([]string, 0, len(pos))
		for k := range pos {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var ps []string
		for _, k := range keys {
			ps = append(ps, fmt.Sprintf("%s:%d", k, pos[k]))
		}
		fmt.Fprintf(&b, "%s consumed=%d positions={%s}\n", name, cs.Count, strings.Join(ps, " "))
	}
	return b.String()
}

func storCleaner(g *goldenState, c goldenCase) string {
	r, err := g.replica(c.args)
	if err != nil {
		return "error: " + err.Error()
	}
	v := g.c.Broker(goldenAtoi(c.args["broker"])).StorageView(r.TP)
	if v == nil || v.Cleaner == nil {
		return "(not a compacted log)"
	}
	cl := v.Cleaner
	return fmt.Sprintf("checkpoint=%d first_uncleanable=%d dirty_ratio=%.4f (min %.2f) clean=%d dirty=%d uncleanable=%d cleanings=%d\nlimit: %s",
		cl.Checkpoint, cl.FirstUncleanableOffset, cl.DirtyRatio, cl.MinCleanableDirtyRatio, cl.CleanBytes, cl.DirtyBytes, cl.UncleanableBytes, cl.Cleanings, cl.Limit)
}

func storReadPath(g *goldenState, c goldenCase) string {
	b := g.c.Broker(goldenAtoi(c.args["broker"]))
	if b == nil {
		return "error: broker=N"
	}
	zc, cp, ms := b.ReadPathTotals()
	return fmt.Sprintf("broker %d: bytes_sent_zero_copy=%d bytes_sent_copied=%d cpu_busy_ms=%.4f", b.ID(), zc, cp, ms)
}
