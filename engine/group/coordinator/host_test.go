package coordinator

import (
	"sort"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
)

// fakeHost is a broker for one coordinator: a clock, timers, and a log per
// partition whose appends complete one tick later.
type fakeHost struct {
	now     time.Duration
	seq     int
	timers  []fakeTimer
	logs    map[int32][]Record
	leads   map[int32]int32 // partition → leader epoch; absent: not the leader
	events  []string
	fail    proto.ErrorCode
	pid     int64
	markers []Markers
}

type fakeTimer struct {
	at  time.Duration
	seq int
	fn  func()
}

func newFakeHost() *fakeHost {
	return &fakeHost{logs: map[int32][]Record{}, leads: map[int32]int32{0: 0, 1: 0, 2: 0}}
}

func (h *fakeHost) Now() time.Duration { return h.now }
func (h *fakeHost) After(d time.Duration, fn func()) {
	h.seq++
	h.timers = append(h.timers, fakeTimer{h.now + d, h.seq, fn})
}
func (h *fakeHost) LeaderEpoch(p int32) (int32, bool) { e, ok := h.leads[p]; return e, ok }
func (h *fakeHost) Read(p int32) []Record             { return append([]Record(nil), h.logs[p]...) }
func (h *fakeHost) Append(p int32, recs []Record, done func(proto.ErrorCode)) {
	code := h.fail
	if code == proto.None {
		h.logs[p] = append(h.logs[p], recs...)
	}
	h.After(time.Millisecond, func() { done(code) })
}
func (h *fakeHost) Emit(kind, msg string, data map[string]any) { h.events = append(h.events, kind) }
func (h *fakeHost) NewProducerID() int64                       { h.pid++; return 1000 + h.pid }
func (h *fakeHost) WriteMarkers(m Markers, done func()) {
	h.markers = append(h.markers, m)
	h.After(time.Millisecond, done)
}

// run advances the clock by d, firing due timers in (time, order).
func (h *fakeHost) run(d time.Duration) {
	end := h.now + d
	for {
		sort.SliceStable(h.timers, func(i, j int) bool {
			if h.timers[i].at != h.timers[j].at {
				return h.timers[i].at < h.timers[j].at
			}
			return h.timers[i].seq < h.timers[j].seq
		})
		if len(h.timers) == 0 || h.timers[0].at > end {
			break
		}
		t := h.timers[0]
		h.timers = h.timers[1:]
		h.now = t.at
		t.fn()
	}
	h.now = end
}

var testCfg = Config{Partitions: 3, InitialRebalanceDelay: 3 * time.Second, MinSessionTimeout: 6 * time.Second, MaxSessionTimeout: 30 * time.Minute}

func newTestCoordinator(h *fakeHost) *Coordinator {
	n := uint64(0)
	return New(h, testCfg, func() uint64 { n++; return n })
}

func joinReq(group, member, instance string, topics ...string) proto.JoinGroupRequest {
	return proto.JoinGroupRequest{GroupID: group, SessionTimeoutMs: 10000, RebalanceTimeoutMs: 60000, MemberID: member, GroupInstanceID: instance,
		ProtocolType: "consumer", Protocols: []proto.JoinGroupProtocol{{Name: "range", Metadata: proto.ConsumerSubscription{Topics: topics}}}}
}

// capture stores the last answer of a call.
type capture[T any] struct {
	got  T
	done bool
}

func (c *capture[T]) fn(r T) { c.got, c.done = r, true }

func must(t *testing.T, done bool, what string) {
	t.Helper()
	if !done {
		t.Fatalf("%s: no answer", what)
	}
}
