package cluster

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/view"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected outputs of testdata/dd/*.txt")

// TestDataDriven plays the scripts in testdata/dd. A script is a list of
// cases separated by blank lines; '#' lines are comments. A case is a
// command line, optional input lines, "----", and the expected output
// (no blank lines). Commands:
//
//	scenario                  input: scenario JSON; builds the cluster (time 0)
//	run <duration>            advances virtual time by duration
//	apply                     input: one command JSON object per line (or a JSON list); runs them now
//	events [kinds=a,b] [since=last|all] [data=off]
//	                          events since the previous "events" (or all), one per line
//	snapshot [partition=t-0]  leader, epoch, ISR, HWM and every replica's offsets
//	producers                 each producer's sent / acked / failed by error name
//	records partition=t-0 broker=N   one replica's log
//
// go test ./engine/cluster -run DataDriven -rewrite regenerates the outputs.
func TestDataDriven(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "dd", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/dd: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { runScript(t, f) })
	}
}

type ddCase struct {
	line     int
	cmd      string
	args     map[string]string
	pos      []string
	input    []string
	expected string
}

// parseScript splits a script into verbatim text (comments, blank lines)
// and cases; keep[i] is the text before case i.
func parseScript(data string) (cases []ddCase, keep []string, tail string, err error) {
	lines := strings.Split(strings.TrimRight(data, "\n"), "\n")
	var pending strings.Builder
	for i := 0; i < len(lines); {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pending.WriteString(l + "\n")
			i++
			continue
		}
		c := ddCase{line: i + 1, args: map[string]string{}}
		fields := strings.Fields(l)
		c.cmd = fields[0]
		for _, f := range fields[1:] {
			if k, v, ok := strings.Cut(f, "="); ok {
				c.args[k] = v
			} else {
				c.pos = append(c.pos, f)
			}
		}
		i++
		for ; i < len(lines) && lines[i] != "----"; i++ {
			if strings.TrimSpace(lines[i]) == "" {
				return nil, nil, "", fmt.Errorf("line %d: %s: blank line before \"----\"", i+1, c.cmd)
			}
			c.input = append(c.input, lines[i])
		}
		if i == len(lines) {
			return nil, nil, "", fmt.Errorf("line %d: %s: missing \"----\"", c.line, c.cmd)
		}
		i++
		var exp []string
		for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			exp = append(exp, lines[i])
		}
		c.expected = strings.Join(exp, "\n")
		cases = append(cases, c)
		keep = append(keep, pending.String())
		pending.Reset()
	}
	return cases, keep, pending.String(), nil
}

func runScript(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cases, keep, tail, err := parseScript(string(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	d := &ddState{}
	var out strings.Builder
	for i, c := range cases {
		got := strings.TrimRight(d.do(c), "\n")
		if got == "" {
			got = "ok"
		}
		out.WriteString(keep[i])
		out.WriteString(strings.Join(append([]string{rawLine(c)}, c.input...), "\n") + "\n----\n" + got + "\n")
		if !*rewrite && got != c.expected {
			t.Errorf("%s:%d: %s\n--- want\n%s\n--- got\n%s", file, c.line, rawLine(c), c.expected, got)
		}
	}
	out.WriteString(tail)
	if *rewrite {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func rawLine(c ddCase) string {
	parts := []string{c.cmd}
	parts = append(parts, c.pos...)
	keys := make([]string, 0, len(c.args))
	for k := range c.args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+c.args[k])
	}
	return strings.Join(parts, " ")
}

type ddState struct {
	c       *Cluster
	lastSeq int64
}

func (d *ddState) do(c ddCase) string {
	if c.cmd != "scenario" && d.c == nil {
		return "error: no cluster yet (start with \"scenario\")"
	}
	switch c.cmd {
	case "scenario":
		s, err := scenario.Parse([]byte(strings.Join(c.input, "\n")))
		if err != nil {
			return "error: " + err.Error()
		}
		cl, err := New(s, nil)
		if err != nil {
			return "error: " + err.Error()
		}
		d.c, d.lastSeq = cl, cl.Trace.Count()
		return fmt.Sprintf("ok: %d brokers, %d controllers, now %v", len(cl.Brokers), len(cl.Controllers), cl.Now())
	case "run":
		if len(c.pos) != 1 {
			return "error: run <duration>"
		}
		dur, err := time.ParseDuration(c.pos[0])
		if err != nil {
			return "error: " + err.Error()
		}
		d.c.Sim.RunUntil(d.c.Now() + dur)
		return fmt.Sprintf("now %v", d.c.Now())
	case "apply":
		return d.apply(c.input)
	case "events":
		return d.events(c.args)
	case "snapshot":
		return d.snapshot(c.args["partition"])
	case "producers":
		return d.producers()
	case "records":
		return d.records(c.args["partition"], c.args["broker"])
	}
	return fmt.Sprintf("error: unknown command %q", c.cmd)
}

func (d *ddState) apply(input []string) string {
	text := strings.TrimSpace(strings.Join(input, "\n"))
	var raws []json.RawMessage
	if strings.HasPrefix(text, "[") {
		if err := json.Unmarshal([]byte(text), &raws); err != nil {
			return "error: " + err.Error()
		}
	} else {
		for _, l := range input {
			raws = append(raws, json.RawMessage(l))
		}
	}
	var cmds []scenario.Command
	for _, r := range raws {
		cmd, err := scenario.ParseCommand(r)
		if err != nil {
			return "error: " + err.Error()
		}
		cmds = append(cmds, cmd)
	}
	if err := d.c.Validate(cmds); err != nil {
		return "error: " + err.Error()
	}
	d.c.Apply(cmds)
	return "ok"
}

func (d *ddState) events(args map[string]string) string {
	after := d.lastSeq
	if args["since"] == "all" {
		after = 0
	}
	evs, truncated := d.c.Trace.Since(after, 0)
	d.lastSeq = d.c.Trace.Count()
	kinds := map[string]bool{}
	if k := args["kinds"]; k != "" {
		for _, x := range strings.Split(k, ",") {
			kinds[x] = true
		}
	}
	var b strings.Builder
	if truncated {
		b.WriteString("(older events were discarded)\n")
	}
	for _, e := range evs {
		if len(kinds) > 0 && !kinds[e.Kind] {
			continue
		}
		b.WriteString(formatEvent(e, args["data"] != "off") + "\n")
	}
	if b.Len() == 0 {
		return "(no events)"
	}
	return b.String()
}

// formatEvent is "time node kind topic-partition: msg {data}"; nested data
// (maps) is left out.
func formatEvent(e view.Event, data bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%.3fs", e.At().Seconds())
	if e.Node != "" {
		b.WriteString(" " + e.Node)
	}
	b.WriteString(" " + e.Kind)
	if e.Partition != nil {
		fmt.Fprintf(&b, " %s-%d", e.Topic, *e.Partition)
	}
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	if data && len(e.Data) > 0 {
		keys := make([]string, 0, len(e.Data))
		for k, v := range e.Data {
			if _, nested := v.(map[string]any); nested {
				continue
			}
			if _, nested := v.(map[string]string); nested {
				continue
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var kv []string
		for _, k := range keys {
			kv = append(kv, fmt.Sprintf("%s=%v", k, e.Data[k]))
		}
		if len(kv) > 0 {
			b.WriteString(" {" + strings.Join(kv, " ") + "}")
		}
	}
	return b.String()
}

func (d *ddState) snapshot(partition string) string {
	s := d.c.Snapshot(SnapshotOptions{})
	var b strings.Builder
	for _, p := range s.Partitions {
		name := fmt.Sprintf("%s-%d", p.Topic, p.Partition)
		if partition != "" && name != partition {
			continue
		}
		fmt.Fprintf(&b, "%s leader=%d epoch=%d isr=%v hwm=%d\n", name, p.Leader, p.LeaderEpoch, p.ISR, p.HWM)
		for _, r := range p.Replicas {
			var eps []string
			for _, e := range r.Epochs {
				eps = append(eps, fmt.Sprintf("%d@%d", e.Epoch, e.StartOffset))
			}
			sync := ""
			if r.InSync {
				sync = " in-sync"
			}
			fmt.Fprintf(&b, "  broker %d %s leo=%d hwm=%d%s epochs=[%s]\n", r.Broker, r.State, r.LEO, r.HWM, sync, strings.Join(eps, " "))
		}
	}
	if b.Len() == 0 {
		return "(no such partition)"
	}
	return b.String()
}

func (d *ddState) producers() string {
	var b strings.Builder
	for _, name := range sortedKeys(d.c.Producers) {
		p := d.c.Producers[name]
		var failed []string
		for _, code := range sortedKeys(p.Stats.Failed) {
			failed = append(failed, fmt.Sprintf("%s=%d", code, p.Stats.Failed[code]))
		}
		fmt.Fprintf(&b, "%s sent=%d acked=%d queued=%d failed={%s}\n", name, p.Stats.Sent, p.Stats.Acked, p.Queued(), strings.Join(failed, " "))
	}
	return b.String()
}

func (d *ddState) records(partition, brokerID string) string {
	var id int
	fmt.Sscan(brokerID, &id)
	b := d.c.Broker(id)
	if b == nil || b.Down() {
		return "(broker down or unknown)"
	}
	i := strings.LastIndexByte(partition, '-')
	var p int32
	if i < 0 {
		return "error: partition=topic-N"
	}
	fmt.Sscan(partition[i+1:], &p)
	r := b.Replica(broker.TP{Topic: partition[:i], Partition: p})
	if r == nil {
		return "(no replica)"
	}
	var out strings.Builder
	for _, rec := range records(r, 0) {
		k, v := "null", "null"
		if rec.Key != nil {
			k = *rec.Key
		}
		if rec.Value != nil {
			v = *rec.Value
		}
		fmt.Fprintf(&out, "%d %s=%s epoch=%d\n", rec.Offset, k, v, rec.LeaderEpoch)
	}
	if out.Len() == 0 {
		return "(empty log)"
	}
	return out.String()
}
