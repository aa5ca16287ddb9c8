package broker

import (
	"fmt"
	"time"
)

// flushCheckEvery is how often the broker's log flusher looks at its logs.
// It stands for Kafka's log.flush.scheduler.interval.ms and for the kernel's
// writeback thread (vm.dirty_writeback_centisecs = 5 s, here 1 s).
const flushCheckEvery = time.Second

func (b *Broker) startFlusher() {
	b.after(flushCheckEvery, func() {
		for _, r := range b.Replicas() {
			_, err := r.log.MaybeFlush(b.now())
			b.noteFlushError(r, err)
		}
		b.startFlusher()
	})
}

// noteFlushError reports a failing disk once (e.g. the browser's storage
// quota is exhausted: ENOSPC) and again when it recovers. Nothing already
// on disk is touched; unflushed appends stay in the page cache, so a crash
// now would lose them.
// Simplified: Kafka marks the log directory offline (KafkaStorageException)
// and a broker left without an online log directory halts; here the broker
// keeps serving from its page cache, so the playground survives a full
// browser quota. The UI's alert says so.
func (b *Broker) noteFlushError(r *Replica, err error) {
	tp := r.TP
	switch {
	case err != nil && !r.flushFailing:
		r.flushFailing, r.flushErr = true, err.Error()
		b.emit("storage_error", &tp, fmt.Sprintf("broker %d cannot write %s to disk: %v; the records stay in the page cache and nothing already stored is lost", b.opts.ID, tp, err),
			map[string]any{"error": err.Error()})
	case err == nil && r.flushFailing:
		r.flushFailing, r.flushErr = false, ""
		b.emit("storage_recovered", &tp, fmt.Sprintf("broker %d writes %s to disk again", b.opts.ID, tp), nil)
	}
}
