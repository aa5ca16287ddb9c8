// Package log is one partition replica's log: Kafka's segmented, indexed
// record-batch log over a Store, with a page-cache model.
//
// Segments are files named by their base offset ("<dir>/<20 digits>.log").
// Kafka also keeps ".index" and ".timeindex" files next to each segment; this
// package keeps both indexes in memory only and rebuilds them from the
// segment files on Open (simplification: the files would only cache what a
// scan recomputes).
//
// Appended batches first live in the Log's page cache (not in the Store) and
// reach the Store only when flushed: by flush.messages, flush.ms, a segment
// roll (Kafka flushes the rolled segment right away), an explicit Flush, or
// the optional OS write-back model. Crash drops what is still in the page
// cache, exactly what a power loss would; the Store then holds what a
// restarted broker finds, and Open recovers from it.
//
// The package is pure: virtual time comes in as a time.Duration, all I/O
// goes through the Store.
package log
