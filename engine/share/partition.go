// Package share is the share-partition state machine of KIP-932 share
// groups, after Kafka's SharePartition: for one share group and one
// topic-partition it keeps the share-partition start and end offsets
// (SPSO, SPEO) and every in-flight record between them with its state
// (Available, Acquired, Acknowledged, Archived), delivery count, owner and
// acquisition lock deadline. It is pure: the broker that leads the
// partition passes the time in and arms a timer for NextDeadline.
package share

import (
	"time"
)

// RecordState is an in-flight record's state, with Kafka's RecordState ids.
type RecordState int8

// Record states (Kafka's RecordState: AVAILABLE 0, ACQUIRED 1,
// ACKNOWLEDGED 2, ARCHIVED 4).
const (
	Available    RecordState = 0
	Acquired     RecordState = 1
	Acknowledged RecordState = 2
	Archived     RecordState = 4
)

// String is Kafka's name of the state.
func (s RecordState) String() string {
	switch s {
	case Available:
		return "AVAILABLE"
	case Acquired:
		return "ACQUIRED"
	case Acknowledged:
		return "ACKNOWLEDGED"
	case Archived:
		return "ARCHIVED"
	}
	return "UNKNOWN"
}

// AckType is how a consumer acknowledges a record (Kafka's AcknowledgeType).
type AckType int8

// Acknowledge types with Kafka's ids; Renew is KIP-1222's (Kafka 4.2).
const (
	Accept  AckType = 1 // processed: the record is done
	Release AckType = 2 // give it back for another delivery
	Reject  AckType = 3 // unprocessable: archive it
	Renew   AckType = 4 // still working on it: extend the lock
)

// String is Kafka's name of the type.
func (t AckType) String() string {
	switch t {
	case Accept:
		return "ACCEPT"
	case Release:
		return "RELEASE"
	case Reject:
		return "REJECT"
	case Renew:
		return "RENEW"
	}
	return "UNKNOWN"
}

// ParseAckType reads "accept", "release", "reject" or "renew" (any case).
func ParseAckType(s string) (AckType, bool) {
	for _, t := range []AckType{Accept, Release, Reject, Renew} {
		if equalFold(s, t.String()) {
			return t, true
		}
	}
	return 0, false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Config are the broker's share-group settings a share-partition uses.
type Config struct {
	LockDuration   time.Duration // group.share.record.lock.duration.ms
	DeliveryLimit  int           // group.share.delivery.count.limit
	MaxRecordLocks int           // group.share.partition.max.record.locks: SPEO − SPSO at most
}

// InFlight is one record between the SPSO and the SPEO.
type InFlight struct {
	Offset        int64
	State         RecordState
	DeliveryCount int
	Member        string        // the member holding the lock (Acquired only)
	Deadline      time.Duration // when the acquisition lock expires (Acquired only)
}

// Change is one record that moved to a new state, for the broker's events.
type Change struct {
	Offset        int64
	From, To      RecordState
	DeliveryCount int
	Member        string
}

// Partition is one share-partition: a share group's view of one
// topic-partition on its leader.
type Partition struct {
	cfg  Config
	spso int64
	recs []InFlight // offsets spso … spso+len-1; SPEO = spso+len(recs)
}

// New returns a share-partition starting at startOffset (the SPSO from
// share.auto.offset.reset or the persisted state).
func New(cfg Config, startOffset int64) *Partition {
	return &Partition{cfg: cfg, spso: startOffset}
}

// SPSO is the share-partition start offset: every record below it is done.
func (p *Partition) SPSO() int64 { return p.spso }

// SPEO is the share-partition end offset: records from here on were never acquired.
func (p *Partition) SPEO() int64 { return p.spso + int64(len(p.recs)) }

// InFlight lists the in-flight records, oldest first (read only).
func (p *Partition) InFlight() []InFlight { return p.recs }

// Room is how many records past the SPEO may still be acquired before the
// window reaches group.share.partition.max.record.locks.
func (p *Partition) Room() int { return max(p.cfg.MaxRecordLocks-len(p.recs), 0) }

// Config is the share-partition's settings.
func (p *Partition) Config() Config { return p.cfg }

func (p *Partition) at(off int64) *InFlight {
	i := off - p.spso
	if i < 0 || i >= int64(len(p.recs)) {
		return nil
	}
	return &p.recs[i]
}

// acquire locks r for member and counts a delivery.
func (p *Partition) acquire(r *InFlight, member string, now time.Duration) {
	r.State, r.Member, r.Deadline = Acquired, member, now+p.cfg.LockDuration
	r.DeliveryCount++
}

// AcquireAvailable acquires up to n Available in-flight records (the ones
// released or whose lock expired) for member, oldest first.
func (p *Partition) AcquireAvailable(member string, n int, now time.Duration) []int64 {
	var out []int64
	for i := range p.recs {
		if len(out) >= n {
			break
		}
		if r := &p.recs[i]; r.State == Available {
			p.acquire(r, member, now)
			out = append(out, r.Offset)
		}
	}
	return out
}

// AcquireNew acquires the records at offsets (ascending, from the SPEO on)
// for member and moves the SPEO to next; offsets in between that hold no
// record (control records, compacted keys) are archived as gaps.
// Simplified: the caller passes at most Room() offsets.
func (p *Partition) AcquireNew(member string, offsets []int64, next int64, now time.Duration) []int64 {
	var out []int64
	k := 0
	for off := p.SPEO(); off < next; off++ {
		r := InFlight{Offset: off, State: Archived}
		if k < len(offsets) && offsets[k] == off {
			p.acquire(&r, member, now)
			out = append(out, off)
			k++
		}
		p.recs = append(p.recs, r)
	}
	p.advance()
	return out
}

// returnRecord ends an acquisition without an acceptance: the record is
// Available again, or Archived once it was delivered
// group.share.delivery.count.limit times.
func (p *Partition) returnRecord(r *InFlight) {
	r.State, r.Member, r.Deadline = Available, "", 0
	if r.DeliveryCount >= p.cfg.DeliveryLimit {
		r.State = Archived
	}
}

// Acknowledge applies one acknowledgement of member to the record at
// offset; ok is false (INVALID_RECORD_STATE) when member does not hold the
// record's lock, e.g. because it expired.
func (p *Partition) Acknowledge(member string, offset int64, t AckType, now time.Duration) (Change, bool) {
	r := p.at(offset)
	if r == nil || r.State != Acquired || r.Member != member {
		return Change{}, false
	}
	c := Change{Offset: offset, From: Acquired, DeliveryCount: r.DeliveryCount, Member: member}
	switch t {
	case Accept:
		r.State, r.Member, r.Deadline = Acknowledged, "", 0
	case Release:
		p.returnRecord(r)
	case Reject:
		r.State, r.Member, r.Deadline = Archived, "", 0
	case Renew:
		r.Deadline = now + p.cfg.LockDuration
	default:
		return Change{}, false
	}
	c.To = r.State
	p.advance()
	return c, true
}

// Expire returns every record whose acquisition lock ran out by now to
// Available (or Archived at the delivery limit).
func (p *Partition) Expire(now time.Duration) []Change {
	var out []Change
	for i := range p.recs {
		r := &p.recs[i]
		if r.State == Acquired && r.Deadline <= now {
			c := Change{Offset: r.Offset, From: Acquired, DeliveryCount: r.DeliveryCount, Member: r.Member}
			p.returnRecord(r)
			c.To = r.State
			out = append(out, c)
		}
	}
	p.advance()
	return out
}

// ReleaseMember returns every record member holds, as when it leaves the
// group or its share session closes.
func (p *Partition) ReleaseMember(member string) []Change {
	var out []Change
	for i := range p.recs {
		r := &p.recs[i]
		if r.State == Acquired && r.Member == member {
			c := Change{Offset: r.Offset, From: Acquired, DeliveryCount: r.DeliveryCount, Member: member}
			p.returnRecord(r)
			c.To = r.State
			out = append(out, c)
		}
	}
	p.advance()
	return out
}

// NextDeadline is the earliest lock expiry, if any record is Acquired.
func (p *Partition) NextDeadline() (time.Duration, bool) {
	var d time.Duration
	found := false
	for _, r := range p.recs {
		if r.State == Acquired && (!found || r.Deadline < d) {
			d, found = r.Deadline, true
		}
	}
	return d, found
}

// advance moves the SPSO past the leading records that are done
// (Acknowledged or Archived), as SharePartition.maybeUpdateCachedStateAndOffsets.
func (p *Partition) advance() {
	n := 0
	for n < len(p.recs) && (p.recs[n].State == Acknowledged || p.recs[n].State == Archived) {
		n++
	}
	if n == 0 {
		return
	}
	p.spso += int64(n)
	p.recs = append(p.recs[:0], p.recs[n:]...)
}

// MoveStart moves the SPSO up to offset (the log start moved past it: the
// records below are gone) and drops their in-flight state.
func (p *Partition) MoveStart(offset int64) {
	if offset <= p.spso {
		return
	}
	n := int(min(offset-p.spso, int64(len(p.recs))))
	p.recs = append(p.recs[:0], p.recs[n:]...)
	p.spso = offset
}

// Counts are the in-flight records by state.
type Counts struct{ Available, Acquired, Acknowledged, Archived int }

// Count counts the in-flight records by state.
func (p *Partition) Count() Counts {
	var c Counts
	for _, r := range p.recs {
		switch r.State {
		case Available:
			c.Available++
		case Acquired:
			c.Acquired++
		case Acknowledged:
			c.Acknowledged++
		case Archived:
			c.Archived++
		}
	}
	return c
}
