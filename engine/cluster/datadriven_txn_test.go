package cluster

import (
	"fmt"
	"strings"
)

// ddTxn prints transactions from both sides: each transactional
// producer's TransactionManager state, each coordinator's transactional
// ids, the HWM and LSO of every partition of the topic given as
// topic=NAME (all user topics without it), and how many records each
// consumer has consumed.
//
//	txn [topic=NAME]
func ddTxn(g *goldenState, c goldenCase) string {
	s := g.c.Snapshot(SnapshotOptions{})
	var b strings.Builder
	for _, p := range s.Producers {
		t := p.Transaction
		if t == nil {
			continue
		}
		fmt.Fprintf(&b, "producer %s: %s id=%d epoch=%d partitions=[%s] committed=%d aborted=%d", p.Name, t.State, t.ProducerID, t.ProducerEpoch,
			strings.Join(t.Partitions, " "), t.Committed, t.Aborted)
		if t.LastError != "" {
			fmt.Fprintf(&b, " error=%q", t.LastError)
		}
		b.WriteString("\n")
	}
	for _, t := range s.Transactions {
		fmt.Fprintf(&b, "coordinator %d: %s %s id=%d epoch=%d partitions=[%s] (transaction.version=%d)\n", t.Coordinator, t.TransactionalID, t.State,
			t.ProducerID, t.ProducerEpoch, strings.Join(t.Partitions, " "), t.Version)
	}
	for _, p := range s.Partitions {
		if topic := c.args["topic"]; topic != "" && p.Topic != topic || topic == "" && strings.HasPrefix(p.Topic, "__") {
			continue
		}
		lso := "-"
		if p.LSO != nil {
			lso = fmt.Sprint(*p.LSO)
		}
		fmt.Fprintf(&b, "%s-%d hwm=%d lso=%s\n", p.Topic, p.Partition, p.HWM, lso)
	}
	for _, cs := range s.Consumers {
		fmt.Fprintf(&b, "consumer %s consumed=%d\n", cs.Name, cs.Consumed)
	}
	if b.Len() == 0 {
		return "(no transactions)"
	}
	return b.String()
}
