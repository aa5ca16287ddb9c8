package share

// Batch is a run of in-flight records with one state and delivery count,
// as Kafka's share coordinator stores them (PersisterStateBatch).
type Batch struct {
	FirstOffset   int64       `json:"first_offset"`
	LastOffset    int64       `json:"last_offset"`
	State         RecordState `json:"delivery_state"`
	DeliveryCount int         `json:"delivery_count"`
}

// Batches is the share-partition's state to persist: its in-flight records
// as runs. An Acquired record is stored as Available with its delivery
// count (a lock does not survive the leader, as in Kafka).
func (p *Partition) Batches() []Batch {
	var out []Batch
	for _, r := range p.recs {
		st := r.State
		if st == Acquired {
			st = Available
		}
		if n := len(out); n > 0 && out[n-1].State == st && out[n-1].DeliveryCount == r.DeliveryCount && out[n-1].LastOffset+1 == r.Offset {
			out[n-1].LastOffset = r.Offset
			continue
		}
		out = append(out, Batch{FirstOffset: r.Offset, LastOffset: r.Offset, State: st, DeliveryCount: r.DeliveryCount})
	}
	return out
}

// Restore rebuilds a share-partition from its persisted start offset and
// batches (a new leader initializing it, SharePartition.maybeInitialize).
// Offsets between batches hold no state and come back Available with no
// delivery.
func Restore(cfg Config, startOffset int64, batches []Batch) *Partition {
	p := New(cfg, startOffset)
	for _, b := range batches {
		for off := b.FirstOffset; off <= b.LastOffset; off++ {
			if off < p.SPEO() {
				continue
			}
			for p.SPEO() < off {
				p.recs = append(p.recs, InFlight{Offset: p.SPEO(), State: Available})
			}
			st := b.State
			if st == Acquired {
				st = Available
			}
			p.recs = append(p.recs, InFlight{Offset: off, State: st, DeliveryCount: b.DeliveryCount})
		}
	}
	p.advance()
	return p
}
