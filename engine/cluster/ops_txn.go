package cluster

import (
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// A transactional producer's calls: init_transactions, begin_transaction,
// send_offsets, commit_transaction and abort_transaction (send is produce).

func (c *Cluster) initTransactions(cmd scenario.Command) {
	c.Producers[cmd.Producer].InitTransactions()
}

func (c *Cluster) beginTransaction(cmd scenario.Command) {
	c.Producers[cmd.Producer].BeginTransaction()
}

func (c *Cluster) sendOffsets(cmd scenario.Command) {
	tp := names.TopicPartition{Topic: cmd.Topic, Partition: int32(*cmd.Partition)}
	c.Producers[cmd.Producer].SendOffsetsToTransaction(cmd.Group, map[names.TopicPartition]int64{tp: *cmd.Offset})
}

func (c *Cluster) commitTransaction(cmd scenario.Command) {
	c.Producers[cmd.Producer].CommitTransaction()
}

func (c *Cluster) abortTransaction(cmd scenario.Command) {
	c.Producers[cmd.Producer].AbortTransaction()
}
