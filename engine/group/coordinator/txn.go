package coordinator

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/group/coord"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// TxnState is a transaction's state in the transaction coordinator.
type TxnState string

// Transaction states (Kafka's TransactionState).
const (
	TxnEmpty       TxnState = "Empty"
	TxnOngoing     TxnState = "Ongoing"
	PrepareCommit  TxnState = "PrepareCommit"
	PrepareAbort   TxnState = "PrepareAbort"
	CompleteCommit TxnState = "CompleteCommit"
	CompleteAbort  TxnState = "CompleteAbort"
)

// TxnConfig holds the broker settings of the transaction coordinator.
type TxnConfig struct {
	Partitions      int           // transaction.state.log.num.partitions
	MaxTimeout      time.Duration // transaction.max.timeout.ms
	CleanupInterval time.Duration // transaction.abort.timed.out.transaction.cleanup.interval.ms
	// Version is the cluster's finalized transaction.version feature: 2
	// (KIP-890, the default of a new 4.x cluster) bumps the producer epoch
	// at the end of every transaction; 0 and 1 keep it (KIP-98).
	Version int
}

// TxnMeta is one transactional id's state.
type TxnMeta struct {
	ID         string
	Partition  int32
	ProducerID int64
	Epoch      int16
	Timeout    time.Duration
	State      TxnState
	Parts      map[names.TopicPartition]bool
	Start      time.Duration
	busy       bool // a state change is being written
	unloaded   bool
}

// Partitions lists the transaction's partitions, sorted.
func (m *TxnMeta) Partitions() []names.TopicPartition {
	out := names.SortedKeys(m.Parts)
	return out
}

// Markers is a request to write a transaction's markers.
type Markers struct {
	TransactionalID string
	ProducerID      int64
	Epoch           int16
	Commit          bool
	Partitions      []names.TopicPartition
}

// TxnHost is what the transaction coordinator needs besides Host (whose
// partitions are those of __transaction_state).
type TxnHost interface {
	Host
	// NewProducerID returns a producer id no one else has.
	NewProducerID() int64
	// WriteMarkers sends WriteTxnMarkers to the leaders of the partitions,
	// retrying until every one appended its marker, then calls done.
	WriteMarkers(m Markers, done func())
}

// TxnCoordinator is the transaction coordinator of one broker.
type TxnCoordinator struct {
	host     TxnHost
	cfg      TxnConfig
	txns     map[string]*TxnMeta
	loaded   map[int32]int32
	cleaning bool
}

// NewTxn returns a transaction coordinator.
func NewTxn(h TxnHost, cfg TxnConfig) *TxnCoordinator {
	return &TxnCoordinator{host: h, cfg: cfg, txns: map[string]*TxnMeta{}, loaded: map[int32]int32{}}
}

// PartitionFor is the __transaction_state partition of a transactional id.
func (t *TxnCoordinator) PartitionFor(id string) int32 {
	return int32(coord.Partition(id, t.cfg.Partitions))
}

// Txns lists loaded transactional ids, sorted.
func (t *TxnCoordinator) Txns() []*TxnMeta {
	ids := make([]string, 0, len(t.txns))
	for id := range t.txns {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]*TxnMeta, len(ids))
	for i, id := range ids {
		out[i] = t.txns[id]
	}
	return out
}

func (t *TxnCoordinator) active(p int32) bool {
	epoch, leads := t.host.LeaderEpoch(p)
	return follow(t.loaded, p, epoch, leads, t.load, func(p int32, _ string) { t.unload(p) })
}

func (t *TxnCoordinator) unload(p int32) {
	delete(t.loaded, p)
	for id, m := range t.txns {
		if m.Partition == p {
			m.unloaded = true
			delete(t.txns, id)
		}
	}
}

// load replays __transaction_state partition p; transactions caught in
// PrepareCommit or PrepareAbort get their markers written again.
func (t *TxnCoordinator) load(p int32, epoch int32) {
	t.loaded[p] = epoch
	recs := t.host.Read(p)
	last := map[string]*TxnValue{}
	for _, r := range recs {
		d, ok := decode(r)
		if !ok || d.txnID == "" || d.version != txnKeyVersion {
			continue
		}
		if d.tombstone {
			delete(last, d.txnID)
			continue
		}
		last[d.txnID] = d.txn
	}
	ids := make([]string, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		v := last[id]
		if t.PartitionFor(id) != p {
			continue
		}
		m := &TxnMeta{ID: id, Partition: p, ProducerID: v.ProducerID, Epoch: v.ProducerEpoch, Timeout: time.Duration(v.TimeoutMs) * time.Millisecond,
			State: v.State, Parts: map[names.TopicPartition]bool{}, Start: time.Duration(v.StartUS) * time.Microsecond}
		for _, tp := range v.Partitions {
			m.Parts[tp] = true
		}
		t.txns[id] = m
		if m.State == PrepareCommit || m.State == PrepareAbort {
			t.writeMarkers(m)
		}
	}
	t.host.Emit("txn_coordinator_loaded", fmt.Sprintf("this broker now leads %s-%d (leader epoch %d) and coordinates its %d transactional ids", TransactionStateTopic, p, epoch, len(ids)),
		map[string]any{"partition": p, "leader_epoch": epoch, "transactional_ids": len(ids)})
	t.scheduleCleanup()
}

func (t *TxnCoordinator) value(m *TxnMeta, state TxnState, epoch int16, parts []names.TopicPartition, start time.Duration) *TxnValue {
	if parts == nil {
		parts = []names.TopicPartition{}
	}
	return &TxnValue{ProducerID: m.ProducerID, ProducerEpoch: epoch, TimeoutMs: int32(m.Timeout / time.Millisecond), State: state,
		Partitions: parts, StartUS: int64(start / time.Microsecond)}
}

// write stores a new state for m, applying it once replicated.
func (t *TxnCoordinator) write(m *TxnMeta, v *TxnValue, done func(code proto.ErrorCode)) {
	m.busy = true
	t.host.Append(m.Partition, []Record{txnRecord(m.ID, v)}, func(code proto.ErrorCode) {
		m.busy = false
		if m.unloaded {
			done(proto.NotCoordinator)
			return
		}
		if code == proto.None {
			m.ProducerID, m.Epoch, m.State = v.ProducerID, v.ProducerEpoch, v.State
			m.Timeout = time.Duration(v.TimeoutMs) * time.Millisecond
			m.Parts = map[names.TopicPartition]bool{}
			for _, tp := range v.Partitions {
				m.Parts[tp] = true
			}
			m.Start = time.Duration(v.StartUS) * time.Microsecond
		}
		done(appendError(code))
	})
}

// InitProducerID handles InitProducerId (API key 22) with a
// transactional.id: the first call allocates a producer id; every later one
// bumps the epoch, which fences the previous producer instance, and an
// open transaction of that instance is aborted first (the caller hears
// CONCURRENT_TRANSACTIONS and retries).
func (t *TxnCoordinator) InitProducerID(req proto.InitProducerIDRequest, reply func(proto.InitProducerIDResponse)) {
	fail := func(code proto.ErrorCode) {
		reply(proto.InitProducerIDResponse{ErrorCode: code, ProducerID: -1, ProducerEpoch: -1})
	}
	p := t.PartitionFor(req.TransactionalID)
	if !t.active(p) {
		fail(proto.NotCoordinator)
		return
	}
	timeout := time.Duration(req.TransactionTimeoutMs) * time.Millisecond
	if timeout <= 0 || timeout > t.cfg.MaxTimeout {
		fail(proto.InvalidTransactionTimeout)
		return
	}
	m := t.txns[req.TransactionalID]
	if m == nil {
		m = &TxnMeta{ID: req.TransactionalID, Partition: p, ProducerID: t.host.NewProducerID(), Epoch: -1, Timeout: timeout, State: TxnEmpty, Parts: map[names.TopicPartition]bool{}}
		t.txns[m.ID] = m
	}
	if m.busy {
		fail(proto.ConcurrentTransactions)
		return
	}
	switch m.State {
	case PrepareCommit, PrepareAbort:
		fail(proto.ConcurrentTransactions)
		return
	case TxnOngoing:
		t.host.Emit("producer_fenced", fmt.Sprintf("transactional id %s: a new producer instance calls initTransactions; producer %d epoch %d is fenced and its open transaction aborted",
			m.ID, m.ProducerID, m.Epoch), map[string]any{"transactional_id": m.ID, "producer_id": m.ProducerID, "fenced_epoch": m.Epoch})
		t.abort(m, "a new producer instance took over the transactional id")
		fail(proto.ConcurrentTransactions)
		return
	}
	old := m.Epoch
	v := t.value(m, TxnEmpty, m.Epoch+1, nil, 0)
	v.TimeoutMs = req.TransactionTimeoutMs
	t.write(m, v, func(code proto.ErrorCode) {
		if code != proto.None {
			fail(code)
			return
		}
		if old >= 0 {
			t.host.Emit("producer_fenced", fmt.Sprintf("transactional id %s: epoch %d replaces epoch %d; the older instance is fenced (PRODUCER_FENCED)", m.ID, m.Epoch, old),
				map[string]any{"transactional_id": m.ID, "producer_id": m.ProducerID, "producer_epoch": m.Epoch, "fenced_epoch": old})
		}
		reply(proto.InitProducerIDResponse{ProducerID: m.ProducerID, ProducerEpoch: m.Epoch})
	})
}

// check validates a producer's id and epoch against the transactional id.
func (t *TxnCoordinator) check(id string, pid int64, epoch int16) (*TxnMeta, proto.ErrorCode) {
	p := t.PartitionFor(id)
	if !t.active(p) {
		return nil, proto.NotCoordinator
	}
	m := t.txns[id]
	switch {
	case m == nil || m.ProducerID != pid:
		return nil, proto.InvalidProducerIDMapping
	case epoch < m.Epoch:
		return nil, proto.ProducerFenced
	case epoch > m.Epoch:
		return nil, proto.InvalidProducerEpoch
	case m.busy:
		return nil, proto.ConcurrentTransactions
	}
	return m, proto.None
}

// AddPartitions handles AddPartitionsToTxn (API key 24) and, with the
// group's offsets partition, AddOffsetsToTxn (API key 25).
func (t *TxnCoordinator) AddPartitions(id string, pid int64, epoch int16, tps []names.TopicPartition, reply func(proto.ErrorCode)) {
	m, code := t.check(id, pid, epoch)
	if code != proto.None {
		reply(code)
		return
	}
	switch m.State {
	case PrepareCommit, PrepareAbort:
		reply(proto.ConcurrentTransactions)
		return
	}
	parts := m.Partitions()
	start := m.Start
	if m.State != TxnOngoing {
		parts, start = nil, t.host.Now()
	}
	added := false
	for _, tp := range tps {
		if m.State != TxnOngoing || !m.Parts[tp] {
			parts = append(parts, tp)
			added = true
		}
	}
	if !added && m.State == TxnOngoing {
		reply(proto.None)
		return
	}
	parts = dedupTPs(parts)
	t.write(m, t.value(m, TxnOngoing, m.Epoch, parts, start), func(code proto.ErrorCode) { reply(code) })
}

// VerifyPartitions handles a partition leader's AddPartitionsToTxn with
// VerifyOnly (KIP-890, TransactionCoordinator.handleVerifyPartitionsInTransaction):
// before the first transactional write of a producer to a partition, the
// leader asks whether the partition is in the producer's ongoing
// transaction. A partition that is not (a late write of an ended
// transaction, a write that never asked to join) gets TRANSACTION_ABORTABLE.
func (t *TxnCoordinator) VerifyPartitions(id string, pid int64, epoch int16, tps []names.TopicPartition, reply func(code proto.ErrorCode, perPartition map[names.TopicPartition]proto.ErrorCode)) {
	p := t.PartitionFor(id)
	if !t.active(p) {
		reply(proto.NotCoordinator, nil)
		return
	}
	m := t.txns[id]
	switch {
	case m == nil || m.ProducerID != pid:
		reply(proto.InvalidProducerIDMapping, nil)
		return
	case m.Epoch != epoch:
		reply(proto.ProducerFenced, nil)
		return
	case m.State == PrepareCommit || m.State == PrepareAbort:
		reply(proto.ConcurrentTransactions, nil)
		return
	}
	out := map[names.TopicPartition]proto.ErrorCode{}
	for _, tp := range tps {
		if m.State == TxnOngoing && m.Parts[tp] {
			out[tp] = proto.None
		} else {
			out[tp] = proto.TransactionAbortable
		}
	}
	reply(proto.None, out)
}

func dedupTPs(in []names.TopicPartition) []names.TopicPartition {
	names.Sort(in)
	out := in[:0]
	for i, tp := range in {
		if i == 0 || tp != in[i-1] {
			out = append(out, tp)
		}
	}
	return out
}

// EndTxn handles EndTxn (API key 26): PrepareCommit or PrepareAbort is
// written and the producer answered; then the markers go out, and the
// transaction completes once every partition has its marker. With
// transaction.version=2 (KIP-890) the prepare state carries the next
// epoch: the markers are written with it, the producer learns it from the
// answer, and a late write of the ended transaction (older epoch) is
// refused by every partition the transaction wrote to.
func (t *TxnCoordinator) EndTxn(req proto.EndTxnRequest, reply func(code proto.ErrorCode, pid int64, epoch int16)) {
	fail := func(code proto.ErrorCode) { reply(code, -1, -1) }
	if t.cfg.Version >= 2 {
		if m := t.txns[req.TransactionalID]; m != nil && t.active(m.Partition) && !m.busy && m.ProducerID == req.ProducerID && req.ProducerEpoch == m.Epoch-1 {
			// A retry of an EndTxn whose answer was lost: the epoch moved on
			// with it (TransactionCoordinator.handleEndTransaction, TV2).
			want, done := PrepareAbort, CompleteAbort
			if req.Committed {
				want, done = PrepareCommit, CompleteCommit
			}
			switch m.State {
			case done:
				reply(proto.None, m.ProducerID, m.Epoch)
				return
			case want:
				fail(proto.ConcurrentTransactions)
				return
			}
		}
	}
	m, code := t.check(req.TransactionalID, req.ProducerID, req.ProducerEpoch)
	if code != proto.None {
		fail(code)
		return
	}
	want, done := PrepareAbort, CompleteAbort
	if req.Committed {
		want, done = PrepareCommit, CompleteCommit
	}
	switch m.State {
	case TxnOngoing:
	case done:
		if t.cfg.Version >= 2 {
			fail(proto.InvalidTxnState) // TV2: an ended transaction's epoch is gone
			return
		}
		fail(proto.None) // a retry of an EndTxn that already completed
		return
	case want:
		fail(proto.ConcurrentTransactions)
		return
	default:
		fail(proto.InvalidTxnState)
		return
	}
	epoch := m.Epoch
	if t.cfg.Version >= 2 {
		epoch++ // Simplified: Kafka starts a new producer id when the epoch would overflow.
	}
	t.write(m, t.value(m, want, epoch, m.Partitions(), m.Start), func(code proto.ErrorCode) {
		if code != proto.None {
			fail(code)
			return
		}
		if t.cfg.Version >= 2 {
			reply(proto.None, m.ProducerID, m.Epoch)
		} else {
			reply(proto.None, -1, -1)
		}
		t.writeMarkers(m)
	})
}

// abort bumps the epoch (fencing the current producer) and aborts an open transaction.
func (t *TxnCoordinator) abort(m *TxnMeta, why string) {
	t.write(m, t.value(m, PrepareAbort, m.Epoch+1, m.Partitions(), m.Start), func(code proto.ErrorCode) {
		if code == proto.None {
			t.host.Emit("transaction_aborting", fmt.Sprintf("transactional id %s: the coordinator aborts the open transaction of producer %d: %s", m.ID, m.ProducerID, why),
				map[string]any{"transactional_id": m.ID, "producer_id": m.ProducerID, "producer_epoch": m.Epoch, "reason": why})
			t.writeMarkers(m)
		}
	})
}

func (t *TxnCoordinator) writeMarkers(m *TxnMeta) {
	commit := m.State == PrepareCommit
	mk := Markers{TransactionalID: m.ID, ProducerID: m.ProducerID, Epoch: m.Epoch, Commit: commit, Partitions: m.Partitions()}
	t.host.WriteMarkers(mk, func() {
		if m.unloaded || t.txns[m.ID] != m {
			return
		}
		final := CompleteAbort
		if commit {
			final = CompleteCommit
		}
		t.write(m, t.value(m, final, m.Epoch, nil, 0), func(code proto.ErrorCode) {
			if code != proto.None {
				return // the next coordinator finishes it after loading
			}
			verb := "aborted"
			if commit {
				verb = "committed"
			}
			t.host.Emit("transaction_completed", fmt.Sprintf("transactional id %s: the transaction of producer %d is %s on %d partitions", m.ID, m.ProducerID, verb, len(mk.Partitions)),
				map[string]any{"transactional_id": m.ID, "producer_id": m.ProducerID, "producer_epoch": m.Epoch, "committed": commit, "partitions": len(mk.Partitions)})
		})
	})
}

// scheduleCleanup runs the periodic abort of transactions open longer than
// their transaction.timeout.ms.
func (t *TxnCoordinator) scheduleCleanup() {
	if t.cleaning {
		return
	}
	t.cleaning = true
	t.host.After(t.cfg.CleanupInterval, func() {
		t.cleaning = false
		now := t.host.Now()
		for _, m := range t.Txns() {
			if m.State == TxnOngoing && !m.busy && now-m.Start > m.Timeout {
				if _, ok := t.host.LeaderEpoch(m.Partition); !ok {
					continue
				}
				t.abort(m, fmt.Sprintf("it was open longer than transaction.timeout.ms=%d", m.Timeout.Milliseconds()))
			}
		}
		if len(t.loaded) > 0 {
			t.scheduleCleanup()
		}
	})
}

// Txn returns the loaded state of a transactional id, or nil.
func (t *TxnCoordinator) Txn(id string) *TxnMeta { return t.txns[id] }

// LoadedEpoch reports whether partition p is loaded, and in which leader epoch.
func (t *TxnCoordinator) LoadedEpoch(p int32) (int32, bool) {
	e, ok := t.loaded[p]
	return e, ok
}

// Version is the transaction.version the coordinator runs.
func (t *TxnCoordinator) Version() int { return t.cfg.Version }
