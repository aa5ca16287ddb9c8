package client

// MemberView is a group consumer as it sees itself, for snapshots.
type MemberView struct {
	Name        string
	GroupID     string
	MemberID    string
	InstanceID  string
	Generation  int32
	State       string // UNJOINED, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE
	Protocol    string // EAGER or COOPERATIVE
	Leader      bool
	Coordinator int32
	Rebalancing bool // a rejoin is pending or in progress
	Owned       []string
	Positions   map[string]int64
	Committed   map[string]int64 // what this member last committed or fetched
	HWM         map[string]int64 // as last fetched (LSO under read_committed)
	Polled      int64
	Processed   int
	Rebalances  int
	Commit      string
	// exactly-once applications
	TransactionalID string
	ProducerID      int64
	ProducerEpoch   int16
	TxnCommitted    int
	TxnAborted      int
}

// Group is the consumer's group view, or nil without group.id.
func (c *Consumer) Group() *MemberView {
	g := c.g
	if g == nil {
		return nil
	}
	v := &MemberView{Name: c.name, GroupID: g.groupID, MemberID: g.memberID, InstanceID: g.instanceID, Generation: g.generation,
		State: string(g.state), Protocol: g.protocol.String(), Leader: g.leader, Coordinator: g.coordinator,
		Rebalancing: g.rejoin || g.state != stableMem, Positions: map[string]int64{}, Committed: map[string]int64{}, HWM: map[string]int64{},
		Polled: c.Count, Processed: g.done.total, Rebalances: g.rebalances, Commit: g.o.Commit, Owned: tpNames(g.ownedTPs())}
	for k, p := range c.positions {
		v.Positions[k.String()] = p
	}
	for k, o := range g.committed {
		v.Committed[k.String()] = o
	}
	for k, h := range c.hwm {
		v.HWM[k.String()] = h
	}
	if g.cp != nil {
		v.Protocol, v.Rebalancing = "CONSUMER", g.state != cpStable
	}
	if t := g.txn; t != nil {
		v.TransactionalID, v.ProducerID, v.ProducerEpoch, v.TxnCommitted, v.TxnAborted = t.id, t.pid, t.epoch, t.Committed, t.Aborted
	}
	return v
}
