package lessons

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, transactionCases) }

func i64(n int64) *int64 { return &n }

// payments has a transaction open on partition 0 (LSO 3 < HWM 5) and none
// on partition 1; pay-1 is Ongoing on broker 2; ru read 5, rc 3.
func payments() view.Snapshot {
	return view.Snapshot{
		Topics: []view.TopicSnapshot{{Name: "payments", Partitions: 2}},
		Partitions: []view.PartitionState{
			{Topic: "payments", Partition: 0, HWM: 5, LSO: i64(3)},
			{Topic: "payments", Partition: 1, HWM: 2, LSO: i64(2)},
		},
		Transactions: []view.TransactionSnapshot{{TransactionalID: "pay-1", Coordinator: 2, State: "Ongoing"}},
		Consumers:    []view.ConsumerSnapshot{{Name: "ru", Consumed: 5}, {Name: "rc", Consumed: 3}},
	}
}

func transactionCases() []eventCase {
	s := payments()
	return []eventCase{
		{"lso_below_hwm", `{"topic":"payments"}`, s, nil, true, "payments-0: last stable offset 3, high watermark 5"},
		{"lso_below_hwm", `{"topic":"payments","partition":1}`, s, nil, false, "no selected partition of payments has an open transaction: the last stable offset equals the high watermark"},
		{"lso_below_hwm", `{"topic":"orders"}`, s, nil, false, "topic orders does not exist yet"},

		{"transaction_state", `{"transactional_id":"pay-1","state":"Ongoing"}`, s, nil, true, "transactional id pay-1 is Ongoing on its coordinator, broker 2"},
		{"transaction_state", `{"transactional_id":"pay-1","state":"CompleteAbort"}`, s, nil, false, "transactional id pay-1 is Ongoing on its coordinator, broker 2"},
		{"transaction_state", `{"transactional_id":"pay-2","state":"Empty"}`, s, nil, false, "no transaction coordinator knows transactional id pay-2 yet"},

		{"isolation_gap", `{"uncommitted":"ru","committed":"rc","min":2}`, s, nil, true, "consumer ru (read_uncommitted) has read 5 records, consumer rc (read_committed) 3"},
		{"isolation_gap", `{"uncommitted":"ru","committed":"rc","min":3}`, s, nil, false, "consumer ru (read_uncommitted) has read 5 records, consumer rc (read_committed) 3"},
		{"isolation_gap", `{"uncommitted":"ru","committed":"x"}`, s, nil, false, "consumers ru and x are not both started yet"},
	}
}

func TestTransactionPredicates(t *testing.T) { runCases(t, transactionCases()) }

func TestTransactionPredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"transaction_state", `{"state":"Ongoing"}`, `missing "transactional_id"`},
		{"transaction_state", `{"transactional_id":"t","state":"Open"}`, `"state" must be one of`},
		{"isolation_gap", `{"uncommitted":"ru"}`, `missing "uncommitted" or "committed"`},
		{"isolation_gap", `{"uncommitted":"ru","committed":"rc","min":-1}`, `"min" must be at least 1, got -1`},
		{"lso_below_hwm", `{}`, `missing "topic"`},
	} {
		_, err := LookupPredicate(c.check).ParseParams(json.RawMessage(c.params))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %s: err = %v, want %q", c.check, c.params, err, c.err)
		}
	}
}

// TestTransactionLessonCoversTheIssue checks lesson 16 against issue 14's
// "transactions by hand" (checkCoverage is in producer_test.go).
func TestTransactionLessonCoversTheIssue(t *testing.T) {
	checkCoverage(t, []lessonCoverage{
		{"transactions-by-hand", []string{"lso_below_hwm", "isolation_gap", "transaction_state", "event_seen"},
			[]string{"transaction", "transactional-id", "read-committed", "last-stable-offset", "producer-epoch", "zombie-fencing"},
			[]string{"read_committed", "read_uncommitted", "transaction.version=2", "KIP-890"}},
	})
}
