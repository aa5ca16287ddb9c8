package view

// ReplicaStorage is what the storage layer shows of one replica
// (ReplicaSnapshot.Storage): its cleanup policy, the log cleaner's view of
// a compacted log, and the broker's read path for it.
type ReplicaStorage struct {
	// CleanupPolicy is the effective cleanup.policy: "delete", "compact" or both.
	CleanupPolicy string        `json:"cleanup_policy"`
	Cleaner       *CleanerState `json:"cleaner,omitempty"`   // compacted logs only
	ReadPath      *ReadPath     `json:"read_path,omitempty"` // only once the replica served reads
}

// CleanerState is the log cleaner's view of one compacted replica.
type CleanerState struct {
	// Checkpoint is the cleaner checkpoint (cleaner-offset-checkpoint):
	// offsets below it were cleaned; the dirty section starts here.
	Checkpoint int64 `json:"checkpoint"`
	// FirstUncleanableOffset is where the next cleaning would stop; Limit
	// says why (the active segment, the high watermark, min.compaction.lag.ms).
	FirstUncleanableOffset int64  `json:"first_uncleanable_offset"`
	Limit                  string `json:"limit"`
	// DirtyRatio = DirtyBytes / (CleanBytes + DirtyBytes); the cleaner runs
	// when it is above MinCleanableDirtyRatio (min.cleanable.dirty.ratio).
	DirtyRatio             float64 `json:"dirty_ratio"`
	MinCleanableDirtyRatio float64 `json:"min_cleanable_dirty_ratio"`
	CleanBytes             int64   `json:"clean_bytes"`
	DirtyBytes             int64   `json:"dirty_bytes"`
	UncleanableBytes       int64   `json:"uncleanable_bytes"`
	// Cleanings counts this replica's cleanings since the broker started;
	// the last one was at LastCleanedUS and removed LastRecordsRemoved records.
	Cleanings          int64 `json:"cleanings"`
	LastCleanedUS      int64 `json:"last_cleaned_us,omitempty"`
	LastRecordsRemoved int64 `json:"last_records_removed,omitempty"`
}

// ReadPath is the broker's read path for one replica, as a MODEL: bytes
// served to consumers and followers either go page cache → socket with
// sendfile (zero-copy) or are copied through user space (TLS encryption)
// at a higher simulated CPU cost. Nothing here is measured.
type ReadPath struct {
	BytesSentZeroCopy int64   `json:"bytes_sent_zero_copy"`
	BytesSentCopied   int64   `json:"bytes_sent_copied"`
	CPUBusyMs         float64 `json:"cpu_busy_ms"`
	// BrokerCPUBusyMs is the whole broker's simulated read-path CPU time.
	BrokerCPUBusyMs float64 `json:"broker_cpu_busy_ms"`
	ModelNote       string  `json:"model_note"`
}

// DiskFile is a segment file a reload found different on disk: the replay
// wrote Expected bytes, the disk held Found (-1: missing), and the two agree
// on the first CutAt bytes.
type DiskFile struct {
	Broker   int    `json:"broker"`
	File     string `json:"file"` // relative to the broker's folder: "orders-0/00000000000000000000.log"
	Expected int64  `json:"expected_bytes"`
	Found    int64  `json:"found_bytes"`
	CutAt    int64  `json:"cut_at"`
}

// DiskCheck is check_disk's reply: how the files an earlier page left
// compare with the files the replay of its journal rebuilt.
type DiskCheck struct {
	Compared bool   `json:"compared"`
	Reason   string `json:"reason,omitempty"` // why not compared
	Files    int    `json:"files"`
	TimeUS   int64  `json:"time_us"`
	// Damage lists the files that lost bytes, Commands the disk_fault
	// commands that make the brokers recover from them.
	Damage   []DiskFile       `json:"damage"`
	Commands []map[string]any `json:"commands"`
	// Unwritten lists files the earlier run could not write in full (its
	// disk was full): the replay's bytes stand, nothing is cut.
	Unwritten []DiskFile `json:"unwritten"`
}
