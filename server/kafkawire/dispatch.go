package kafkawire

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/twmb/franz-go/pkg/kbin"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// api is one request kind the listener covers: the versions it accepts
// (the ones ApiVersions advertises) and its handler, in the file named
// after the request.
type api struct {
	min, max int16
	serve    func(s *session, seq uint32, h header, req kmsg.Request)
}

// apis is every request the listener serves, by API key. Versions stop
// where Kafka switched from topic names to topic ids (Produce v13,
// Fetch v13): the engine names topics. README.md lists them and why.
var apis = map[int16]api{
	0:  {3, 12, serveProduce},        // produce.go
	1:  {4, 12, serveFetch},          // fetch.go
	2:  {1, 10, serveListOffsets},    // list_offsets.go
	3:  {0, 12, serveMetadata},       // metadata.go
	8:  {2, 9, serveOffsetCommit},    // offsets.go
	9:  {1, 7, serveOffsetFetch},     // offsets.go
	10: {0, 6, serveFindCoordinator}, // find_coordinator.go
	11: {0, 9, serveJoinGroup},       // groups.go
	12: {0, 4, serveHeartbeat},       // groups.go
	13: {0, 5, serveLeaveGroup},      // groups.go
	14: {0, 5, serveSyncGroup},       // groups.go
	15: {0, 5, serveDescribeGroups},  // describe_groups.go
	16: {0, 4, serveListGroups},      // describe_groups.go
	18: {0, 5, nil},                  // api_versions.go (serve calls it: it reads this table)
	19: {2, 7, serveCreateTopics},    // create_topics.go
	20: {1, 6, serveDeleteTopics},    // delete_topics.go
	22: {0, 5, serveInitProducerID},  // init_producer_id.go
	23: {2, 4, serveOffsetForLeaderEpoch},
	24: {0, 3, serveAddPartitionsToTxn},
	25: {0, 4, serveAddOffsetsToTxn},
	26: {0, 4, serveEndTxn},
	28: {0, 4, serveTxnOffsetCommit}, // txn.go
	32: {1, 4, serveDescribeConfigs},
	37: {0, 3, serveCreatePartitions}, // create_topics.go
	68: {0, 1, serveConsumerGroupHeartbeat},
}

// apiKeys lists the covered keys in order (for ApiVersions).
func apiKeys() []int16 {
	var keys []int16
	for k := range apis {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// unsupportedVersion is Kafka's UNSUPPORTED_VERSION.
const unsupportedVersion = 35

// serve decodes one request frame and hands it to its handler (mu held).
// A frame that does not parse closes the connection, as Kafka's broker
// does; a request or version the listener does not cover gets
// UNSUPPORTED_VERSION and a line in the event log.
func (s *session) serve(seq uint32, frame []byte) {
	h, err := parseHeader(frame)
	if err != nil {
		s.e.logf("kafkawire: %s: %v; closing the connection", s.name, err)
		s.drop()
		return
	}
	name := kmsg.NameForKey(h.key)
	if name == "" {
		name = fmt.Sprintf("API key %d", h.key)
	}
	a, ok := apis[h.key]
	if !ok || h.version < a.min || h.version > a.max {
		s.unsupported(seq, h, name, a, ok)
		return
	}
	req := kmsg.RequestForKey(h.key)
	req.SetVersion(h.version)
	body := h.body
	if req.IsFlexible() {
		r := kbin.Reader{Src: body}
		kmsg.SkipTags(&r)
		if !r.Ok() {
			s.e.logf("kafkawire: %s: %s v%d: the header's tagged fields do not parse; closing the connection", s.name, name, h.version)
			s.drop()
			return
		}
		body = r.Src
	}
	if err := req.ReadFrom(body); err != nil {
		s.e.logf("kafkawire: %s: %s v%d does not parse: %v; closing the connection", s.name, name, h.version, err)
		s.drop()
		return
	}
	if h.key == 18 {
		serveAPIVersions(s, seq, h, req)
		return
	}
	a.serve(s, seq, h, req)
}

// unsupported answers a request the listener does not cover. ApiVersions
// of a newer version gets a v0 answer listing what is covered, so the
// client can pick a version (KIP-511); a request kmsg knows gets its
// response with UNSUPPORTED_VERSION as its top-level error code when it
// has one; anything else closes the connection, as Kafka does for a
// request it cannot read. Each is a line in the event log.
func (s *session) unsupported(seq uint32, h header, name string, a api, covered bool) {
	why := "the playground does not cover this request"
	if !covered {
		a.min, a.max = -1, -1
	} else {
		why = fmt.Sprintf("the playground covers versions %d to %d", a.min, a.max)
	}
	s.x.Unsupported(name, h.key, h.version, a.min, a.max)
	s.e.logf("kafkawire: %s: %s v%d: %s", s.name, name, h.version, why)
	if h.key == 18 {
		resp := apiVersionsResponse(0)
		resp.ErrorCode = unsupportedVersion
		s.reply(seq, h, resp)
		return
	}
	resp := kmsg.ResponseForKey(h.key)
	if resp == nil || h.version < 0 || h.version > resp.MaxVersion() {
		s.drop()
		return
	}
	resp.SetVersion(h.version)
	f := reflect.ValueOf(resp).Elem().FieldByName("ErrorCode")
	if !f.IsValid() || f.Kind() != reflect.Int16 {
		s.drop()
		return
	}
	f.SetInt(unsupportedVersion)
	s.reply(seq, h, resp)
}
