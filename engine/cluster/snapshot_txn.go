package cluster

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// transactionsSnapshot shows transactions from both sides: each
// transactional producer's TransactionManager state, each coordinator's
// transactional ids, and — once any transaction exists — every shown
// partition's last stable offset.
func transactionsSnapshot(c *Cluster, s *view.Snapshot, _ SnapshotOptions) {
	for i := range s.Producers {
		if p := c.Producers[s.Producers[i].Name]; p != nil {
			s.Producers[i].Transaction = p.TxnView()
		}
	}
	for _, b := range c.Brokers {
		tc := b.TxnCoordinator()
		if tc == nil {
			continue
		}
		for _, m := range tc.Txns() {
			ts := view.TransactionSnapshot{TransactionalID: m.ID, Coordinator: b.ID(), State: string(m.State), ProducerID: m.ProducerID,
				ProducerEpoch: m.Epoch, TimeoutMs: int64(m.Timeout / time.Millisecond), Partitions: []string{}, Version: tc.Version()}
			for _, tp := range m.Partitions() {
				ts.Partitions = append(ts.Partitions, tp.String())
			}
			s.Transactions = append(s.Transactions, ts)
		}
	}
	if len(s.Transactions) == 0 {
		return
	}
	img := c.metadataImage().CommittedImage()
	for i := range s.Partitions {
		ps := &s.Partitions[i]
		lb, _ := c.leaderReplica(img, ps.Topic, ps.Partition)
		if lb == nil {
			continue
		}
		if lso := lb.LastStableOffset(names.TopicPartition{Topic: ps.Topic, Partition: ps.Partition}); lso >= 0 {
			ps.LSO = &lso
		}
	}
}
