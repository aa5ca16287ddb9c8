package simtest

import "testing"

// TestShareSchedules runs Safe plans with share consumers: none may break
// a guarantee, the share groups' included (share-skip,
// share-over-delivered), and the share consumers must have read in nearly
// every run (a schedule may legitimately starve them: a crashed member
// keeps its partitions until group.share.session.timeout.ms, 45 s, which
// can outlast the run). 500 such plans passed once.
func TestShareSchedules(t *testing.T) {
	var ss []uint64
	for seed := uint64(1); len(ss) < 40 && seed < 2000; seed++ {
		if NewPlan(seed, Safe).Share {
			ss = append(ss, seed)
		}
	}
	var starved []uint64
	for _, o := range runAll(t, Safe, ss) {
		if o.Failed() {
			t.Errorf("%s", o.Report("TestShareSchedules"))
		}
		if o.ShareReads == 0 {
			starved = append(starved, o.Seed)
		}
	}
	if len(starved) > len(ss)/10 {
		t.Errorf("the share consumers read nothing in %d of %d runs (seeds %v)", len(starved), len(ss), starved)
	}
}
