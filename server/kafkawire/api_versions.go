package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ApiVersions (key 18), v0–5 (v5's cluster and node ids, KIP-1242, are not checked): the broker must be running to answer (a
// paused one answers when it resumes); the answer lists exactly the
// requests and versions of apis. No finalized features are advertised,
// so clients use transactions of transaction.version 1 (AddPartitionsToTxn
// from the client) and the classic group protocol unless told otherwise.
func serveAPIVersions(s *session, seq uint32, h header, req kmsg.Request) {
	s.x.Send(proto.APIVersionsRequest{}, func(body any, code proto.ErrorCode) {
		if code != proto.None {
			s.drop()
			return
		}
		s.reply(seq, h, apiVersionsResponse(h.version))
	})
}

func apiVersionsResponse(version int16) *kmsg.ApiVersionsResponse {
	resp := kmsg.NewPtrApiVersionsResponse()
	resp.SetVersion(version)
	for _, k := range apiKeys() {
		a := apis[k]
		key := kmsg.NewApiVersionsResponseApiKey()
		key.ApiKey, key.MinVersion, key.MaxVersion = k, a.min, a.max
		resp.ApiKeys = append(resp.ApiKeys, key)
	}
	return resp
}
