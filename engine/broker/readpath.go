package broker

import (
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/view"
)

// The read path, as a MODEL (nothing is measured): a Kafka broker serves
// fetches from the page cache. On a plaintext listener it hands the file
// to the socket with sendfile(2) — zero-copy: the bytes never enter user
// space, and the CPU cost is small. With TLS (SSL or SASL_SSL listeners) the
// broker must read the bytes into the JVM, encrypt and write them — the
// copying path, an order of magnitude more CPU per byte. (Down-conversion
// for old clients also forces the copying path; every client here speaks
// v2, so it never happens.) The broker accumulates a simulated cpu_busy_ms
// and bytes_sent_zero_copy / bytes_sent_copied.
//
// What the model counts: the bytes a fetcher received, priced when its
// next fetch proves how far it got (the offset it asks for next), the same
// way a leader learns a follower's progress. A fetcher's last response is
// counted only once it fetches again.
const (
	// zeroCopyPicosPerByte: sendfile from the page cache, ≈ 0.05 ms of CPU per
	// MiB (mostly per-packet TCP work; the data moves by DMA).
	zeroCopyPicosPerByte = 50
	// copyPicosPerByte: read into user space, AES-GCM encrypt, write to the
	// socket, ≈ 1 ms of CPU per MiB (≈ 1 GB/s per core).
	copyPicosPerByte = 1000

	readPathModelNote = "model, not a measurement: CPU cost = bytes × 0.05 ns (zero-copy sendfile from the page cache) or × 1 ns (copied through user space for TLS); bytes are counted when the fetcher's next fetch shows how far it read"
)

// readStats are read-path counters; cpu in picoseconds keeps them integers.
type readStats struct {
	zeroCopy, copied int64
	cpuPicos         int64
}

// chargeFetch prices the bytes a fetch response carries through the read
// path (zero-copy sendfile, or copying for TLS listeners); sizes are the
// bytes of each partition, in order (scanFetch's fetchSizes).
func (b *Broker) chargeFetch(follower bool, resp proto.FetchResponse, sizes []int) {
	var st *storageState
	copied := b.copiesFor(follower)
	i := 0
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			if n := int64(sizes[i]); n > 0 {
				if st == nil {
					st = b.storage()
				}
				st.charge(names.TopicPartition{Topic: t.Name, Partition: pr.Index}, n, copied)
			}
			i++
		}
	}
}

// copiesFor reports whether a fetch goes through the copying path: the
// listener it arrives on uses TLS.
func (b *Broker) copiesFor(follower bool) bool {
	if follower {
		return b.settings.followersCopy
	}
	return b.settings.clientsCopy
}

// tlsListener reports whether a listener's security protocol encrypts.
func tlsListener(protocol string) bool { return protocol == "SSL" || protocol == "SASL_SSL" }

func (st *storageState) charge(tp names.TopicPartition, n int64, copied bool) {
	s := st.readByTP[tp]
	if s == nil {
		s = &readStats{}
		st.readByTP[tp] = s
	}
	for _, x := range []*readStats{s, &st.readTotal} {
		if copied {
			x.copied += n
			x.cpuPicos += n * copyPicosPerByte
		} else {
			x.zeroCopy += n
			x.cpuPicos += n * zeroCopyPicosPerByte
		}
	}
}

func picosToMs(p int64) float64 { return float64(p) / 1e9 }

// readView is the snapshot's read path of one replica, nil if it served nothing.
func (st *storageState) readView(tp names.TopicPartition) *view.ReadPath {
	s := st.readByTP[tp]
	if s == nil {
		return nil
	}
	return &view.ReadPath{BytesSentZeroCopy: s.zeroCopy, BytesSentCopied: s.copied, CPUBusyMs: picosToMs(s.cpuPicos),
		BrokerCPUBusyMs: picosToMs(st.readTotal.cpuPicos), ModelNote: readPathModelNote}
}

// ReadPathTotals is the broker's whole simulated read path: bytes sent
// zero-copy, bytes copied, and CPU milliseconds (a model; see readpath.go).
func (b *Broker) ReadPathTotals() (zeroCopy, copied int64, cpuBusyMs float64) {
	t := b.storage().readTotal
	return t.zeroCopy, t.copied, picosToMs(t.cpuPicos)
}
