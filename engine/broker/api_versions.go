package broker

import "github.com/brokerlab/brokerlab/engine/proto"

// handleAPIVersions (API key 18) answers the first request of a client's
// new connection: a running broker always can (a paused one answers when
// it resumes, a crashed one refuses the connection before this).
func (b *Broker) handleAPIVersions() proto.APIVersionsResponse {
	return proto.APIVersionsResponse{ErrorCode: proto.None}
}
