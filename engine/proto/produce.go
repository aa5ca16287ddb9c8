package proto

import "github.com/brokerlab/brokerlab/engine/record"

// ProduceRequest (API key 0) carries one record batch per partition.
// Modelled on version 11: acks, timeout, transactional id.
type ProduceRequest struct {
	Acks            int16 // 0, 1 or -1 (all)
	TimeoutMs       int32
	TransactionalID string
	Topics          []ProduceTopic
}

// ProduceTopic groups a topic's partitions in a produce request.
type ProduceTopic struct {
	Name       string
	Partitions []ProducePartition
}

// ProducePartition is one partition's batch.
type ProducePartition struct {
	Index int32
	Batch *record.Batch
}

// ProduceResponse answers a ProduceRequest (never sent for acks=0).
type ProduceResponse struct {
	Topics []ProduceTopicResponse
}

// ProduceTopicResponse groups partition answers.
type ProduceTopicResponse struct {
	Name       string
	Partitions []ProducePartitionResponse
}

// ProducePartitionResponse is one partition's outcome.
type ProducePartitionResponse struct {
	Index          int32
	ErrorCode      ErrorCode
	ErrorMessage   string
	BaseOffset     int64
	LogAppendTime  int64 // -1 unless message.timestamp.type=LogAppendTime
	LogStartOffset int64
}

// TakeProduceRequest returns the ProduceRequest body carries, by value or
// as a pointer into a sender's cells (rpc.Cells); a pointer's cell is
// cleared, so it pins nothing once delivered.
func TakeProduceRequest(body any) (ProduceRequest, bool) {
	return take[ProduceRequest](body)
}

// TakeProduceResponse is TakeProduceRequest for a ProduceResponse.
func TakeProduceResponse(body any) (ProduceResponse, bool) {
	return take[ProduceResponse](body)
}
