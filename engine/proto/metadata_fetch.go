package proto

import "github.com/brokerlab/brokerlab/engine/metadata"

// MetadataFetchRequest is a broker's Fetch on the __cluster_metadata log
// (KRaft brokers replicate metadata by fetching it like a partition).
// It waits up to MaxWaitMs at the controller for new records.
type MetadataFetchRequest struct {
	BrokerID    int32
	FetchOffset int64 // next offset wanted
	MaxWaitMs   int32
}

// MetadataFetchResponse returns committed metadata records from FetchOffset.
type MetadataFetchResponse struct {
	ErrorCode     ErrorCode
	Records       []metadata.Record
	HighWatermark int64
}
