package proto

// TxnOffsetCommitRequest (API key 28) stages a group's offsets inside a
// transaction (sendOffsetsToTransaction, second step): the group
// coordinator keeps them pending and applies them only when the commit
// marker arrives. Modelled on version 3 (KIP-447: the consumer's generation
// and member id fence zombies).
type TxnOffsetCommitRequest struct {
	TransactionalID string
	GroupID         string
	ProducerID      int64
	ProducerEpoch   int16
	GenerationID    int32
	MemberID        string
	GroupInstanceID string
	Topics          []OffsetCommitTopic
}

// TxnOffsetCommitResponse answers per partition.
type TxnOffsetCommitResponse struct {
	Topics []OffsetCommitTopicResponse
}
