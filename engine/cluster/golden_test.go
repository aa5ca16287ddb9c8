package cluster

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/view"
)

// rewrite is the one -rewrite flag of this package's golden tests (the
// scripts here and the group traces).
var rewrite = flag.Bool("rewrite", false, "rewrite the expected outputs of golden test files")

// Golden scripts (testdata/dd, testdata/storage) are lists of cases
// separated by blank lines; '#' lines are comments. A case is a command
// line ("name pos... key=value..."), optional input lines (no blank lines),
// "----", and the expected output (no blank lines). Every suite shares
// this parser, runner and -rewrite path and registers its own commands.
//
// go test ./engine/cluster -run 'DataDriven|StorageScripts' -args -rewrite
// regenerates the outputs: comments, blank lines and command lines are
// kept as written, only the outputs are replaced.

// goldenCmd runs one case and returns its output ("" reads as "ok").
type goldenCmd func(g *goldenState, c goldenCase) string

// goldenSuite is one directory of scripts and the commands they may use.
type goldenSuite struct {
	dir      string               // under testdata
	setup    string               // the command that builds the cluster; every other one needs it
	commands map[string]goldenCmd // command name → handler
}

type goldenCase struct {
	line     int
	head     string // the command line as written
	cmd      string
	args     map[string]string
	pos      []string
	input    []string
	expected string
	before   string // comments and blank lines kept before the case
}

// goldenState is what one script builds up as it runs.
type goldenState struct {
	c       *Cluster
	lastSeq int64 // the trace position the previous "events" read up to
	// rawClient is the dd "request" command's client (datadriven_request_test.go).
	rawClient *rpc.Endpoint
}

// run plays every script of the suite as a subtest named after its file.
func (s goldenSuite) run(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", s.dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/%s: %v", s.dir, err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { s.runFile(t, f) })
	}
}

func (s goldenSuite) runFile(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out, mismatches, err := s.play(string(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if *rewrite {
		if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, m := range mismatches {
		t.Errorf("%s:%s", file, m)
	}
}

// play runs a script and returns it with every output replaced by what
// the commands printed, and a message for every output that differed.
func (s goldenSuite) play(script string) (out string, mismatches []string, err error) {
	cases, tail, err := parseGolden(script)
	if err != nil {
		return "", nil, err
	}
	g := &goldenState{}
	var b strings.Builder
	for _, c := range cases {
		got := strings.TrimRight(s.do(g, c), "\n")
		if got == "" {
			got = "ok"
		}
		b.WriteString(c.before)
		b.WriteString(strings.Join(append([]string{c.head}, c.input...), "\n") + "\n----\n" + got + "\n")
		if got != c.expected {
			mismatches = append(mismatches, fmt.Sprintf("%d: %s\n--- want\n%s\n--- got\n%s", c.line, c.head, c.expected, got))
		}
	}
	b.WriteString(tail)
	return b.String(), mismatches, nil
}

func (s goldenSuite) do(g *goldenState, c goldenCase) string {
	h, ok := s.commands[c.cmd]
	if !ok {
		return fmt.Sprintf("error: unknown command %q", c.cmd)
	}
	if c.cmd != s.setup && g.c == nil {
		return fmt.Sprintf("error: no cluster yet (start with %q)", s.setup)
	}
	return h(g, c)
}

// parseGolden splits a script into cases; tail is the comments and blank
// lines after the last one.
func parseGolden(data string) (cases []goldenCase, tail string, err error) {
	lines := strings.Split(strings.TrimRight(data, "\n"), "\n")
	var pending strings.Builder
	for i := 0; i < len(lines); {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pending.WriteString(l + "\n")
			i++
			continue
		}
		c := goldenCase{line: i + 1, head: l, args: map[string]string{}, before: pending.String()}
		pending.Reset()
		fields := strings.Fields(l)
		c.cmd = fields[0]
		for _, f := range fields[1:] {
			if k, v, ok := strings.Cut(f, "="); ok {
				c.args[k] = v
			} else {
				c.pos = append(c.pos, f)
			}
		}
		for i++; i < len(lines) && lines[i] != "----"; i++ {
			if strings.TrimSpace(lines[i]) == "" {
				return nil, "", fmt.Errorf("line %d: %s: blank line before \"----\"", i+1, c.cmd)
			}
			c.input = append(c.input, lines[i])
		}
		if i == len(lines) {
			return nil, "", fmt.Errorf("line %d: %s: missing \"----\"", c.line, c.cmd)
		}
		var exp []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			exp = append(exp, lines[i])
		}
		c.expected = strings.Join(exp, "\n")
		cases = append(cases, c)
	}
	return cases, pending.String(), nil
}

// goldenCommands is a new map of the commands every suite has, to which a
// suite adds its own (replacing any of these).
//
//	run <duration>            advances virtual time by duration
//	apply                     input: one command JSON object per line (or a JSON list); runs them now
func goldenCommands(own map[string]goldenCmd) map[string]goldenCmd {
	m := map[string]goldenCmd{
		"run":   goldenRun,
		"apply": goldenApply,
	}
	for k, h := range own {
		m[k] = h
	}
	return m
}

// build parses the case's input as a scenario and makes it the cluster.
func (g *goldenState) build(c goldenCase) error {
	s, err := scenario.Parse([]byte(strings.Join(c.input, "\n")))
	if err != nil {
		return err
	}
	cl, err := New(s, nil)
	if err != nil {
		return err
	}
	g.c, g.lastSeq = cl, cl.Trace.Count()
	if goldenBuilt != nil {
		goldenBuilt(cl)
	}
	return nil
}

// goldenBuilt, when set, sees every cluster a golden script builds
// (events_test.go reads their traces).
var goldenBuilt func(*Cluster)

func goldenRun(g *goldenState, c goldenCase) string {
	if len(c.pos) != 1 {
		return "error: run <duration>"
	}
	d, err := time.ParseDuration(c.pos[0])
	if err != nil {
		return "error: " + err.Error()
	}
	g.c.Sim.RunUntil(g.c.Now() + d)
	return fmt.Sprintf("now %v", g.c.Now())
}

func goldenApply(g *goldenState, c goldenCase) string {
	text := strings.TrimSpace(strings.Join(c.input, "\n"))
	var raws []json.RawMessage
	if strings.HasPrefix(text, "[") {
		if err := json.Unmarshal([]byte(text), &raws); err != nil {
			return "error: " + err.Error()
		}
	} else {
		for _, l := range c.input {
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
	if err := g.c.Validate(cmds); err != nil {
		return "error: " + err.Error()
	}
	g.c.Apply(cmds)
	return "ok"
}

// goldenEvents makes an "events [kinds=a,b] [since=last|all] ..." command:
// the trace since the previous "events" (or all of it), one event a line,
// as "time node kind topic-partition: msg" plus whatever data says to add.
func goldenEvents(data func(e view.Event, args map[string]string) string) goldenCmd {
	return func(g *goldenState, c goldenCase) string {
		after := g.lastSeq
		if c.args["since"] == "all" {
			after = 0
		}
		evs, truncated := g.c.Trace.Since(after, 0)
		g.lastSeq = g.c.Trace.Count()
		kinds := map[string]bool{}
		for _, k := range strings.Split(c.args["kinds"], ",") {
			if k != "" {
				kinds[k] = true
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
			b.WriteString(data(e, c.args) + "\n")
		}
		if b.Len() == 0 {
			return "(no events)"
		}
		return b.String()
	}
}

// goldenRecords makes a "records broker=N partition=t-p" command: the
// replica's log, one record a line as "offset key=value" and then line.
func goldenRecords(line func(rec view.RecordView) string) goldenCmd {
	return func(g *goldenState, c goldenCase) string {
		r, err := g.replica(c.args)
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		for _, rec := range records(r, 0) {
			k, v := "null", "null"
			if rec.Key != nil {
				k = *rec.Key
			}
			if rec.Value != nil {
				v = *rec.Value
			}
			fmt.Fprintf(&b, "%d %s=%s %s\n", rec.Offset, k, v, line(rec))
		}
		if b.Len() == 0 {
			return "(empty log)"
		}
		return b.String()
	}
}

// replica is the replica named by broker=N partition=t-p, on a live broker.
func (g *goldenState) replica(args map[string]string) (*broker.Replica, error) {
	b := g.c.Broker(goldenAtoi(args["broker"]))
	if b == nil || b.Down() {
		return nil, fmt.Errorf("broker %q is unknown or down", args["broker"])
	}
	tp, err := goldenTP(args["partition"])
	if err != nil {
		return nil, err
	}
	r := b.Replica(tp)
	if r == nil {
		return nil, fmt.Errorf("broker %d hosts no %s", b.ID(), tp)
	}
	return r, nil
}

func goldenAtoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func goldenTP(name string) (names.TopicPartition, error) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return names.TopicPartition{}, fmt.Errorf("partition=topic-N, got %q", name)
	}
	return names.TopicPartition{Topic: name[:i], Partition: int32(goldenAtoi(name[i+1:]))}, nil
}
