package proto

// APIVersionsRequest (API key 18) is the first request a Kafka client
// sends on a new connection; the connection counts as ready once it is
// answered (NetworkClient's CHECKING_API_VERSIONS state). Simplified: no
// version ranges, as the engine speaks one version of every API.
type APIVersionsRequest struct{}

// APIVersionsResponse answers it.
type APIVersionsResponse struct {
	ErrorCode ErrorCode
}
