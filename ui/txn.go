package ui

import (
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// This file is the clients panel's transactional side: a transactional
// producer's state (Kafka's TransactionManager states) and its buttons —
// initTransactions, beginTransaction, commitTransaction, abortTransaction —
// plus the send-offsets form (sendOffsetsToTransaction with a group id
// only, as a producer used without a consumer sends it), and each
// transaction coordinator's view of the transactional ids.

// TxnForm is what the learner typed into the send-offsets form.
type TxnForm struct {
	Group     string
	Topic     string // "" = the produce form's topic
	Partition string
	Offset    string
}

func defaultTxnForm() TxnForm { return TxnForm{Group: "g1", Partition: "0", Offset: "0"} }

// txnText is a transactional producer's line: "pay-1 · IN_TRANSACTION · id 2001, epoch 0 · [payments-0]".
func txnText(t *view.ProducerTxn) string {
	s := Tf("txn.producer", t.TransactionalID, t.State, t.ProducerID, t.ProducerEpoch)
	if len(t.Partitions) > 0 {
		s += " · " + strings.Join(t.Partitions, " ")
	}
	return s
}

// txnCoordText is a coordinator's line for one transactional id.
func txnCoordText(t view.TransactionSnapshot) string {
	s := Tf("txn.coordinator", t.TransactionalID, t.Coordinator, t.State, t.ProducerEpoch, t.Version)
	if len(t.Partitions) > 0 {
		s += " · " + strings.Join(t.Partitions, " ")
	}
	return s
}

// hasTxnProducer reports whether some producer has a transactional.id.
func hasTxnProducer(s view.Snapshot) bool {
	for _, p := range s.Producers {
		if p.Transaction != nil {
			return true
		}
	}
	return false
}

// TxnCall sends one of a transactional producer's calls (no fields).
func (a *App) TxnCall(op, producer string) {
	a.ApplyFrom(PanelClients, Cmd{Op: op, Producer: producer})
}

// SendOffsetsCommand builds the send-offsets form's command for producer.
func (a *App) SendOffsetsCommand(producer string) (Cmd, error) {
	f := a.Txn
	topic := strings.TrimSpace(f.Topic)
	if topic == "" {
		topic = a.FormTopic()
	}
	group := strings.TrimSpace(f.Group)
	if topic == "" || group == "" {
		return Cmd{}, errf("txn.offsets.missing")
	}
	part, err1 := strconv.Atoi(strings.TrimSpace(f.Partition))
	off, err2 := strconv.ParseInt(strings.TrimSpace(f.Offset), 10, 64)
	if err1 != nil || err2 != nil || part < 0 || off < 0 {
		return Cmd{}, errf("txn.offsets.values")
	}
	return Cmd{Op: "send_offsets", Producer: producer, Group: group, Topic: topic, Partition: ptr(part), Offset: ptr(off)}, nil
}

// SendOffsets sends the send-offsets form for producer.
func (a *App) SendOffsets(producer string) {
	c, err := a.SendOffsetsCommand(producer)
	if err != nil {
		a.formError(PanelClients, err.Error())
		return
	}
	a.ApplyFrom(PanelClients, c)
}
