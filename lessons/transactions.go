package lessons

import (
	"errors"
	"fmt"
	"slices"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over transactions: the last stable offset, the transaction
// coordinator's state of a transactional id, and what read_committed hides
// from a read_committed consumer that read_uncommitted shows.

func init() {
	register[partitionParams]("lso_below_hwm", "a partition of the topic (or the given one) has its last stable offset below its high watermark: a transaction is open there", 0, lsoBelowHWM)
	register[txnStateParams]("transaction_state", "the transaction coordinator holds the transactional id in state (Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort)", 0, transactionState)
	register[isolationParams]("isolation_gap", "the read_uncommitted consumer has read at least min (default 1) records more than the read_committed one: records of open or aborted transactions", 0, isolationGap)
}

// lsoBelowHWM: some selected partition's LSO is below its HWM.
func lsoBelowHWM(s view.Snapshot, _ []view.Event, p *partitionParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	for _, ps := range parts {
		if ps.LSO != nil && *ps.LSO < ps.HWM {
			return true, say("%s-%d: last stable offset %d, high watermark %d", ps.Topic, ps.Partition, *ps.LSO, ps.HWM)
		}
	}
	return false, say("no selected partition of %s has an open transaction: the last stable offset equals the high watermark", p.Topic)
}

type txnStateParams struct {
	TransactionalID string `json:"transactional_id"`
	State           string `json:"state"`
}

var txnStates = []string{"Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort"}

func (p *txnStateParams) validate() error {
	if p.TransactionalID == "" {
		return errors.New("missing \"transactional_id\"")
	}
	if !slices.Contains(txnStates, p.State) {
		return fmt.Errorf("\"state\" must be one of %v, got %q", txnStates, p.State)
	}
	return nil
}

// transactionState: the coordinator holds the transactional id in the state.
func transactionState(s view.Snapshot, _ []view.Event, p *txnStateParams) (bool, string) {
	for _, t := range s.Transactions {
		if t.TransactionalID == p.TransactionalID {
			return t.State == p.State, say("transactional id %s is %s on its coordinator, broker %d", t.TransactionalID, t.State, t.Coordinator)
		}
	}
	return false, say("no transaction coordinator knows transactional id %s yet", p.TransactionalID)
}

type isolationParams struct {
	Uncommitted string `json:"uncommitted"`
	Committed   string `json:"committed"`
	Min         int64  `json:"min"`
}

func (p *isolationParams) validate() error {
	if p.Uncommitted == "" || p.Committed == "" {
		return errors.New("missing \"uncommitted\" or \"committed\" (the two consumers)")
	}
	if p.Min == 0 {
		p.Min = 1
	}
	return atLeastOne("min", p.Min)
}

// isolationGap: the read_uncommitted consumer read min records more.
func isolationGap(s view.Snapshot, _ []view.Event, p *isolationParams) (bool, string) {
	var ru, rc *view.ConsumerSnapshot
	for i := range s.Consumers {
		switch s.Consumers[i].Name {
		case p.Uncommitted:
			ru = &s.Consumers[i]
		case p.Committed:
			rc = &s.Consumers[i]
		}
	}
	if ru == nil || rc == nil {
		return false, say("consumers %s and %s are not both started yet", p.Uncommitted, p.Committed)
	}
	return ru.Consumed-rc.Consumed >= p.Min, say("consumer %s (read_uncommitted) has read %d records, consumer %s (read_committed) %d", ru.Name, ru.Consumed, rc.Name, rc.Consumed)
}
