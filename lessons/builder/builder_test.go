package builder

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/lint"
	"github.com/brokerlab/brokerlab/lessons/session"
	"github.com/brokerlab/brokerlab/wasm/host"
)

// caller makes a native engine a session.Caller.
type caller struct{ c host.Native }

func (c caller) Call(method string, params, result any) error {
	req, err := json.Marshal(contract.Request{Method: method, Params: params})
	if err != nil {
		return err
	}
	reply, _ := c.c.Call(req)
	return contract.Decode(reply, result)
}

// sandbox is a sandbox's scenario as the page writes it (ui.SandboxScenario).
const sandbox = `{"seed": 1, "cluster": {"brokers": 3, "controllers": 1, "storage": "files"}, "steps": []}`

// sandboxRun is a sandbox run as the page makes one: a topic created at
// 0.5 s, then played to 5 s.
func sandboxRun(t *testing.T) (*session.Run, caller) {
	t.Helper()
	c := caller{host.NewNative(api.Options{})}
	run := &session.Run{C: c}
	// The native engine has no files backend: it runs the sandbox in
	// memory, and the run keeps the scenario the page would save.
	if err := run.Open(json.RawMessage(strings.Replace(sandbox, `, "storage": "files"`, "", 1))); err != nil {
		t.Fatal(err)
	}
	run.Scenario = json.RawMessage(sandbox)
	steps := []struct {
		at  int64
		cmd string
	}{{500_000, `{"op":"create_topic","topic":"orders","partitions":1,"replication_factor":3}`}}
	for _, s := range steps {
		if err := run.AdvanceTo(s.at); err != nil {
			t.Fatal(err)
		}
		if err := run.Apply(json.RawMessage(s.cmd)); err != nil {
			t.Fatal(err)
		}
	}
	if err := run.AdvanceTo(5_000_000); err != nil {
		t.Fatal(err)
	}
	return run, c
}

func leaderOf(t *testing.T, c caller, topic string) int32 {
	t.Helper()
	var s view.Snapshot
	if err := c.Call("snapshot", contract.SnapshotParams{}, &s); err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Partitions {
		if p.Topic == topic {
			return p.Leader
		}
	}
	t.Fatalf("no partition of %s", topic)
	return 0
}

// record plays cmds at their times on the run and records them as step i.
func record(t *testing.T, d *Draft, run *session.Run, i int, cmds map[int64]string, order []int64) {
	t.Helper()
	mark := len(run.Journal)
	for _, at := range order {
		if err := run.AdvanceTo(at); err != nil {
			t.Fatal(err)
		}
		if err := run.Apply(json.RawMessage(cmds[at])); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Record(i, run.Journal[mark:]); err != nil {
		t.Fatal(err)
	}
}

// makeDraft builds, as an author clicking through the builder would, a
// lesson with three steps: a leader crash (an election), its restart (the
// replica back in the ISR), another broker crashed.
func makeDraft(t *testing.T) *Draft {
	t.Helper()
	run, c := sandboxRun(t)
	ls, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(run.Scenario, run.Journal, run.NowUS, NextOrder(ls))
	if err != nil {
		t.Fatal(err)
	}
	leader := leaderOf(t, c, "orders")
	other := leader%3 + 1
	d.ID = "leader-crash"
	d.Title["en"], d.Title["ko"] = "A leader crashes", "리더가 멈춥니다"
	d.Summary["en"] = "Crash the leader and watch the controller elect another."
	d.Objective["en"] = "See a leader election happen."
	d.Wrong["en"] = "A crashed leader loses the partition."
	d.Right["en"] = "The controller elects a follower in the ISR."
	texts := []string{"Crash the partition's leader.", "Bring the broker back.", "Crash another broker."}
	for i, s := range texts {
		d.Steps[i].Text["en"] = s
	}
	g := d.AddGoal(0, "election_seen")
	d.Steps[0].Goals[g].Params = json.RawMessage(`{"topic":"orders"}`)
	d.Steps[0].Goals[g].Text["en"] = "A new leader was elected."
	d.Steps[0].Hints = nil
	h := d.AddHint(0)
	d.Steps[0].Hints[h].Text["en"] = "Pick the leader's broker and crash it."
	d.Steps[0].Hints[h].Text["ko"] = "리더 브로커를 멈추세요."
	g = d.AddGoal(1, "isr_rejoined")
	d.Steps[1].Goals[g].Params = json.RawMessage(`{"topic":"orders"}`)
	d.Steps[1].Goals[g].Text["en"] = "The replica is back in the ISR."
	h = d.AddHint(1)
	d.Steps[1].Hints[h].Text["en"] = "Restart the broker you crashed."
	g = d.AddGoal(2, "broker_state")
	params, issues := ParamsFrom(lessons.LookupPredicate("broker_state"), map[string]string{"broker": itoa(other), "state": "down"})
	if len(issues) > 0 {
		t.Fatal(issues)
	}
	d.Steps[2].Goals[g].Params = params
	d.Steps[2].Goals[g].Text["en"] = "The other broker is down."
	h = d.AddHint(2)
	d.Steps[2].Hints[h].Text["en"] = "Crash a broker that is not the leader."
	ko := map[string]string{
		"Crash the leader and watch the controller elect another.": "리더를 멈추고 컨트롤러가 다른 리더를 뽑는 것을 보세요.",
		"See a leader election happen.":                            "리더 선출을 봅니다.",
		"A crashed leader loses the partition.":                    "멈춘 리더와 함께 파티션도 사라진다.",
		"The controller elects a follower in the ISR.":             "컨트롤러가 ISR의 팔로워를 새 리더로 뽑습니다.",
		"Crash the partition's leader.":                            "파티션의 리더를 멈추세요.",
		"Bring the broker back.":                                   "브로커를 다시 켜세요.",
		"Crash another broker.":                                    "다른 브로커를 멈추세요.",
		"A new leader was elected.":                                "새 리더가 뽑혔습니다.",
		"The replica is back in the ISR.":                          "복제본이 ISR로 돌아왔습니다.",
		"The other broker is down.":                                "다른 브로커가 멈췄습니다.",
		"Restart the broker you crashed.":                          "멈춘 브로커를 다시 시작하세요.",
		"Crash a broker that is not the leader.":                   "리더가 아닌 브로커를 멈추세요.",
	}
	for _, f := range d.textFields() {
		if k, ok := ko[f.text["en"]]; ok {
			f.text["ko"] = k
		}
	}
	record(t, d, run, 0, map[int64]string{10_000_000: `{"op":"broker_crash","broker":` + itoa(leader) + `}`}, []int64{10_000_000})
	record(t, d, run, 1, map[int64]string{30_000_000: `{"op":"broker_restart","broker":` + itoa(leader) + `}`}, []int64{30_000_000})
	record(t, d, run, 2, map[int64]string{60_000_000: `{"op":"broker_crash","broker":` + itoa(other) + `}`}, []int64{60_000_000})
	return d
}

func itoa(n int32) string { b, _ := json.Marshal(n); return string(b) }

// TestExportPassesTheLessonTests makes a lesson in the builder's model,
// drops its export into a copy of lessons/ and holds it to what the
// lesson tests check: the full loader and lint (every built-in lesson
// alongside, so ids and orders are checked across), then the plays.
func TestExportPassesTheLessonTests(t *testing.T) {
	d := makeDraft(t)
	ls, _ := lessons.Load()
	if is := d.Check(ls); len(is) > 0 {
		t.Fatalf("Check: %v", is)
	}
	files, err := d.Files()
	if err != nil {
		t.Fatal(err)
	}
	dir := copyLessons(t)
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	all, err := lint.LoadFS(os.DirFS(dir), ".", "lessons")
	if err != nil {
		t.Fatalf("lint.LoadFS:\n%v\nlesson.json:\n%s", err, files[0].Data)
	}
	l := lessons.ByID(all, d.ID)
	if l == nil || len(all) != len(ls)+1 {
		t.Fatalf("the export did not load as a lesson (%d lessons, %d before)", len(all), len(ls))
	}
	fails, err := lint.Verify(func() lint.Caller { return host.NewNative(api.Options{}) }, l)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fails {
		t.Error(f)
	}
	if l.Text("ko", "title") != "리더가 멈춥니다" || l.Text("ko", "summary") != d.Summary["ko"] {
		t.Errorf("Korean title %q, summary %q", l.Text("ko", "title"), l.Text("ko", "summary"))
	}
	t.Logf("lesson.json:\n%s", files[0].Data)
}

// TestBrokenDraftFailsTheLessonTests: a goal that holds without the
// solution (the topic exists from the start) is found by Verify.
func TestBrokenDraftFailsTheLessonTests(t *testing.T) {
	d := makeDraft(t)
	d.Steps[1].Goals[0].Check = "topic_exists"
	d.Steps[1].Goals[0].Params = json.RawMessage(`{"topic":"orders"}`)
	l := load(t, d)
	fails, err := lint.Verify(func() lint.Caller { return host.NewNative(api.Options{}) }, l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(fails, "\n"), "without the solution") {
		t.Errorf("Verify: %q, want a goal holding without the solution", fails)
	}
}

func load(t *testing.T, d *Draft) *lessons.Lesson {
	t.Helper()
	files, err := d.Files()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
	}
	ls, err := lint.LoadFS(os.DirFS(dir), ".", "lessons")
	if err != nil {
		t.Fatal(err)
	}
	return ls[0]
}

// copyLessons copies the repository's lesson folders into a temp dir.
func copyLessons(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := "../"
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if _, err := os.Stat(filepath.Join(src, e.Name(), "lesson.json")); !e.IsDir() || err != nil {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(src, e.Name()))
		os.MkdirAll(filepath.Join(dir, e.Name()), 0o755)
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(src, e.Name(), f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, e.Name(), f.Name()), b, 0o644)
		}
	}
	return dir
}

// TestImportRoundTrip: a draft's bundle and its folder's files import back
// to the same draft; the zip holds the same files.
func TestImportRoundTrip(t *testing.T) {
	d := makeDraft(t)
	b, err := d.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Import(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.StartUS != 10_000_000 {
		t.Errorf("imported StartUS %d, want the first command's 10 s", back.StartUS)
	}
	back.StartUS = d.StartUS // lesson.json does not keep it
	if !reflect.DeepEqual(back, d) {
		got, _ := json.MarshalIndent(back, "", " ")
		want, _ := json.MarshalIndent(d, "", " ")
		t.Errorf("Import(Bundle()):\n%s\nwant:\n%s", got, want)
	}
	files, _ := d.Files()
	fb, err := BundleFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	if back, err = Import(fb); err == nil {
		back.StartUS = d.StartUS
	}
	if err != nil || !reflect.DeepEqual(back, d) {
		t.Errorf("Import(BundleFiles(Files())) = %v, %v", back, err)
	}
	z, err := Zip(files)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(files) {
		t.Fatalf("zip has %d files, want %d", len(zr.File), len(files))
	}
	for i, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil || zf.Name != files[i].Name || !bytes.Equal(data, files[i].Data) {
			t.Errorf("zip entry %d: %s (%v), want %s", i, zf.Name, err, files[i].Name)
		}
	}
}

// TestCheck: what the loader would refuse is found at its field.
func TestCheck(t *testing.T) {
	d := makeDraft(t)
	ls, _ := lessons.Load()
	d.ID = "Bad Id"
	d.Order = ls[0].Order
	d.Title["en"] = ""
	d.Steps[0].Goals[0].Params = json.RawMessage(`{"topic":"orders","partition":-1}`)
	d.Steps[1].Hints = nil
	d.Steps[2].Goals[0].Check = "no_such_check"
	var got []string
	for _, is := range d.Check(ls) {
		got = append(got, is.Field)
	}
	want := []string{"id", "order", "title", "steps[0].goals[0].params", "steps[1].hints", "steps[2].goals[0].check"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check fields %q, want %q", got, want)
	}
	d = makeDraft(t)
	d.Steps[1].Text["ko"] = ""
	d.Steps[2].Text["ko"] = d.Steps[2].Text["en"] + " again"
	d.Steps[2].Text["en"] += " again"
	d.Wrong["ko"] = "`acks`"
	var fields []string
	for _, is := range d.Check(ls) {
		fields = append(fields, is.Field)
	}
	if want := []string{"steps[1].text", "steps[2].text", "wrong"}; !reflect.DeepEqual(fields, want) {
		t.Errorf("Korean: issues at %q, want %q", fields, want)
	}
	d = makeDraft(t)
	d.RemoveStep(2)
	if is := d.Check(ls); len(is) != 1 || is[0].Field != "steps" {
		t.Errorf("two steps: %v", is)
	}
	if _, is := ParamsFrom(lessons.LookupPredicate("election_seen"), map[string]string{"partition": "one"}); len(is) != 1 || is[0].Field != "params.partition" {
		t.Errorf("ParamsFrom: %v", is)
	}
}
