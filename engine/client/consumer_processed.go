package client

import "github.com/brokerlab/brokerlab/engine/names"

// processedRuns remembers which offsets a group consumer's application
// processed, per partition, as runs of consecutive offsets: enough to count
// at a crash the processed records that were not committed, in memory that
// grows with the gaps in what it read (rebalances, transaction markers),
// not with the records.
type processedRuns struct {
	runs  map[names.TopicPartition]*offsetRuns
	last  *offsetRuns // of lastK, for the next record of the same partition
	lastK names.TopicPartition
	total int
}

// offsetRuns are one partition's runs in processing order; a record read
// again (after a rebalance) opens a run of its own and counts twice.
type offsetRuns struct{ rs []offsetRun }

// offsetRun is the offsets [from, to).
type offsetRun struct{ from, to int64 }

func (p *processedRuns) add(topic string, part int32, off int64) {
	p.total++
	if p.last == nil || p.lastK.Partition != part || p.lastK.Topic != topic {
		k := names.TopicPartition{Topic: topic, Partition: part}
		r := p.runs[k]
		if r == nil {
			if p.runs == nil {
				p.runs = map[names.TopicPartition]*offsetRuns{}
			}
			r = &offsetRuns{}
			p.runs[k] = r
		}
		p.last, p.lastK = r, k
	}
	rs := p.last.rs
	if n := len(rs); n > 0 && rs[n-1].to == off {
		rs[n-1].to++
		return
	}
	p.last.rs = append(rs, offsetRun{off, off + 1})
}

// uncommitted counts the processed records at or past their partition's
// committed offset (every record of a partition without one).
func (p *processedRuns) uncommitted(committed map[names.TopicPartition]int64) int {
	n := int64(0)
	for k, r := range p.runs { // a sum: the order does not matter
		off, ok := committed[k]
		for _, run := range r.rs {
			switch {
			case !ok || run.from >= off:
				n += run.to - run.from
			case run.to > off:
				n += run.to - off
			}
		}
	}
	return int(n)
}
