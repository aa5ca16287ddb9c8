package simtest

import "testing"

// TestShareSchedules runs Safe plans with share consumers: none may break
// a guarantee, the share groups' included (share-skip,
// share-over-delivered), and the share consumers must have read.
func TestShareSchedules(t *testing.T) {
	var ss []uint64
	for seed := uint64(1); len(ss) < 40 && seed < 2000; seed++ {
		if NewPlan(seed, Safe).Share {
			ss = append(ss, seed)
		}
	}
	for _, o := range runAll(t, Safe, ss) {
		if o.Failed() {
			t.Errorf("%s", o.Report("TestShareSchedules"))
		}
		if o.ShareReads == 0 {
			t.Errorf("seed %d: the share consumers read nothing", o.Seed)
		}
	}
}
