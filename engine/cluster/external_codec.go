package cluster

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// externalAPIs are the engine requests an outside connection may send,
// by the API name a client_request step gives, with their JSON decoding
// (field names as written, batches' bytes in base64).
var externalAPIs = map[string]func([]byte) (any, error){
	"ApiVersions":            decodeAs[proto.APIVersionsRequest],
	"Metadata":               decodeAs[proto.MetadataRequest],
	"Produce":                decodeAs[proto.ProduceRequest],
	"Fetch":                  decodeAs[proto.FetchRequest],
	"ListOffsets":            decodeAs[proto.ListOffsetsRequest],
	"OffsetForLeaderEpoch":   decodeAs[proto.OffsetForLeaderEpochRequest],
	"CreateTopics":           decodeAs[proto.CreateTopicsRequest],
	"CreatePartitions":       decodeAs[proto.CreatePartitionsRequest],
	"DescribeConfigs":        decodeAs[proto.DescribeConfigsRequest],
	"InitProducerId":         decodeAs[proto.InitProducerIDRequest],
	"FindCoordinator":        decodeAs[proto.FindCoordinatorRequest],
	"JoinGroup":              decodeAs[proto.JoinGroupRequest],
	"SyncGroup":              decodeAs[proto.SyncGroupRequest],
	"Heartbeat":              decodeAs[proto.HeartbeatRequest],
	"LeaveGroup":             decodeAs[proto.LeaveGroupRequest],
	"OffsetCommit":           decodeAs[proto.OffsetCommitRequest],
	"OffsetFetch":            decodeAs[proto.OffsetFetchRequest],
	"ListGroups":             decodeAs[proto.ListGroupsRequest],
	"DescribeGroups":         decodeAs[proto.DescribeGroupsRequest],
	"AddPartitionsToTxn":     decodeAs[proto.AddPartitionsToTxnRequest],
	"AddOffsetsToTxn":        decodeAs[proto.AddOffsetsToTxnRequest],
	"EndTxn":                 decodeAs[proto.EndTxnRequest],
	"TxnOffsetCommit":        decodeAs[proto.TxnOffsetCommitRequest],
	"ConsumerGroupHeartbeat": decodeAs[proto.ConsumerGroupHeartbeatRequest],
	"Unsupported":            decodeAs[unsupportedRequest],
}

// unsupportedRequest is a request the host could not hand to the engine,
// journaled for its line in the event log.
type unsupportedRequest struct {
	API                    string
	Key, Version, Min, Max int16
}

func decodeAs[T any](b []byte) (any, error) {
	var v T
	if err := jsonwire.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// externalAPI names an engine request for a client_request step.
func externalAPI(body any) string {
	switch body.(type) {
	case proto.APIVersionsRequest:
		return "ApiVersions"
	case proto.MetadataRequest:
		return "Metadata"
	case proto.ProduceRequest:
		return "Produce"
	case proto.FetchRequest:
		return "Fetch"
	case proto.ListOffsetsRequest:
		return "ListOffsets"
	case proto.OffsetForLeaderEpochRequest:
		return "OffsetForLeaderEpoch"
	case proto.CreateTopicsRequest:
		return "CreateTopics"
	case proto.CreatePartitionsRequest:
		return "CreatePartitions"
	case proto.DescribeConfigsRequest:
		return "DescribeConfigs"
	case proto.InitProducerIDRequest:
		return "InitProducerId"
	case proto.FindCoordinatorRequest:
		return "FindCoordinator"
	case proto.JoinGroupRequest:
		return "JoinGroup"
	case proto.SyncGroupRequest:
		return "SyncGroup"
	case proto.HeartbeatRequest:
		return "Heartbeat"
	case proto.LeaveGroupRequest:
		return "LeaveGroup"
	case proto.OffsetCommitRequest:
		return "OffsetCommit"
	case proto.OffsetFetchRequest:
		return "OffsetFetch"
	case proto.ListGroupsRequest:
		return "ListGroups"
	case proto.DescribeGroupsRequest:
		return "DescribeGroups"
	case proto.AddPartitionsToTxnRequest:
		return "AddPartitionsToTxn"
	case proto.AddOffsetsToTxnRequest:
		return "AddOffsetsToTxn"
	case proto.EndTxnRequest:
		return "EndTxn"
	case proto.TxnOffsetCommitRequest:
		return "TxnOffsetCommit"
	case proto.ConsumerGroupHeartbeatRequest:
		return "ConsumerGroupHeartbeat"
	case unsupportedRequest:
		return "Unsupported"
	}
	panic(fmt.Sprintf("cluster: %T is not a request an outside connection sends", body))
}
