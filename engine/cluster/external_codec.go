package cluster

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// decodeExternal decodes the engine request of a client_request step by
// the API name it gives (field names as written, batches' bytes in
// base64). A switch, not a table: a package-level table would keep every
// decoder in engine.wasm, which leaves the client ops out (ops_clients.go).
func decodeExternal(api string, b []byte) (any, error) {
	switch api {
	case "ApiVersions":
		return decodeAs[proto.APIVersionsRequest](b)
	case "Metadata":
		return decodeAs[proto.MetadataRequest](b)
	case "Produce":
		return decodeAs[proto.ProduceRequest](b)
	case "Fetch":
		return decodeAs[proto.FetchRequest](b)
	case "ListOffsets":
		return decodeAs[proto.ListOffsetsRequest](b)
	case "OffsetForLeaderEpoch":
		return decodeAs[proto.OffsetForLeaderEpochRequest](b)
	case "CreateTopics":
		return decodeAs[proto.CreateTopicsRequest](b)
	case "CreatePartitions":
		return decodeAs[proto.CreatePartitionsRequest](b)
	case "DeleteTopics":
		return decodeAs[proto.DeleteTopicsRequest](b)
	case "DescribeConfigs":
		return decodeAs[proto.DescribeConfigsRequest](b)
	case "InitProducerId":
		return decodeAs[proto.InitProducerIDRequest](b)
	case "FindCoordinator":
		return decodeAs[proto.FindCoordinatorRequest](b)
	case "JoinGroup":
		return decodeAs[proto.JoinGroupRequest](b)
	case "SyncGroup":
		return decodeAs[proto.SyncGroupRequest](b)
	case "Heartbeat":
		return decodeAs[proto.HeartbeatRequest](b)
	case "LeaveGroup":
		return decodeAs[proto.LeaveGroupRequest](b)
	case "OffsetCommit":
		return decodeAs[proto.OffsetCommitRequest](b)
	case "OffsetFetch":
		return decodeAs[proto.OffsetFetchRequest](b)
	case "ListGroups":
		return decodeAs[proto.ListGroupsRequest](b)
	case "DescribeGroups":
		return decodeAs[proto.DescribeGroupsRequest](b)
	case "AddPartitionsToTxn":
		return decodeAs[proto.AddPartitionsToTxnRequest](b)
	case "AddOffsetsToTxn":
		return decodeAs[proto.AddOffsetsToTxnRequest](b)
	case "EndTxn":
		return decodeAs[proto.EndTxnRequest](b)
	case "TxnOffsetCommit":
		return decodeAs[proto.TxnOffsetCommitRequest](b)
	case "ConsumerGroupHeartbeat":
		return decodeAs[proto.ConsumerGroupHeartbeatRequest](b)
	case "Unsupported":
		return decodeAs[UnsupportedRequest](b)
	}
	return nil, fmt.Errorf("unknown api %q", api)
}

// UnsupportedRequest is a request the host could not hand to the engine,
// journaled for its line in the event log (client_request "Unsupported").
type UnsupportedRequest struct {
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
	case proto.DeleteTopicsRequest:
		return "DeleteTopics"
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
	case UnsupportedRequest:
		return "Unsupported"
	}
	panic(fmt.Sprintf("cluster: %T is not a request an outside connection sends", body))
}
