package lessons

import (
	"strings"
	"testing"
)

// TestPredicateParamList: every predicate lists its params, and each name
// is one its decoder knows (no "unknown field").
func TestPredicateParamList(t *testing.T) {
	for _, p := range Predicates() {
		ps := p.Params()
		if len(ps) == 0 {
			t.Errorf("%s: no params listed", p.Name)
		}
		for _, q := range ps {
			if _, err := p.ParseParams([]byte(`{"` + q.Name + `":null}`)); err != nil && strings.Contains(err.Error(), "unknown field") {
				t.Errorf("%s: param %q: %v", p.Name, q.Name, err)
			}
		}
	}
	ev := LookupPredicate("event_seen").Params()
	if len(ev) < 6 || ev[0].Name != "kind" || ev[0].Kind != "text" || ev[0].Optional {
		t.Errorf("event_seen params %+v", ev)
	}
	el := LookupPredicate("election_seen").Params()
	if len(el) != 3 || el[1].Name != "partition" || el[1].Kind != "whole" || !el[1].Optional || el[2].Kind != "flag" {
		t.Errorf("election_seen params %+v", el)
	}
}
