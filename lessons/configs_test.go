package lessons

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/config"
)

// Everything a learner can copy from a lesson (its scenario and its
// solution) and every scenario under a testdata folder must carry topic and
// broker configs that a real Kafka 4.3 cluster accepts: engine/config holds
// Kafka's validators. Small segments use internal.segment.bytes, Kafka's
// own internal test setting, never segment.bytes below 1 MiB.

// refusalFixtures pin refusals on purpose; their configs are not checked.
var refusalFixtures = map[string]bool{
	"engine/cluster/testdata/dd/config_validation.txt": true,
}

func TestLessonConfigsPassKafkaValidation(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range ls {
		var sc struct {
			Cluster struct {
				Configs map[string]string `json:"configs"`
			} `json:"cluster"`
			Steps []json.RawMessage `json:"steps"`
		}
		if err := json.Unmarshal(l.Scenario, &sc); err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		if _, err := config.Parse(config.Broker, sc.Cluster.Configs); err != nil {
			t.Errorf("%s: cluster configs: %v", l.File, err)
		}
		for _, raw := range append(sc.Steps, l.Solution...) {
			var c map[string]any
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatalf("%s: %v", l.File, err)
			}
			n += checkStep(t, l.File, c)
		}
	}
	t.Logf("%d create_topic steps with configs checked in the lessons", n)
	if n < 2 {
		t.Errorf("only %d create_topic steps with configs found in the lessons; the test lost track of them", n)
	}
}

func TestTestdataConfigsPassKafkaValidation(t *testing.T) {
	n := 0
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, "../"))
		if d.IsDir() || !strings.Contains(rel, "/testdata/") || refusalFixtures[rel] {
			return nil
		}
		if ext := filepath.Ext(p); ext != ".json" && ext != ".txt" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, obj := range jsonObjects(string(data)) {
			if cl, ok := obj["cluster"].(map[string]any); ok {
				if _, err := config.Parse(config.Broker, stringMap(cl["configs"])); err != nil {
					t.Errorf("%s: cluster configs: %v", rel, err)
				}
			}
			n += checkStep(t, rel, obj)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d create_topic steps with configs checked under testdata", n)
	if n < 15 {
		t.Errorf("only %d create_topic steps with configs found under testdata; the scan lost track of them", n)
	}
}

// checkStep checks a create_topic step's configs; it returns 1 if it had any.
func checkStep(t *testing.T, where string, c map[string]any) int {
	t.Helper()
	if c["op"] != "create_topic" || c["configs"] == nil {
		return 0
	}
	if _, err := config.Parse(config.Topic, stringMap(c["configs"])); err != nil {
		t.Errorf("%s: create_topic %v: %v", where, c["topic"], err)
	}
	return 1
}

func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := map[string]string{}
	for k, x := range m {
		s, _ := x.(string)
		out[k] = s
	}
	return out
}

// jsonObjects decodes every JSON object that starts somewhere in text (a
// scenario file, or the scenario blocks of a datadriven script), nested
// ones included.
func jsonObjects(text string) []map[string]any {
	var out []map[string]any
	for i := strings.IndexByte(text, '{'); i >= 0; {
		var m map[string]any
		if json.NewDecoder(strings.NewReader(text[i:])).Decode(&m) == nil {
			out = append(out, m)
		}
		j := strings.IndexByte(text[i+1:], '{')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return out
}

// The scan must find the storage scripts' topics, or it checks nothing.
func TestJSONObjects(t *testing.T) {
	got := jsonObjects("scenario\n{\"cluster\": {\"brokers\": 1},\n \"steps\": [\n  {\"op\": \"create_topic\", \"configs\": {\"internal.segment.bytes\": \"500\"}}]}\n----\nok {x}")
	var ops []string
	for _, m := range got {
		if op, ok := m["op"].(string); ok {
			ops = append(ops, op)
		}
	}
	sort.Strings(ops)
	if len(got) != 4 || strings.Join(ops, ",") != "create_topic" {
		t.Errorf("jsonObjects found %d objects, ops %v", len(got), ops)
	}
}
