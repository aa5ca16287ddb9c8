package broker

import "time"

// flushCheckEvery is how often the broker's log flusher looks at its logs.
// It stands for Kafka's log.flush.scheduler.interval.ms and for the kernel's
// writeback thread (vm.dirty_writeback_centisecs = 5 s, here 1 s).
const flushCheckEvery = time.Second

func (b *Broker) startFlusher() {
	b.after(flushCheckEvery, func() {
		for _, r := range b.Replicas() {
			r.log.MaybeFlush(b.now())
		}
		b.startFlusher()
	})
}
