package coordinator

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// State is a classic group's state (Kafka's GroupState).
type State string

// Group states: Empty → PreparingRebalance → CompletingRebalance → Stable,
// back to PreparingRebalance on any membership change; Dead once unloaded.
const (
	Empty               State = "Empty"
	PreparingRebalance  State = "PreparingRebalance"
	CompletingRebalance State = "CompletingRebalance"
	Stable              State = "Stable"
	Dead                State = "Dead"
)

// Config holds the broker settings the group coordinator uses.
type Config struct {
	Partitions            int           // partitions of __consumer_offsets
	InitialRebalanceDelay time.Duration // group.initial.rebalance.delay.ms
	MinSessionTimeout     time.Duration // group.min.session.timeout.ms
	MaxSessionTimeout     time.Duration // group.max.session.timeout.ms
	EpochMs               int64         // wall clock at virtual time zero (commit timestamps)

	// KIP-848 consumer groups (consumer_*.go).
	ConsumerHeartbeatInterval time.Duration // group.consumer.heartbeat.interval.ms
	ConsumerSessionTimeout    time.Duration // group.consumer.session.timeout.ms
	ConsumerAssignors         []string      // group.consumer.assignors; the first is the default

	// KIP-932 share groups (share_*.go).
	ShareHeartbeatInterval time.Duration // group.share.heartbeat.interval.ms
	ShareSessionTimeout    time.Duration // group.share.session.timeout.ms
}

// Member is one consumer in a group.
type Member struct {
	ID               string
	InstanceID       string
	ClientID         string
	SessionTimeout   time.Duration
	RebalanceTimeout time.Duration
	ProtocolType     string
	Protocols        []proto.JoinGroupProtocol
	Assignment       []proto.TopicPartitions

	joinReply func(proto.JoinGroupResponse)
	syncReply func(proto.SyncGroupResponse)
	hbToken   int
	deadline  time.Duration
}

// Topics is the member's subscription (from its first protocol).
func (m *Member) Topics() []string {
	if len(m.Protocols) == 0 {
		return nil
	}
	return m.Protocols[0].Metadata.Topics
}

func (m *Member) awaiting() bool { return m.joinReply != nil || m.syncReply != nil }

// Group is one consumer group as its coordinator holds it.
type Group struct {
	ID           string
	Partition    int32
	State        State
	Generation   int32
	ProtocolType string
	Protocol     string
	Leader       string

	members  map[string]*Member
	static   map[string]string        // group.instance.id → member.id
	pending  map[string]time.Duration // member ids handed out by MEMBER_ID_REQUIRED
	offsets  map[names.TopicPartition]OffsetValue
	staged   map[int64]map[names.TopicPartition]OffsetValue // producer id → transactional offsets
	consumer *consumerGroup                                 // non-nil: a KIP-848 consumer group (consumer_group.go)
	share    *shareGroup                                    // non-nil: a KIP-932 share group (share_group.go)
	unloaded bool

	joinToken       int
	initialDelay    bool
	newMemberJoined bool
	delayRemaining  time.Duration
	syncToken       int
	rebalanceStart  time.Duration
	rebalanceReason string
}

func newGroup(id string, p int32) *Group {
	return &Group{ID: id, Partition: p, State: Empty, members: map[string]*Member{}, static: map[string]string{},
		pending: map[string]time.Duration{}, offsets: map[names.TopicPartition]OffsetValue{}, staged: map[int64]map[names.TopicPartition]OffsetValue{}}
}

// Members lists members sorted by member id.
func (g *Group) Members() []*Member {
	out := make([]*Member, 0, len(g.members))
	for _, m := range g.members {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Offsets lists committed offsets sorted by topic and partition.
func (g *Group) Offsets() ([]names.TopicPartition, map[names.TopicPartition]OffsetValue) {
	tps := names.SortedKeys(g.offsets)
	return tps, g.offsets
}

// HasStaged reports whether a transaction holds uncommitted offsets of tp.
func (g *Group) HasStaged(tp names.TopicPartition) bool {
	for _, m := range g.staged {
		if _, ok := m[tp]; ok {
			return true
		}
	}
	return false
}

// Coordinator is the group coordinator of one broker.
type Coordinator struct {
	host   Host
	cfg    Config
	groups map[string]*Group
	loaded map[int32]int32 // offsets partition → leader epoch it was loaded in
	rand   func() uint64
}

// New returns a group coordinator; rand gives member id suffixes.
func New(h Host, cfg Config, rand func() uint64) *Coordinator {
	return &Coordinator{host: h, cfg: cfg, groups: map[string]*Group{}, loaded: map[int32]int32{}, rand: rand}
}

// PartitionFor is the __consumer_offsets partition of a group.
func (c *Coordinator) PartitionFor(group string) int32 {
	return int32(coord.Partition(group, c.cfg.Partitions))
}

// Group returns a loaded group or nil.
func (c *Coordinator) Group(id string) *Group { return c.groups[id] }

// Groups lists loaded groups sorted by id.
func (c *Coordinator) Groups() []*Group {
	ids := make([]string, 0, len(c.groups))
	for id := range c.groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]*Group, len(ids))
	for i, id := range ids {
		out[i] = c.groups[id]
	}
	return out
}

// active makes sure the broker coordinates partition p, loading it (again)
// when leadership is new; it reports false when another broker leads.
func (c *Coordinator) active(p int32) bool {
	epoch, leads := c.host.LeaderEpoch(p)
	return follow(c.loaded, p, epoch, leads, c.load, c.unload)
}

// Loaded lists the offsets partitions this coordinator has loaded.
func (c *Coordinator) Loaded() []int32 {
	out := make([]int32, 0, len(c.loaded))
	for p := range c.loaded {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// current is the live group object a timer or callback captured, or nil if
// it was unloaded since.
func (c *Coordinator) current(g *Group) bool {
	return !g.unloaded && c.groups[g.ID] == g
}

func (c *Coordinator) getOrCreate(id string, p int32) *Group {
	g := c.groups[id]
	if g == nil {
		g = newGroup(id, p)
		c.groups[id] = g
	}
	return g
}

func (c *Coordinator) nowMs() int64 { return c.cfg.EpochMs + int64(c.host.Now()/time.Millisecond) }

// LoadedEpoch reports whether partition p is loaded, and in which leader epoch.
func (c *Coordinator) LoadedEpoch(p int32) (int32, bool) {
	e, ok := c.loaded[p]
	return e, ok
}
