package client

import "testing"

// TestTxnTransitions is TransactionManager.State.isTransitionValid, row by
// row: each target and the states it may be entered from.
func TestTxnTransitions(t *testing.T) {
	from := map[txnPhase][]txnPhase{
		txnUninitialized:  nil, // Kafka allows READY → UNINITIALIZED only for an idempotent producer's reset
		txnInitializing:   {txnUninitialized, txnAborting},
		txnReady:          {txnInitializing, txnCommitting, txnAborting},
		txnInTransaction:  {txnReady},
		txnCommitting:     {txnInTransaction},
		txnAborting:       {txnInTransaction, txnAbortableError},
		txnAbortableError: {txnInTransaction, txnCommitting, txnAbortableError},
		txnFatalError:     {txnUninitialized, txnInitializing, txnReady, txnInTransaction, txnCommitting, txnAborting, txnAbortableError, txnFatalError},
	}
	for to := txnUninitialized; to <= txnFatalError; to++ {
		for src := txnUninitialized; src <= txnFatalError; src++ {
			want := false
			for _, s := range from[to] {
				want = want || s == src
			}
			if got := to.validFrom(src); got != want {
				t.Errorf("%s → %s: valid %v, want %v", src, to, got, want)
			}
		}
	}
	m := &txnManualState{id: "tx", state: txnReady, p: &Producer{}}
	if err := m.transition(txnCommitting, nil); err == nil || err.class != "IllegalStateException" ||
		err.msg != "TransactionalId tx: Invalid transition attempted from state READY to state COMMITTING_TRANSACTION" {
		t.Errorf("READY → COMMITTING_TRANSACTION: %+v, want Kafka's IllegalStateException", err)
	}
}
