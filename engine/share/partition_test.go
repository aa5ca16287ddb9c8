package share

import (
	"testing"
	"time"
)

var cfg = Config{LockDuration: 30 * time.Second, DeliveryLimit: 3, MaxRecordLocks: 5}

func offsets(n0, n1 int64) []int64 {
	var out []int64
	for o := n0; o < n1; o++ {
		out = append(out, o)
	}
	return out
}

// TestAcquireAcknowledge: accepted records move the SPSO; a released one
// is delivered again with a higher delivery count; the window is capped.
func TestAcquireAcknowledge(t *testing.T) {
	p := New(cfg, 10)
	got := p.AcquireNew("m1", offsets(10, 10+int64(p.Room())), 15, 0)
	if len(got) != 5 || p.SPEO() != 15 || p.Room() != 0 {
		t.Fatalf("acquired %v, SPEO %d, room %d", got, p.SPEO(), p.Room())
	}
	for _, off := range []int64{10, 11} {
		if _, ok := p.Acknowledge("m1", off, Accept, time.Second); !ok {
			t.Fatalf("accept %d refused", off)
		}
	}
	if p.SPSO() != 12 {
		t.Fatalf("SPSO %d, want 12", p.SPSO())
	}
	if _, ok := p.Acknowledge("m2", 12, Accept, time.Second); ok {
		t.Fatal("another member's acknowledgement of a record it does not hold was accepted")
	}
	c, ok := p.Acknowledge("m1", 12, Release, time.Second)
	if !ok || c.To != Available {
		t.Fatalf("release: %+v %v", c, ok)
	}
	again := p.AcquireAvailable("m2", 10, 2*time.Second)
	if len(again) != 1 || again[0] != 12 || p.recs[0].DeliveryCount != 2 {
		t.Fatalf("re-acquired %v, count %d", again, p.recs[0].DeliveryCount)
	}
	if c, _ := p.Acknowledge("m2", 13, Reject, 2*time.Second); c.To != 0 && c.To != Archived {
		t.Fatalf("reject of a record m2 does not hold: %+v", c)
	}
}

// TestLockTimeoutAndDeliveryLimit: an expired lock makes the record
// Available until the delivery limit, then it is Archived and the SPSO
// passes it.
func TestLockTimeoutAndDeliveryLimit(t *testing.T) {
	p := New(cfg, 0)
	p.AcquireNew("m1", []int64{0}, 1, 0)
	now := time.Duration(0)
	for d := 1; d <= cfg.DeliveryLimit; d++ {
		dl, ok := p.NextDeadline()
		if !ok {
			t.Fatalf("delivery %d: no deadline", d)
		}
		now = dl
		ch := p.Expire(now)
		want := Available
		if d == cfg.DeliveryLimit {
			want = Archived
		}
		if len(ch) != 1 || ch[0].To != want || ch[0].DeliveryCount != d {
			t.Fatalf("delivery %d: %+v, want %v", d, ch, want)
		}
		if d < cfg.DeliveryLimit {
			p.AcquireAvailable("m1", 1, now)
		}
	}
	if p.SPSO() != 1 || len(p.InFlight()) != 0 {
		t.Fatalf("SPSO %d in-flight %v", p.SPSO(), p.InFlight())
	}
}

// TestRenewAndGaps: RENEW extends the lock; offsets without records are
// archived gaps; Batches and Restore round-trip the state.
func TestRenewAndGaps(t *testing.T) {
	p := New(cfg, 0)
	p.AcquireNew("m1", []int64{1, 3}, 4, 0)
	if p.SPSO() != 1 {
		t.Fatalf("the gap at 0 should be archived and passed: SPSO %d", p.SPSO())
	}
	p.Acknowledge("m1", 1, Renew, 20*time.Second)
	if ch := p.Expire(30 * time.Second); len(ch) != 1 || ch[0].Offset != 3 {
		t.Fatalf("expired %+v, want only offset 3", ch)
	}
	bs := p.Batches()
	q := Restore(cfg, p.SPSO(), bs)
	if q.SPSO() != p.SPSO() || q.SPEO() != p.SPEO() || len(q.Batches()) != len(bs) {
		t.Fatalf("restore: %d..%d %v, want %d..%d %v", q.SPSO(), q.SPEO(), q.Batches(), p.SPSO(), p.SPEO(), bs)
	}
	if q.InFlight()[0].State != Available || q.InFlight()[0].DeliveryCount != 1 {
		t.Fatalf("an acquired record restores as available with its count: %+v", q.InFlight()[0])
	}
}

// TestReleaseMember: a member that leaves gives its records back.
func TestReleaseMember(t *testing.T) {
	p := New(cfg, 0)
	p.AcquireNew("m1", []int64{0, 1}, 2, 0)
	p.AcquireNew("m2", []int64{2}, 3, 0)
	if ch := p.ReleaseMember("m1"); len(ch) != 2 {
		t.Fatalf("released %+v", ch)
	}
	if c := p.Count(); c.Available != 2 || c.Acquired != 1 {
		t.Fatalf("counts %+v", c)
	}
}
