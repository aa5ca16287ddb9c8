package coordinator

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
)

// TestServerAssignorsQuick checks the server-side assignors on random
// groups, round after round (each round's result is the next one's
// current assignment, with members joining and leaving): every partition
// of a subscribed topic goes to exactly one subscribed member; uniform is
// balanced for equal subscriptions and keeps what it can (each member
// keeps at least min(what it had, total/members)); range gives each
// topic's subscribed members contiguous ranges, larger ones first.
func TestServerAssignorsQuick(t *testing.T) {
	r := rand.New(rand.NewSource(848))
	for round := 0; round < 300; round++ {
		topics := map[string]int32{}
		var names_ []string
		for i := range 1 + r.Intn(3) {
			n := fmt.Sprintf("t%d", i)
			topics[n] = int32(1 + r.Intn(20))
			names_ = append(names_, n)
		}
		equal := r.Intn(2) == 0
		var members []assignSpec
		for i := range 1 + r.Intn(8) {
			m := assignSpec{ID: fmt.Sprintf("m%02d", i), Topics: names_}
			if !equal {
				m.Topics = nil
				for _, n := range names_ {
					if r.Intn(2) == 0 {
						m.Topics = append(m.Topics, n)
					}
				}
			}
			members = append(members, m)
		}
		for step := 0; step < 4; step++ {
			for _, name := range []string{UniformAssignor, RangeAssignor} {
				in := append([]assignSpec(nil), members...)
				out := serverAssign(name, in, topics)
				checkComplete(t, name, members, topics, out)
				if name == RangeAssignor {
					checkRange(t, members, topics, out)
					continue
				}
				if equal {
					checkUniform(t, members, topics, out)
				}
				for i := range members {
					members[i].Current = out[members[i].ID]
				}
			}
			// churn: one member leaves, one joins
			if len(members) > 1 && r.Intn(2) == 0 {
				members = append(members[:0:0], members[1:]...)
			}
			members = append(members, assignSpec{ID: fmt.Sprintf("n%02d-%d", round, step), Topics: members[0].Topics})
		}
	}
}

func checkComplete(t *testing.T, name string, members []assignSpec, topics map[string]int32, out map[string][]names.TopicPartition) {
	t.Helper()
	subscribed := map[string]map[string]bool{}
	want := map[names.TopicPartition]bool{}
	for _, m := range members {
		subscribed[m.ID] = map[string]bool{}
		for _, tp := range m.Topics {
			subscribed[m.ID][tp] = true
			for p := range topics[tp] {
				want[names.TopicPartition{Topic: tp, Partition: p}] = true
			}
		}
	}
	seen := map[names.TopicPartition]string{}
	for id, tps := range out {
		for _, tp := range tps {
			if !subscribed[id][tp.Topic] {
				t.Fatalf("%s: %s got %v without subscribing to it", name, id, tp)
			}
			if o, dup := seen[tp]; dup {
				t.Fatalf("%s: %v given to %s and %s", name, tp, o, id)
			}
			seen[tp] = id
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("%s: %d of %d partitions assigned", name, len(seen), len(want))
	}
}

func checkUniform(t *testing.T, members []assignSpec, topics map[string]int32, out map[string][]names.TopicPartition) {
	t.Helper()
	lo, hi, total := 1<<30, 0, 0
	for _, m := range members {
		n := len(out[m.ID])
		lo, hi, total = min(lo, n), max(hi, n), total+n
	}
	if hi-lo > 1 {
		t.Fatalf("uniform: unbalanced %d..%d: %v", lo, hi, out)
	}
	quota := total / len(members)
	for _, m := range members {
		now := map[names.TopicPartition]bool{}
		for _, tp := range out[m.ID] {
			now[tp] = true
		}
		had, kept := 0, 0
		for _, tp := range m.Current {
			if tp.Partition < topics[tp.Topic] {
				had++
				if now[tp] {
					kept++
				}
			}
		}
		if kept < min(had, quota) {
			t.Fatalf("uniform: %s kept %d of its %d partitions (quota %d)", m.ID, kept, had, quota)
		}
	}
}

// checkRange compares with a plainly written range assignment.
func checkRange(t *testing.T, members []assignSpec, topics map[string]int32, out map[string][]names.TopicPartition) {
	t.Helper()
	for tp, n := range topics {
		var ids []string
		for _, m := range members {
			for _, x := range m.Topics {
				if x == tp {
					ids = append(ids, m.ID)
				}
			}
		}
		if len(ids) == 0 {
			continue
		}
		// members are in id order already (m00, m01, …, then n…)
		sortStrings(ids)
		p := int32(0)
		for i, id := range ids {
			size := int(n) / len(ids)
			if i < int(n)%len(ids) {
				size++
			}
			for range size {
				if !hasTP(out[id], names.TopicPartition{Topic: tp, Partition: p}) {
					t.Fatalf("range: %s-%d should go to %s: %v", tp, p, id, out)
				}
				p++
			}
		}
	}
}

func sortStrings(xs []string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

func hasTP(tps []names.TopicPartition, tp names.TopicPartition) bool {
	for _, x := range tps {
		if x == tp {
			return true
		}
	}
	return false
}
