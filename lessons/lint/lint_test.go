package lint

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/lessons"
)

// TestEveryLessonLints runs the whole validator — structure, text, the
// engine's scenario parser — over every built-in lesson.
func TestEveryLessonLints(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatalf("lint.Load:\n%v", err)
	}
	if len(ls) == 0 {
		t.Fatal("no lessons")
	}
}

func TestBrokenLessons(t *testing.T) {
	for _, c := range []struct {
		dir  string
		want []string
	}{
		{"valid", nil},
		{"scenario_cluster", []string{
			"01-demo/lesson.json:4: scenario: cluster: brokers must be between 1 and 9, got 12"}},
		{"scenario_step", []string{
			`01-demo/lesson.json:5: scenario: step 2: producer_start: unknown field "acks" (allowed: producer, configs)`}},
		{"solution", []string{
			`01-demo/lesson.json:12: steps[0].solution[1]: produce: unknown field "colour" (allowed: producer, topic, partition, key, value, headers, count, rate)`}},
		{"solution_refs", []string{
			`01-demo/lesson.json:9: steps[0].solution[1]: produce: unknown producer "p2" (start it first with producer_start)`}},
	} {
		t.Run(c.dir, func(t *testing.T) {
			name := "testdata/" + c.dir
			_, err := LoadFS(os.DirFS(name), ".", name)
			var got []string
			if err != nil {
				is, ok := err.(lessons.Issues)
				if !ok {
					t.Fatalf("LoadFS error %T %v, want lessons.Issues", err, err)
				}
				for _, i := range is {
					got = append(got, i.String())
				}
			}
			var want []string
			for _, w := range c.want {
				want = append(want, name+"/"+w)
			}
			if !slices.Equal(got, want) {
				t.Errorf("LoadFS(%s):\ngot:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestLoadKeepsLessonsIssues: problems found by package lessons come through
// lint's loader too, merged in file and line order.
func TestLoadKeepsLessonsIssues(t *testing.T) {
	name := "../testdata/checks"
	_, err := LoadFS(os.DirFS(name), ".", name)
	if err == nil || !strings.Contains(err.Error(), `unknown check "producer_ackd"`) {
		t.Errorf("LoadFS(%s) = %v, want the unknown check reported", name, err)
	}
}
