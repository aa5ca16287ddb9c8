package broker

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// handleDescribeConfigs (API key 32) lists a topic's settings (set on the
// topic, inherited from this broker's log.* settings, or Kafka's default)
// or this broker's own. Simplified: no synonyms and no dynamic broker
// configs (the engine has none); internal settings that are not set, and
// the simulation's own (playground.*), are left out.
func (b *Broker) handleDescribeConfigs(body proto.DescribeConfigsRequest) proto.DescribeConfigsResponse {
	var resp proto.DescribeConfigsResponse
	for _, res := range body.Resources {
		out := proto.DescribeConfigsResult{Type: res.Type, Name: res.Name}
		var scope config.Scope
		var vals config.Values
		var onTopic map[string]string
		switch res.Type {
		case proto.ConfigResourceTopic:
			t := b.image.Topics[res.Name]
			if t == nil {
				out.ErrorCode, out.ErrorMessage = proto.UnknownTopicOrPartition, fmt.Sprintf("topic %s does not exist", res.Name)
				resp.Results = append(resp.Results, out)
				continue
			}
			scope, vals, onTopic = config.Topic, b.topicConfig(t), t.Configs
		case proto.ConfigResourceBroker:
			if res.Name != strconv.Itoa(int(b.opts.ID)) {
				out.ErrorCode, out.ErrorMessage = proto.InvalidRequest, fmt.Sprintf("this is broker %d: ask broker %q itself", b.opts.ID, res.Name)
				resp.Results = append(resp.Results, out)
				continue
			}
			scope, vals = config.Broker, b.opts.Config
		default:
			out.ErrorCode, out.ErrorMessage = proto.InvalidRequest, fmt.Sprintf("resource type %d is not covered (topics are 2, brokers 4)", res.Type)
			resp.Results = append(resp.Results, out)
			continue
		}
		for _, d := range config.Defs(scope) {
			if res.ConfigNames != nil && !slices.Contains(res.ConfigNames, d.Name) {
				continue
			}
			value, set := vals.Raw(d.Name)
			if (d.Internal && !set) || strings.HasPrefix(d.Name, "playground.") {
				continue // Kafka's internal settings, and the simulation's own
			}
			e := proto.ConfigEntry{Name: d.Name, Value: value, Source: proto.ConfigSourceDefault}
			if _, ok := onTopic[d.Name]; ok {
				e.Source = proto.ConfigSourceDynamicTopic
			} else if set {
				e.Source = proto.ConfigSourceStaticBroker
			}
			if body.IncludeDocumentation {
				e.Documentation = d.Doc
			}
			out.Configs = append(out.Configs, e)
		}
		resp.Results = append(resp.Results, out)
	}
	return resp
}
