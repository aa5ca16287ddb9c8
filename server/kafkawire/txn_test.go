package kafkawire

import (
	"context"
	"fmt"
	"testing"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestTransactions: one transaction committed and one aborted; a
// read_committed consumer sees only the first (and a record produced
// after both), a read_uncommitted one sees the aborted records too.
func TestTransactions(t *testing.T) {
	s, e, _ := start(t, "")
	admin := client(t, s)
	createTopic(t, admin, "payments", 1, 3, nil)
	tx := client(t, s, kgo.TransactionalID("tx-1"), kgo.DefaultProduceTopic("payments"), kgo.ProducerBatchCompression(kgo.NoCompression()))
	for i, commit := range []kgo.TransactionEndTry{kgo.TryCommit, kgo.TryAbort} {
		if err := tx.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 5; j++ {
			v := fmt.Sprintf("txn%d-%d", i, j)
			if err := tx.ProduceSync(ctx(t), &kgo.Record{Value: []byte(v)}).FirstErr(); err != nil {
				t.Fatalf("produce %s: %v", v, err)
			}
		}
		if err := tx.EndTransaction(context.Background(), commit); err != nil {
			t.Fatalf("end transaction %d: %v", i, err)
		}
	}
	plain := client(t, s, kgo.DefaultProduceTopic("payments"), kgo.ProducerBatchCompression(kgo.NoCompression()))
	if err := plain.ProduceSync(ctx(t), &kgo.Record{Value: []byte("after")}).FirstErr(); err != nil {
		t.Fatal(err)
	}

	values := func(isolation kgo.IsolationLevel, n int) []string {
		cl := client(t, s, kgo.ConsumeTopics("payments"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(isolation))
		var out []string
		for _, r := range consume(t, cl, n) {
			out = append(out, string(r.Value))
		}
		return out
	}
	if got, want := fmt.Sprint(values(kgo.ReadCommitted(), 6)), "[txn0-0 txn0-1 txn0-2 txn0-3 txn0-4 after]"; got != want {
		t.Fatalf("read_committed saw %s, want %s", got, want)
	}
	if got := values(kgo.ReadUncommitted(), 11); got[5] != "txn1-0" || got[10] != "after" {
		t.Fatalf("read_uncommitted saw %v, want the aborted records too", got)
	}
	e.Locked(func(c *cluster.Cluster) {
		for _, x := range c.Snapshot(cluster.SnapshotOptions{}).Transactions {
			if x.TransactionalID == "tx-1" {
				if x.State != "CompleteAbort" {
					t.Errorf("the coordinator's state of tx-1 is %s, want CompleteAbort", x.State)
				}
				return
			}
		}
		t.Error("the engine's snapshot has no transactional id tx-1")
	})
}
