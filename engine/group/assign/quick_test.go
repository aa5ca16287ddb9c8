package assign

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/brokerlab/brokerlab/engine/names"
)

// scenario is a random group: members, some of them new, claiming a
// previous assignment that may name departed members, deleted topics and
// partitions that no longer exist.
type scenario struct {
	members []Member
	parts   map[string]int32
}

func genScenario(r *rand.Rand, equalSubs bool) scenario {
	sc := scenario{parts: map[string]int32{}}
	var topics []string
	for i := range 1 + r.IntN(4) {
		t := fmt.Sprintf("t%d", i)
		topics = append(topics, t)
		sc.parts[t] = int32(1 + r.IntN(12))
	}
	pool := 10 // member ids m0..m9; members not in the group are departed owners
	owner := map[names.TopicPartition]int{}
	for _, t := range append(slices.Clone(topics), "deleted") {
		for p := range int32(14) { // beyond some topics' partition count
			if r.IntN(10) < 7 {
				owner[names.TopicPartition{Topic: t, Partition: p}] = r.IntN(pool)
			}
		}
	}
	common := subset(r, topics)
	for _, id := range r.Perm(pool)[:1+r.IntN(8)] {
		m := Member{ID: fmt.Sprintf("m%d", id), Generation: int32(r.IntN(4)) - 1}
		if r.IntN(4) == 0 {
			m.InstanceID = fmt.Sprintf("i%d", r.IntN(pool))
		}
		if equalSubs {
			m.Topics = slices.Clone(common)
		} else {
			m.Topics = subset(r, topics)
		}
		for _, tp := range sortedKeys(owner) {
			if owner[tp] == id {
				m.Owned = append(m.Owned, tp)
			}
		}
		r.Shuffle(len(m.Owned), func(i, j int) { m.Owned[i], m.Owned[j] = m.Owned[j], m.Owned[i] })
		sc.members = append(sc.members, m)
	}
	return sc
}

func subset(r *rand.Rand, topics []string) []string {
	var out []string
	for _, t := range topics {
		if r.IntN(2) == 0 {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		out = append(out, topics[r.IntN(len(topics))])
	}
	return out
}

func sortedKeys(m map[names.TopicPartition]int) []names.TopicPartition {
	return slices.SortedFunc(maps.Keys(m), compareTP)
}

// checkValid: every member has a sorted entry, partitions go only to members
// subscribed to their topic, none twice, and (unless some may be withheld)
// every subscribed partition is assigned.
func checkValid(t *testing.T, sc scenario, out map[string][]names.TopicPartition, complete bool) {
	t.Helper()
	if len(out) != len(sc.members) {
		t.Fatalf("%d entries for %d members", len(out), len(sc.members))
	}
	seen := map[names.TopicPartition]string{}
	for _, m := range sc.members {
		got, ok := out[m.ID]
		if !ok || got == nil {
			t.Fatalf("no entry for %s", m.ID)
		}
		if !slices.IsSortedFunc(got, compareTP) {
			t.Fatalf("%s: %v not sorted", m.ID, got)
		}
		for _, tp := range got {
			if !slices.Contains(m.Topics, tp.Topic) || tp.Partition < 0 || tp.Partition >= sc.parts[tp.Topic] {
				t.Fatalf("%s got %v it cannot have", m.ID, tp)
			}
			if other, dup := seen[tp]; dup {
				t.Fatalf("%v assigned to %s and %s", tp, other, m.ID)
			}
			seen[tp] = m.ID
		}
	}
	if !complete {
		return
	}
	for _, m := range sc.members {
		for _, topic := range m.Topics {
			for p := range sc.parts[topic] {
				if _, ok := seen[names.TopicPartition{Topic: topic, Partition: p}]; !ok {
					t.Fatalf("%s-%d is subscribed but unassigned", topic, p)
				}
			}
		}
	}
}

// isBalanced is Kafka's isBalanced, written plainly: no partition can move
// to a member subscribed to its topic that has at least two fewer. It
// implies counts within one among members with equal subscriptions.
func isBalanced(sc scenario, out map[string][]names.TopicPartition) bool {
	for _, from := range sc.members {
		for _, tp := range out[from.ID] {
			for _, to := range sc.members {
				if slices.Contains(to.Topics, tp.Topic) && len(out[from.ID]) > len(out[to.ID])+1 {
					return false
				}
			}
		}
	}
	return true
}

func checkStickyBalance(t *testing.T, sc scenario, out map[string][]names.TopicPartition) {
	t.Helper()
	if !isBalanced(sc, out) {
		t.Fatalf("not balanced: %v", out)
	}
}

func kept(m Member, out map[string][]names.TopicPartition) int {
	n := 0
	for _, tp := range m.Owned {
		if slices.Contains(out[m.ID], tp) {
			n++
		}
	}
	return n
}

// optimalKept is the most owned partitions any balanced assignment can keep
// when all subscriptions are equal: everyone keeps up to ⌊P/C⌋, and P%C
// members owning at least ⌈P/C⌉ keep one more.
func optimalKept(sc scenario) int {
	total := 0
	for _, t := range sc.members[0].Topics {
		total += int(sc.parts[t])
	}
	c := len(sc.members)
	minQ, maxQ := total/c, (total+c-1)/c
	sum, big := 0, 0
	for _, m := range sc.members {
		o := 0
		for _, tp := range m.Owned {
			if slices.Contains(m.Topics, tp.Topic) && tp.Partition < sc.parts[tp.Topic] {
				o++
			}
		}
		sum += min(o, minQ)
		if o >= maxQ && maxQ > minQ {
			big++
		}
	}
	return sum + min(total%c, big)
}

// nextRound is the group after every member adopted out in a new generation.
func nextRound(sc scenario, out map[string][]names.TopicPartition) scenario {
	next := scenario{parts: sc.parts}
	for _, m := range sc.members {
		m.Owned = slices.Clone(out[m.ID])
		m.Generation = 10
		next.members = append(next.members, m)
	}
	return next
}

func shuffled(r *rand.Rand, ms []Member) []Member {
	out := slices.Clone(ms)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestQuickAssignors(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 4))
	for iter := range 3000 {
		equal := iter%2 == 0
		sc := genScenario(r, equal)
		func() {
			defer func() {
				if t.Failed() {
					t.Logf("iteration %d, equal subscriptions %v: members %+v partitions %v", iter, equal, sc.members, sc.parts)
				}
			}()
			for _, a := range assignors {
				out := a.Assign(sc.members, sc.parts)
				checkValid(t, sc, out, a.Name != CooperativeStickyName)
				if again := a.Assign(shuffled(r, sc.members), sc.parts); !reflect.DeepEqual(out, again) {
					t.Fatalf("%s depends on member order:\n%v\n%v", a.Name, out, again)
				}
			}

			if equal { // range and roundrobin balance only with equal subscriptions
				rr := RoundRobin(sc.members, sc.parts)
				lo, hi := countRange(rr)
				if hi-lo > 1 {
					t.Fatalf("roundrobin counts %d..%d", lo, hi)
				}
				rg := Range(sc.members, sc.parts)
				for topic := range sc.parts {
					perTopic := map[string][]names.TopicPartition{}
					for id, tps := range rg {
						perTopic[id] = slices.DeleteFunc(slices.Clone(tps), func(tp names.TopicPartition) bool { return tp.Topic != topic })
					}
					if lo, hi := countRange(perTopic); hi-lo > 1 && slices.Contains(sc.members[0].Topics, topic) {
						t.Fatalf("range counts for %s: %d..%d", topic, lo, hi)
					}
				}
			}

			st := Sticky(sc.members, sc.parts)
			checkStickyBalance(t, sc, st)
			total := 0
			for _, m := range sc.members {
				total += kept(m, st)
			}
			if equal {
				if want := optimalKept(sc); total != want {
					t.Fatalf("sticky kept %d owned partitions, the optimum is %d", total, want)
				}
			}
			// no partition moved away that could go back to its owner and
			// leave the assignment balanced
			for _, m := range sc.members {
				for _, tp := range m.Owned {
					if !slices.Contains(m.Topics, tp.Topic) || tp.Partition >= sc.parts[tp.Topic] || slices.Contains(st[m.ID], tp) {
						continue
					}
					back := map[string][]names.TopicPartition{}
					for id, tps := range st {
						back[id] = slices.DeleteFunc(slices.Clone(tps), func(x names.TopicPartition) bool { return x == tp })
					}
					back[m.ID] = append(back[m.ID], tp)
					if isBalanced(sc, back) {
						t.Fatalf("%v could go back to %s: %v", tp, m.ID, st)
					}
				}
			}
			if again := Sticky(nextRound(sc, st).members, sc.parts); !reflect.DeepEqual(st, again) {
				t.Fatalf("sticky is not stable:\n%v\n%v", st, again)
			}

			// cooperative: a subset of the sticky assignment that never hands
			// over a partition its owner still has, complete a round later
			co := CooperativeSticky(sc.members, sc.parts)
			for _, m := range sc.members {
				for _, tp := range co[m.ID] {
					if !slices.Contains(st[m.ID], tp) {
						t.Fatalf("cooperative gave %v to %s, sticky did not", tp, m.ID)
					}
				}
			}
			handsOver(t, sc, co)
			// Revoked partitions reach their new owner in the next rebalance;
			// with different subscriptions, rarely, one more (as in Kafka,
			// members rejoin as long as they revoked something).
			cur, out := sc, co
			for round := 2; ; round++ {
				cur = nextRound(cur, out)
				next := CooperativeSticky(cur.members, cur.parts)
				checkValid(t, cur, next, false)
				handsOver(t, cur, next)
				if reflect.DeepEqual(next, out) {
					checkValid(t, cur, next, true)
					checkStickyBalance(t, cur, next)
					break
				}
				if equal && round > 2 || round > 4 {
					t.Fatalf("cooperative still moving partitions in round %d", round)
				}
				out = next
			}
		}()
	}
}

func countRange(a map[string][]names.TopicPartition) (lo, hi int) {
	lo = -1
	for _, tps := range a {
		if lo < 0 || len(tps) < lo {
			lo = len(tps)
		}
		hi = max(hi, len(tps))
	}
	return lo, hi
}

// handsOver fails if out gives a member a partition another member owns.
func handsOver(t *testing.T, sc scenario, out map[string][]names.TopicPartition) {
	t.Helper()
	for _, m := range sc.members {
		for _, tp := range out[m.ID] {
			for _, o := range sc.members {
				if o.ID != m.ID && slices.Contains(o.Owned, tp) {
					t.Fatalf("%v given to %s while %s still owns it", tp, m.ID, o.ID)
				}
			}
		}
	}
}
