package log

// Store is the disk a broker's logs live on: named files with positional I/O.
// The pure engine only ever sees this interface; the memory backend lives in
// this package and the files backend (plain os calls) is injected by the
// entry points (see wasm/filestore). Names are slash-separated relative paths
// such as "broker-1/orders-0/00000000000000000000.log".
type Store interface {
	// Open opens the named file, creating it (and its parent folders) if missing.
	Open(name string) (File, error)
	// Remove deletes the named file; removing a missing file is not an error.
	Remove(name string) error
	// List returns every file name under prefix (a folder, "" for all), sorted.
	List(prefix string) ([]string, error)
}

// File is one open file of a Store.
type File interface {
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	Truncate(size int64) error
	Size() (int64, error)
	// Sync makes every write so far durable (fsync).
	Sync() error
	Close() error
}
