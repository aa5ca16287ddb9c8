package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DescribeConfigs (key 32), v1–4: a topic's or a broker's settings and
// where each comes from, answered by the broker the client asked (clients
// send a broker resource to that broker). Simplified: no synonyms, every
// value is neither read-only nor sensitive, types are not reported.
func serveDescribeConfigs(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.DescribeConfigsRequest)
	body := proto.DescribeConfigsRequest{IncludeDocumentation: req.IncludeDocumentation}
	for _, r := range req.Resources {
		body.Resources = append(body.Resources, proto.ConfigResource{Type: int8(r.ResourceType), Name: r.ResourceName, ConfigNames: r.ConfigNames})
	}
	send(s, body, func(r proto.DescribeConfigsResponse) {
		resp := req.ResponseKind().(*kmsg.DescribeConfigsResponse)
		for _, res := range r.Results {
			rr := kmsg.NewDescribeConfigsResponseResource()
			rr.ErrorCode, rr.ResourceType, rr.ResourceName = int16(res.ErrorCode), kmsg.ConfigResourceType(res.Type), res.Name
			if res.ErrorMessage != "" {
				rr.ErrorMessage = kmsg.StringPtr(res.ErrorMessage)
			}
			for _, c := range res.Configs {
				rc := kmsg.NewDescribeConfigsResponseResourceConfig()
				rc.Name, rc.Value, rc.Source = c.Name, kmsg.StringPtr(c.Value), kmsg.ConfigSource(c.Source)
				rc.IsDefault = c.Source == proto.ConfigSourceDefault
				if req.IncludeDocumentation {
					rc.Documentation = kmsg.StringPtr(c.Documentation)
				}
				rr.Configs = append(rr.Configs, rc)
			}
			resp.Resources = append(resp.Resources, rr)
		}
		s.reply(seq, h, resp)
	})
}
