package broker

import (
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/record"
)

// txnIndex follows a replica's transactions for its last stable offset:
// which producers have a transaction open (and where it began) and which
// transactions were aborted. It scans the log incrementally, so it needs
// no hook in the append path (Kafka keeps this in the ProducerStateManager
// and the .txnindex files).
type txnIndex struct {
	scanned int64
	open    map[int64]int64 // producer id → first offset of its open transaction
	aborted []abortedTxn
}

type abortedTxn struct {
	pid         int64
	first, last int64
}

func (h *groupHost) index(r *Replica) *txnIndex {
	ix := h.txnIndex[r.TP]
	if ix == nil || ix.scanned > r.LEO() || ix.scanned < r.log.LogStartOffset() {
		ix = &txnIndex{scanned: r.log.LogStartOffset(), open: map[int64]int64{}}
		h.txnIndex[r.TP] = ix
	}
	for ix.scanned < r.LEO() {
		batches, err := r.log.Read(ix.scanned, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		for _, bt := range batches {
			ix.note(bt)
			ix.scanned = bt.NextOffset()
		}
	}
	return ix
}

func (ix *txnIndex) note(bt *record.Batch) {
	if !bt.IsTransactional() {
		return
	}
	first, open := ix.open[bt.ProducerID]
	if !bt.IsControl() {
		if !open {
			ix.open[bt.ProducerID] = bt.BaseOffset
		}
		return
	}
	if !open {
		return
	}
	delete(ix.open, bt.ProducerID)
	if !IsCommitMarker(bt) {
		ix.aborted = append(ix.aborted, abortedTxn{bt.ProducerID, first, bt.BaseOffset})
	}
}

// lso is the last stable offset: the first offset of the earliest open
// transaction, or the HWM when none is open.
func (h *groupHost) lso(r *Replica) int64 {
	ix := h.index(r)
	lso := r.HWM
	for _, first := range ix.open {
		if first < lso {
			lso = first
		}
	}
	return lso
}

// isAborted reports whether a transactional batch belongs to an aborted transaction.
func (ix *txnIndex) isAborted(bt *record.Batch) bool {
	for _, a := range ix.aborted {
		if a.pid == bt.ProducerID && bt.BaseOffset >= a.first && bt.BaseOffset < a.last {
			return true
		}
	}
	return false
}

// LastStableOffset is the LSO of a partition this broker leads, or -1.
func (b *Broker) LastStableOffset(tp names.TopicPartition) int64 {
	r := b.replicas.get(tp.Topic, tp.Partition)
	h := hostOf(b)
	if r == nil || !r.IsLeader || h == nil || b.down {
		return -1
	}
	return h.lso(r)
}
