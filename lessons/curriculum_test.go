package lessons

import (
	"slices"
	"strings"
	"testing"
)

// TestReplicationLessonsCoverTheCurriculum checks lessons 8–11 against
// their CURRICULUM.md rows: the goals they must check, the terms they must
// define and the facts their common-belief box must state.
func TestReplicationLessonsCoverTheCurriculum(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id     string
		checks []string
		terms  []string
		right  []string // in <belief>.right
	}{
		{"replication-isr-hwm", []string{"consumer_at_hwm", "isr_size", "isr_rejoined"},
			[]string{"isr", "high-watermark", "log-end-offset", "replica-lag-time-max-ms"},
			[]string{"committed offset", "replica.lag.time.max.ms", "30000", "10 s"}},
		{"acks-min-insync", []string{"producer_compare", "event_seen"},
			[]string{"acks", "min-insync-replicas", "not-enough-replicas", "idempotence"},
			[]string{"acks=all", "enable.idempotence=true", "3.0", "latency"}},
		{"leader-failure", []string{"election_seen", "partition_offline", "acked_records_lost", "acked_records_kept"},
			[]string{"unclean-leader-election", "leader-epoch", "truncation", "min-insync-replicas"},
			[]string{"unclean.leader.election.enable is false by default", "min.insync.replicas=2"}},
		{"controller-quorum", []string{"quorum_state", "topic_created_while_voters_down", "event_seen"},
			[]string{"kraft", "quorum", "majority", "cluster-metadata"},
			[]string{"4.0", "__cluster_metadata", "majority", "ZooKeeper"}},
	} {
		l := ByID(ls, c.id)
		if l == nil {
			t.Errorf("lesson %s is missing", c.id)
			continue
		}
		used := map[string]bool{}
		for _, st := range l.Steps {
			for _, g := range st.Goals {
				used[g.Check] = true
			}
		}
		for _, chk := range c.checks {
			if !used[chk] {
				t.Errorf("%s has no %s goal", c.id, chk)
			}
		}
		for _, term := range c.terms {
			if !slices.Contains(l.Glossary, term) {
				t.Errorf("%s's glossary lacks %q", c.id, term)
			}
		}
		right := l.Text(DefaultLocale, l.CommonBelief+".right")
		for _, fact := range c.right {
			if !strings.Contains(right, fact) {
				t.Errorf("%s's common belief does not state %q: %s", c.id, fact, right)
			}
		}
	}
}
