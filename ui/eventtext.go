package ui

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/internal/pattern"
)

// The event log renders each shown event from its kind and data through a
// per-locale format (eventEN, eventKO), so a learner reads it in the
// interface's language. Formats name their arguments in braces: {group},
// {tp}, {leader_epoch}. The arguments are, in order of precedence:
//
//   - the event's data fields (numbers exactly as the engine wrote them,
//     lists as [a b], maps as k=v, …);
//   - fields a kind's fromMsg patterns pull out of the engine's English
//     message, for what the data does not carry (a reason, a timeout);
//   - node (broker-1), name (the client's name, c1), id (the broker's or
//     controller's number), topic, partition and tp (topic-partition).
//
// A kind may have variants ("kind/variant"), chosen by its spec from the
// data or by which fromMsg pattern matched. Kafka's own names (config keys,
// error codes, API names) stay as they are in every locale.
//
// The engine's message is only the fallback: for a kind with no format, or
// when a format asks for an argument the event lacks. TestEveryEventKindHasAFormat
// scans the engine's emit sites so that no kind goes without one.
//
// Formatting happens only for the lines the log shows (at most logRows),
// and each line once: the log is rebuilt on every render, so texts are
// remembered (a line costs ~15 µs natively, 60 lines ~1 ms; a remembered
// one a map lookup).

// EventText is the event's message in the current locale; raw is the
// event's data as the engine sent it (nil when unknown).
func EventText(e view.Event, raw json.RawMessage) string {
	k := textKey{e.Seq, Locale, e.Kind, e.Msg, string(raw)}
	textMu.Lock()
	defer textMu.Unlock()
	if s, ok := textCache[k]; ok {
		return s
	}
	s := eventText(Locale, e, raw)
	if len(textCache) >= maxTextCache {
		clear(textCache)
	}
	textCache[k] = s
	return s
}

// textKey names a rendered event text. A rewind replays the same events
// under the same numbers; a different future has other messages or data,
// so they are part of the key.
type textKey struct {
	seq            int64
	loc, kind, msg string
	data           string
}

const maxTextCache = 4096

var (
	textMu    sync.Mutex
	textCache = map[textKey]string{}
)

// dataAt is data[i], or nil past its end.
func dataAt(data []json.RawMessage, i int) json.RawMessage {
	if i < len(data) {
		return data[i]
	}
	return nil
}

// eventFormats maps a locale to its event formats by kind (or kind/variant).
var eventFormats = map[string]map[string]string{"en": eventEN, "ko": eventKO}

// eventText renders e in locale loc.
func eventText(loc string, e view.Event, raw json.RawMessage) string {
	s, _ := renderEvent(loc, e, raw)
	return s
}

// renderEvent renders e in locale loc, or returns its message and false
// when no format fits.
func renderEvent(loc string, e view.Event, raw json.RawMessage) (string, bool) {
	table := eventFormats[loc]
	if table == nil {
		table = eventEN
	}
	if _, ok := eventEN[e.Kind]; !ok {
		return e.Msg, false
	}
	a := eventArgs(e, raw)
	spec := eventSpecs[e.Kind]
	variant := ""
	for _, f := range spec.fromMsg {
		if m := f.re.FindStringSubmatch(e.Msg); m != nil {
			for i, n := range f.re.SubexpNames() {
				if n != "" && m[i] != "" {
					if _, has := a[n]; !has {
						a[n] = m[i]
					}
				}
			}
			variant = f.variant
			break
		}
	}
	if spec.variant != nil {
		if v := spec.variant(a); v != "" {
			variant = v
		}
	}
	format, ok := "", false
	if variant != "" {
		format, ok = table[e.Kind+"/"+variant]
		if !ok {
			format, ok = eventEN[e.Kind+"/"+variant]
		}
	}
	if !ok {
		if format, ok = table[e.Kind]; !ok {
			format = eventEN[e.Kind]
		}
	}
	out, ok := fillFormat(format, a, func(key, v string) string {
		if phraseArgs[key] {
			return phrase(loc, v)
		}
		return v
	})
	if !ok {
		return e.Msg, false
	}
	return out, true
}

// evArgs are a format's arguments by name.
type evArgs map[string]string

// eventArgs collects the arguments of e (see the package comment above).
func eventArgs(e view.Event, raw json.RawMessage) evArgs {
	a := evArgs{}
	var data map[string]any
	if len(raw) > 0 {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber() // a seed or an id stays exact
		if d.Decode(&data) != nil {
			data = nil
		}
	}
	if data == nil {
		data = e.Data
	}
	for k, v := range data {
		a[k] = argString(v)
	}
	if e.Node != "" {
		a["node"] = e.Node
		for _, p := range []string{"producer-", "consumer-"} {
			if n, ok := strings.CutPrefix(e.Node, p); ok {
				a["name"] = n
			}
		}
		for _, p := range []string{"broker-", "controller-"} {
			if n, ok := strings.CutPrefix(e.Node, p); ok {
				a["id"] = n
			}
		}
	}
	if e.Topic != "" {
		a["topic"] = e.Topic
	}
	if e.Partition != nil {
		a["partition"] = strconv.Itoa(int(*e.Partition))
	}
	if a["topic"] != "" && a["partition"] != "" {
		a["tp"] = a["topic"] + "-" + a["partition"]
	}
	return a
}

// argString formats one data value: numbers as written, lists as [a b],
// maps as k=v in a natural order (at most 5 pairs, then +N).
func argString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, el := range x {
			parts[i] = argString(el)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return naturalLess(keys[i], keys[j]) })
		var parts []string
		for i, k := range keys {
			if i == 4 && len(keys) > 5 {
				parts = append(parts, "+"+strconv.Itoa(len(keys)-4))
				break
			}
			parts = append(parts, k+"="+argString(x[k]))
		}
		return strings.Join(parts, ", ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// naturalLess orders "t-2" before "t-10".
func naturalLess(a, b string) bool {
	ap, an := splitNum(a)
	bp, bn := splitNum(b)
	if ap != bp || an < 0 || bn < 0 {
		return a < b
	}
	return an < bn
}

func splitNum(s string) (string, int) {
	i := strings.LastIndexByte(s, '-')
	if i < 0 {
		return s, -1
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return s, -1
	}
	return s[:i], n
}

// placeholder is one {name} of a format.
var placeholder = pattern.MustCompile(`\{([a-z_0-9]+)\}`)

// fillFormat replaces every {name} of format with its argument, passed
// through conv; it fails when an argument is missing.
func fillFormat(format string, a evArgs, conv func(key, v string) string) (string, bool) {
	ok := true
	out := placeholder.ReplaceAllStringFunc(format, func(m string) string {
		key := m[1 : len(m)-1]
		v, has := a[key]
		if !has {
			ok = false
			return m
		}
		return conv(key, v)
	})
	return out, ok
}

// phraseArgs are the arguments that hold the engine's English prose (a
// reason, an error explanation); other locales translate them phrase by
// phrase (phrasesKO) and keep what they do not know as it is.
var phraseArgs = map[string]bool{"why": true, "reason": true, "detail": true, "how": true, "role": true, "member": true, "error": true, "err": true}

// phrase translates one piece of the engine's prose into loc.
func phrase(loc, s string) string {
	return phraseDepth(loc, s, 0)
}

func phraseDepth(loc, s string, depth int) string {
	for _, p := range phraseTables[loc] {
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		return groupRef.ReplaceAllStringFunc(p.to, func(ref string) string {
			i, err := strconv.Atoi(ref[2 : len(ref)-1])
			if err != nil || i >= len(m) {
				return ref
			}
			if depth < 4 && p.re.SubexpNames()[i] == "r" {
				return phraseDepth(loc, m[i], depth+1)
			}
			return m[i]
		})
	}
	return s
}

// groupRef is ${N} in a phrase rule's replacement.
var groupRef = pattern.MustCompile(`\$\{[0-9]+\}`)

// phraseRule rewrites a whole phrase matching re (anchored) as to, which
// may use re's groups as $1, $2…; a group named r, (?P<r>…), is itself a
// phrase and is translated in turn.
type phraseRule struct {
	re *pattern.Regexp
	to string
}

var dollarN = pattern.MustCompile(`\$([0-9]+)`)

// phraseTables maps a locale to its phrase rules (English needs none).
var phraseTables = map[string][]phraseRule{}

// phrasePairs are the pattern, replacement pairs phraseTables is built from,
// by locale (what text/<locale>.json carries to ui.wasm).
var phrasePairs = map[string][]string{}

// rules builds phrase rules from pattern, replacement pairs.
func rules(pairs ...string) []phraseRule {
	out := make([]phraseRule, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		// $1 becomes ${1}: Go would read "$1개" as a group named "1개".
		to := dollarN.ReplaceAllStringFunc(pairs[i+1], func(m string) string { return "${" + m[1:] + "}" })
		out = append(out, phraseRule{pattern.MustCompile("^(?:" + pairs[i] + ")$"), to})
	}
	return out
}

// crashedVariant keeps a share consumer's variant (read from its message)
// and picks "group" for a group member's crash.
func crashedVariant(a evArgs) string {
	switch {
	case a["share"] != "" || a["group"] == "":
		return ""
	case a["session_ms"] == "": // the consumer protocol: the broker's timeout
		return "consumer"
	}
	return "group"
}

// evSpec tells how to pick a kind's variant and what to read out of its
// English message.
type evSpec struct {
	// variant picks the variant from the arguments ("" for none).
	variant func(a evArgs) string
	// fromMsg are tried in order; the first that matches adds its named
	// groups (those the data lacks) and selects its variant.
	fromMsg []msgForm
}

// msgForm is one shape of a kind's English message.
type msgForm struct {
	variant string
	re      *pattern.Regexp
}

// form compiles one msgForm. Out of line: it runs once per table entry
// (~60 sites) at start.
//
//go:noinline
func form(variant, re string) msgForm { return msgForm{variant, pattern.MustCompile(re)} }

// is returns a variant picker: v when the argument key equals val.
func is(key, val, v string) func(evArgs) string {
	return func(a evArgs) string {
		if a[key] == val {
			return v
		}
		return ""
	}
}

// has returns a variant picker: v when the argument key is present and not empty.
func has(key, v string) func(evArgs) string {
	return func(a evArgs) string {
		if a[key] != "" && a[key] != "[]" {
			return v
		}
		return ""
	}
}

// eventSpecs are the kinds that need more than their data and one format.
var eventSpecs = map[string]evSpec{
	"admin_error": {fromMsg: []msgForm{
		form("add", `^add partitions to \S+ failed with \S+: (?P<detail>.+)$`),
		form("detail", `^create topic \S+ failed with \S+: (?P<detail>.+)$`),
		form("delete_detail", `^delete topic \S+ failed with \S+: (?P<detail>.+)$`),
		form("delete", `^delete topic `),
	}},
	"assignment_computed":        {fromMsg: []msgForm{form("", `assigns (?P<members>\d+) members`)}},
	"batch_split":                {fromMsg: []msgForm{form("", `\((?P<bytes>\d+) bytes\)`)}},
	"became_follower":            {variant: is("leader", "-1", "offline")},
	"broker_crashed":             {variant: is("mode", "power", "power")},
	"client_disconnected":        {variant: is("by", "broker", "reset")},
	"client_request_unsupported": {variant: is("min", "-1", "none")},
	"broker_fenced":              {fromMsg: []msgForm{form("", `is fenced: (?P<why>.*) \((?P<timeout>[^()]*)\)$`)}},
	"command_failed":             {fromMsg: []msgForm{form("", `^[^:]*: (?P<err>.*)$`)}},
	"commit_failed":              {fromMsg: []msgForm{form("", `^consumer \S+: (?P<how>.*?) failed: `)}},
	"config_warning":             {variant: has("config", "producer"), fromMsg: []msgForm{form("", `^topic (?P<topic>\S+): min\.insync\.replicas=(?P<min_isr>\d+) exceeds replication factor (?P<rf>\d+)`)}},
	"consumer_closed": {variant: has("group", "group"), fromMsg: []msgForm{
		form("", `after (?P<count>\d+) records(?: and (?P<how>.*))?$`)}},
	"consumer_crashed": {variant: crashedVariant, fromMsg: []msgForm{
		form("share_batch", `^(?P<share>share) consumer \S+ crashed \(kill -9\) in the middle of a batch`),
		form("share", `^(?P<share>share) consumer `),
		form("", `session\.timeout\.ms=(?P<session_ms>\d+)`)}},
	"consumer_error": {variant: has("topic", "no_offset")},
	"consumer_started": {variant: has("group", "group"), fromMsg: []msgForm{
		form("", `reads (?P<topics>\[.*\]) with auto\.offset\.reset=(?P<reset>\S+)$`),
		form("", ` as a (?P<member>.+?) \(`)}},
	"controller_crashed":     {fromMsg: []msgForm{form("", `(?P<left>\d+) of (?P<voters>\d+) voters remain`)}},
	"controller_elected":     {fromMsg: []msgForm{form("", `of (?P<voters>\d+) votes`)}},
	"controller_election":    {fromMsg: []msgForm{form("", `needs (?P<need>\d+) of (?P<voters>\d+) votes`)}},
	"controller_resigned":    {variant: has("voters_heard", "quorum"), fromMsg: []msgForm{form("", `of (?P<voters>\d+) voters fetched`)}},
	"controller_restarted":   {fromMsg: []msgForm{form("", `with (?P<records>\d+) metadata records`)}},
	"coordinator_unloaded":   {fromMsg: []msgForm{form("", `-\d+: (?P<why>.*)$`)}},
	"crash_armed":            {variant: is("at", "before_process", "before_process")},
	"create_topic_requested": {fromMsg: []msgForm{form("", `for up to (?P<timeout>[^()]+)\)$`)}},
	"delete_topic_requested": {fromMsg: []msgForm{form("", `for up to (?P<timeout>[^()]+)\)$`)}},
	"disk_fault": {variant: is("files", "0", "nothing"), fromMsg: []msgForm{
		form("restart", `; broker (?P<broker>\d+) restarts and recovers from its disk$`),
		form("", `no segment of broker (?P<broker>\d+)`)}},
	"duplicate_dropped": {fromMsg: []msgForm{form("", `sequence \d+–(?P<last_sequence>\d+)`)}},
	"group_joined": {fromMsg: []msgForm{
		form("static_leader", `; it is the leader, back as a static member`),
		form("leader", `; it is the leader: `),
		form("", `.`)}},
	"group_epoch_bumped": {fromMsg: []msgForm{form("share", `^share group `)}},
	"group_joining":      {fromMsg: []msgForm{form("consumer", `with the consumer protocol \(KIP-848\) as member`), form("", `to broker (?P<coordinator>-?\d+)`)}},
	"group_state_changed": {
		variant: func(a evArgs) string {
			switch {
			case a["protocol"] == "share":
				return "share"
			case a["protocol"] == "consumer": // a KIP-848 group: Assigning, Reconciling, Stable…
				return "consumer"
			case a["to"] == "PreparingRebalance":
				return ""
			}
			return a["to"]
		},
		fromMsg: []msgForm{
			form("first", `group\.initial\.rebalance\.delay\.ms=(?P<delay_ms>\d+)`),
			form("no_members", `; no members are left$`),
			form("", `rejoin within (?P<timeout>\S+)$`),
			form("", `target assignment epoch (?P<assignment_epoch>\d+)\)$`),
		}},
	"join_rejected":          {fromMsg: []msgForm{form("", `session\.timeout\.ms=(?P<session_ms>\d+) is outside group\.min\.session\.timeout\.ms=(?P<min_ms>\d+) … group\.max\.session\.timeout\.ms=(?P<max_ms>\d+)`)}},
	"log_swap_recovered":     {fromMsg: []msgForm{form("", `^broker \d+: \S+: (?P<reason>.*)$`)}},
	"link_fault":             {fromMsg: []msgForm{form("", `^link (?P<a>\S+) ↔ (?P<b>\S+) degraded`)}},
	"log_start_offset_moved": {variant: is("reason", "leader", "leader")},
	"log_truncated":          {variant: has("log_start_offset", "below"), fromMsg: []msgForm{form("", `to \d+: (?P<why>.*)$`)}},
	"member_joined":          {variant: has("group_instance_id", "static")},
	"offset_commit_rejected": {fromMsg: []msgForm{form("", `, (?P<state>\w+)\)$`)}},
	"offset_out_of_range":    {fromMsg: []msgForm{form("", `log start (?P<log_start>-?\d+)\); auto\.offset\.reset=(?P<reset>\S+) decides`)}},
	"offsets_committed":      {variant: is("transactional", "true", "txn")},
	"offsets_for_times": {
		variant: func(a evArgs) string {
			switch {
			case a["error"] != "" && a["error"] != "NONE":
				return "error"
			case strings.HasPrefix(a["offset"], "-"):
				return "none"
			}
			return ""
		},
		fromMsg: []msgForm{form("", `^(?P<who>\S+) asked \S+ for the first offset at or after (?P<when>\S+): (?:offset -?\d+ \(its timestamp is (?P<record_when>\S+)\))?`)}},
	"position_reset":   {variant: has("group", "group"), fromMsg: []msgForm{form("", `auto\.offset\.reset=(?P<reset>[^)]+)\)$`)}},
	"produce_failed":   {fromMsg: []msgForm{form("", ` failed: (?P<why>.*)$`)}},
	"produce_rejected": {fromMsg: []msgForm{form("", `^(?P<why>.+)$`)}},
	"produce_retry":    {fromMsg: []msgForm{form("", `^batch of (?P<records>\d+) records`)}},
	"producer_fenced":  {variant: has("producer_epoch", "replaced")},
	"producer_flushed": {fromMsg: []msgForm{form("", `after (?P<ms>\d+) ms`)}},
	"producer_started": {variant: is("idempotent", "true", "idempotent"), fromMsg: []msgForm{
		form("", `acks=(?P<acks>[^,]+), linger\.ms=(?P<linger_ms>\d+), batch\.size=(?P<batch_size>\d+), idempotence \w+, compression (?P<compression>\S+)$`)}},
	"replica_gap_skipped": {fromMsg: []msgForm{form("", `offsets \d+–(?P<last>\d+)`)}},
	"segment_deleted":     {fromMsg: []msgForm{form("", `offsets \d+–(?P<last>-?\d+)`)}},
	"send_failed": {variant: is("error", "ILLEGAL_STATE_EXCEPTION", "closed"), fromMsg: []msgForm{
		form("", `is (?P<size>\d+) bytes when serialized which is larger than max\.request\.size \((?P<max_request_size>\d+)\) or buffer\.memory \((?P<buffer_memory>\d+)\)`),
		form("txn", `^(?P<why>Cannot .*)$`)}}, // a transactional producer's failIfNotReadyForSend (Kafka's own text)
	"transactions_initialized": {variant: func(a evArgs) string {
		if strings.HasPrefix(a["node"], "producer-") {
			return "producer" // a producer driven by hand, not a consumer application's
		}
		return ""
	}},
	"producer_epoch_bumped": {variant: has("transactional_id", "txn")},
	"transaction_state":     {variant: has("error", "error")},
	"send_timeout":          {fromMsg: []msgForm{form("", `max\.block\.ms=(?P<max_block_ms>\d+) and threw TimeoutException: (?P<why>.*)$`)}},
	"storage_error": {fromMsg: []msgForm{
		form("clean", `^broker \d+ could not clean \S+: (?P<err>.*)$`),
		form("flush", `^broker \d+ cannot write \S+ to disk: (?P<err>.*?); the records stay`),
		form("append", `^broker \d+ cannot append to \S+: (?P<err>.*)$`),
		form("open", `^broker \d+ cannot open the log of \S+: (?P<err>.*)$`),
		form("swap", `^broker \d+ cannot finish interrupted cleaner swaps: (?P<err>.*)$`),
		form("write", `^broker \d+ cannot write (?P<file>\S+): (?P<err>.*)$`),
		form("retention", `^broker \d+: retention of \S+ failed: (?P<err>.*)$`),
	}},
	"transaction_aborting":  {variant: has("producer_id", "coordinator")},
	"transaction_completed": {variant: is("committed", "false", "aborted")},
	"txn_marker_written":    {variant: is("committed", "false", "abort")},
	"replica_deleted":       {variant: is("stray", "true", "stray")},
	"unflushed_lost":        {fromMsg: []msgForm{form("", `offsets \d+–(?P<last>-?\d+)`)}},
	"leader_elected":        {variant: is("unclean", "true", "unclean"), fromMsg: []msgForm{form("", `^(?P<why>.+)$`)}},
	"partition_offline":     {fromMsg: []msgForm{form("", `^(?P<why>.+)$`)}},
	"partition_changed":     {fromMsg: []msgForm{form("", `^(?P<why>.+)$`)}},
	"note":                  {fromMsg: []msgForm{form("", `^(?P<note>.*)$`)}},
}
