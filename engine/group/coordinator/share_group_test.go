package coordinator

import (
	"fmt"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
)

// TestSimpleAssign checks the share groups' SimpleAssignor on many shapes
// against what Kafka's promises: every member subscribed to a topic gets
// at least one of its partitions, every partition of a subscribed topic
// has at least one member (members may share one), nobody gets a topic it
// does not subscribe to, and a member keeps what it had (sticky).
func TestSimpleAssign(t *testing.T) {
	for members := 1; members <= 7; members++ {
		for parts := int32(1); parts <= 6; parts++ {
			counts := map[string]int32{"a": parts, "b": 2}
			var ms []*ShareMember
			for i := 0; i < members; i++ {
				m := &ShareMember{ID: fmt.Sprintf("m%d-%x", i, i*7919), Topics: []string{"a"}}
				if i%3 == 2 {
					m.Topics = []string{"a", "b"}
				}
				ms = append(ms, m)
			}
			got := simpleAssign(ms, counts)
			owners := map[names.TopicPartition]int{}
			for _, m := range ms {
				if len(got[m.ID]) == 0 {
					t.Errorf("%d members, %d partitions: %s got nothing", members, parts, m.ID)
				}
				for _, tp := range got[m.ID] {
					if !contains(m.Topics, tp.Topic) {
						t.Errorf("%s got %s of a topic it does not subscribe to", m.ID, tp)
					}
					owners[tp]++
				}
			}
			for p := int32(0); p < parts; p++ {
				if owners[names.TopicPartition{Topic: "a", Partition: p}] == 0 {
					t.Errorf("%d members, %d partitions: a-%d has no member", members, parts, p)
				}
			}
			// Sticky: with the result as the current assignment, everyone keeps it.
			for _, m := range ms {
				m.current = got[m.ID]
			}
			again := simpleAssign(ms, counts)
			for _, m := range ms {
				if !isSubset(got[m.ID], again[m.ID]) {
					t.Errorf("%d members, %d partitions: %s had %v, then got %v", members, parts, m.ID, got[m.ID], again[m.ID])
				}
			}
		}
	}
}

func TestParseShareKey(t *testing.T) {
	for _, c := range []struct {
		group, topic string
		p            int32
	}{{"g", "t", 0}, {"a:b", "orders", 12}, {"", "x.y-z", 3}} {
		g, tp, ok := ParseShareKey(ShareKey(c.group, c.topic, c.p))
		if !ok || g != c.group || tp.Topic != c.topic || tp.Partition != c.p {
			t.Errorf("%q %q %d: got %q %v %v", c.group, c.topic, c.p, g, tp, ok)
		}
	}
	if _, _, ok := ParseShareKey("nocolon"); ok {
		t.Error("a key without colons parsed")
	}
}
