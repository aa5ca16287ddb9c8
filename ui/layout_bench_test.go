package ui

import (
	"fmt"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// benchSnap is 3 brokers and 6 partitions of RF 3, each with a full strip
// of keyed and keyless records: the sandbox's usual picture.
func benchSnap() view.Snapshot {
	s := snap3()
	s.Partitions = nil
	for p := int32(0); p < 6; p++ {
		part := snap3().Partitions[0]
		part.Partition = p
		for i := range part.Records {
			if i%3 == 0 {
				part.Records[i].Key = nil
			} else {
				part.Records[i].Key = strp(fmt.Sprintf("user-%d", i%9))
			}
		}
		s.Partitions = append(s.Partitions, part)
	}
	return s
}

// BenchmarkClusterFrame is the Go side of one cluster-view frame: the
// layout and its markup.
func BenchmarkClusterFrame(b *testing.B) {
	s := benchSnap()
	b.ReportAllocs()
	for b.Loop() {
		_ = Layout(s, Window{Follow: true}).SVG("rec-orders-0-10")
	}
}
