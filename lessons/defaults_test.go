package lessons

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/config"
)

// Config defaults the lessons quote, checked against the engine's config
// table (engine/config, Kafka 4.x's defaults), so that text and engine
// cannot drift. A quote is a default marker ("default 500 ms", "defaults to
// 5 ms", "latest (the default)", "is false by default", "기본값 1",
// "기본값은 all", "true(기본값)", or a list after "Kafka's defaults are…:" /
// "Kafka의 기본값은…:") tied to the config name nearest before it in the
// same sentence — or, in a glossary entry, to the name the entry defines.
// belief.wrong texts are skipped: they quote the wrong belief on purpose.

// kafkaOnly are settings a lesson quotes that the engine does not model,
// with Kafka 4.x's defaults.
var kafkaOnly = map[string]string{
	"auto.leader.rebalance.enable":            "true",
	"leader.imbalance.check.interval.seconds": "300",
}

var (
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	configName = regexp.MustCompile(`[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+`)
	// value: a quoted word, a number with an optional unit, or a word.
	// A unit must not start a config name (1073741824, min.cleanable…), so
	// it takes the non-word character after it along (trimmed later).
	valueRe = `('[^']*'|-?\d+(?:\.\d+)?(?:\s?(?:(?:ms|s|min|minutes|days?|bytes)(?:[^\w.]|$)|초|분|일|바이트))?|[A-Za-z_][A-Za-z0-9_-]*)`
	// markers with the value after them
	after = regexp.MustCompile(`(?:\b[Dd]efaults? to|\b[Dd]efault(?: is| was|:)?|기본값(?:은|는|이|인|:)?(?:\s*Kafka [\d.]+부터)?)\s*\(?` + valueRe)
	// markers with the value before them
	before = regexp.MustCompile(valueRe + `\s*(?:\((?:the )?default\)|\(기본값\)|by default\b)`)
	// a sentence listing defaults as "name value, name value"
	listIntro = regexp.MustCompile(`(?:[Dd]efaults are|기본값은)[^:]*:`)
	listPair  = regexp.MustCompile(`([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)\s+` + valueRe)
	// "session.timeout.ms has been 45000", "heartbeat.interval.ms is 3000",
	// "max.poll.interval.ms (300000, 5 minutes)": a number stated for a
	// setting without a lesson's own "=" or "sets it to"
	stated    = regexp.MustCompile(`([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?: has been| is|\s?\()\s?(-?\d+(?:\.\d+)?(?:\s?(?:(?:ms|s|min|minutes|days?|bytes)(?:[^\w.]|$)|초|분|일|바이트))?)`)
	sentences = regexp.MustCompile(`[.;]\s+|[.;]$`)
)

// quote is one default a text states.
type quote struct {
	where, name, value string
}

func TestQuotedDefaultsMatchEngine(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	perLocale := map[string]int{}
	seen := map[string]bool{}
	for _, l := range ls {
		for _, loc := range sortedLocales(l) {
			for _, key := range sortedKeys(l.texts[loc]) {
				if strings.HasSuffix(key, "belief.wrong") {
					continue
				}
				for _, q := range quotedDefaults(key, l.texts[loc][key]) {
					q.where = fmt.Sprintf("%s text.%s.json %s", l.ID, loc, key)
					perLocale[loc]++
					seen[q.name] = true
					if msg := checkDefault(q.name, q.value); msg != "" {
						t.Errorf("%s: %s", q.where, msg)
					}
				}
			}
		}
	}
	t.Logf("quoted defaults checked: %v, %d settings", perLocale, len(seen))
	// The parser must keep finding the quotes: if the text's shapes change,
	// the count drops and this fails instead of checking nothing.
	for _, loc := range []string{DefaultLocale, "ko"} {
		if perLocale[loc] < 40 {
			t.Errorf("only %d quoted defaults found in %s texts; the parser lost track of how lessons quote them", perLocale[loc], loc)
		}
	}
}

func sortedLocales(l *Lesson) []string {
	var out []string
	for loc := range l.texts {
		out = append(out, loc)
	}
	sort.Strings(out)
	return out
}

// knownName reports whether name is a setting of the engine's table or of
// kafkaOnly.
func knownName(name string) bool {
	if _, ok := kafkaOnly[name]; ok {
		return true
	}
	return len(engineDefs(name)) > 0
}

func engineDefs(name string) []config.Def {
	var out []config.Def
	for _, s := range []config.Scope{config.Topic, config.Broker, config.Producer, config.Consumer} {
		if d, ok := config.Lookup(s, name); ok {
			out = append(out, d)
		}
	}
	return out
}

// configNames returns the config names of s (known ones only) with their byte
// offsets; a name must not continue a longer token (partitions.sh in
// kafka-reassign-partitions.sh).
func configNames(s string) (found []string, at []int) {
	for _, m := range configName.FindAllStringIndex(s, -1) {
		if m[0] > 0 && strings.ContainsAny(s[m[0]-1:m[0]], "-.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
			continue
		}
		if n := s[m[0]:m[1]]; knownName(n) {
			found, at = append(found, n), append(at, m[0])
		}
	}
	return found, at
}

// nameBefore is the last known name starting before byte i, or "".
func nameBefore(s string, i int) string {
	ns, at := configNames(s)
	for j := len(ns) - 1; j >= 0; j-- {
		if at[j] < i {
			return ns[j]
		}
	}
	return ""
}

// definedName is the setting a glossary entry defines: "name: …" or
// "name and name2: …" at its start, or the term id spelled with dots.
func definedName(key, text string) string {
	term, ok := strings.CutPrefix(key, "glossary.")
	if !ok {
		return ""
	}
	if head, _, ok := strings.Cut(text, ":"); ok {
		if ns, at := configNames(head); len(ns) > 0 && at[0] == 0 {
			return ns[0]
		}
	}
	if n := strings.ReplaceAll(term, "-", "."); knownName(n) {
		return n
	}
	return ""
}

// quotedDefaults finds the defaults one text quotes.
func quotedDefaults(key, text string) []quote {
	text = mdLink.ReplaceAllString(text, "$1")
	defined := definedName(key, text)
	var out []quote
	add := func(name, value string) {
		if name != "" {
			out = append(out, quote{name: name, value: strings.TrimRight(value, " ,;:()")})
		}
	}
	for _, sent := range sentences.Split(text, -1) {
		if m := listIntro.FindStringIndex(sent); m != nil {
			for _, p := range listPair.FindAllStringSubmatch(sent[m[1]:], -1) {
				if knownName(p[1]) {
					add(p[1], p[2])
				}
			}
			continue
		}
		for _, m := range stated.FindAllStringSubmatch(sent, -1) {
			if knownName(m[1]) {
				add(m[1], m[2])
			}
		}
		for _, m := range after.FindAllStringSubmatchIndex(sent, -1) {
			name := nameBefore(sent, m[0])
			if name == "" {
				name = defined
			}
			add(name, sent[m[2]:m[3]])
		}
		for _, m := range before.FindAllStringSubmatchIndex(sent, -1) {
			name := nameBefore(sent, m[2])
			if name == "" {
				name = defined
			}
			add(name, sent[m[2]:m[3]])
		}
	}
	return out
}

// checkDefault compares a quoted value with the setting's default; it
// returns "" when they agree or when the value is not a value of the
// setting's type (a marker next to ordinary words: "default the group…").
func checkDefault(name, value string) string {
	if d, ok := kafkaOnly[name]; ok {
		if norm, ok := normalizeQuoted(name, config.Def{Type: typeOf(d)}, value); ok && norm != d {
			return fmt.Sprintf("quotes %s default %q; Kafka's is %s (kafkaOnly)", name, value, d)
		}
		return ""
	}
	var wants []string
	for _, d := range engineDefs(name) {
		norm, ok := normalizeQuoted(name, d, value)
		if !ok {
			return ""
		}
		want := d.Default
		if d.Type == config.List {
			want = config.SplitList(d.Default)[0]
		}
		if sameValue(d, norm, want) {
			return ""
		}
		wants = append(wants, fmt.Sprintf("%s %s", d.Scope, d.Default))
	}
	return fmt.Sprintf("quotes %s default %q; the engine's config table says %s", name, value, strings.Join(wants, ", "))
}

func typeOf(v string) config.Type {
	if v == "true" || v == "false" {
		return config.Bool
	}
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return config.Long
	}
	return config.String
}

// normalizeQuoted turns a quoted value into the setting's own form: a number in
// the setting's unit (ms for *.ms, seconds for *.seconds), true/false, or
// a word of its enum. ok is false when the value is not of that type.
func normalizeQuoted(name string, d config.Def, value string) (string, bool) {
	v := strings.TrimSpace(value)
	switch d.Type {
	case config.Int, config.Long, config.Short, config.Double:
		if v == "never" || v == "'하지 않음'" {
			return strconv.FormatInt(math.MaxInt64, 10), true
		}
		num := strings.TrimLeft(v, "-0123456789,.")
		digits, unit := strings.TrimSpace(v[:len(v)-len(num)]), strings.TrimRight(strings.TrimSpace(num), " ,;:()")
		f, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			return "", false
		}
		scale := map[string]float64{"": 1, "bytes": 1, "바이트": 1, "ms": 1, "s": 1000, "초": 1000, "min": 60000, "minutes": 60000, "분": 60000, "day": 86400000, "days": 86400000, "일": 86400000}
		k, ok := scale[unit]
		if !ok {
			return "", false
		}
		if strings.HasSuffix(name, ".seconds") && unit != "" {
			k /= 1000
		}
		return strconv.FormatFloat(f*k, 'f', -1, 64), true
	case config.Bool:
		return v, v == "true" || v == "false"
	default:
		if len(d.Enum) > 0 && !containsString(d.Enum, v) {
			return "", false
		}
		if len(d.Enum) == 0 && d.Type != config.String {
			return "", false
		}
		return v, true
	}
}

func sameValue(d config.Def, got, want string) bool {
	switch d.Type {
	case config.Int, config.Long, config.Short, config.Double:
		a, err1 := strconv.ParseFloat(got, 64)
		b, err2 := strconv.ParseFloat(want, 64)
		return err1 == nil && err2 == nil && a == b
	}
	if d.Name == "acks" && (got == "-1" && want == "all" || got == "all" && want == "-1") {
		return true
	}
	return got == want
}

// TestQuotedDefaultsParser pins the shapes the checker reads, both ways.
func TestQuotedDefaultsParser(t *testing.T) {
	cases := []struct {
		key, text string
		want      []string // name=value
	}{
		{"glossary.batch-size", "batch.size: the largest batch. Default 16384.", []string{"batch.size=16384"}},
		{"glossary.acks", "How many replicas… Default all since Kafka 3.0.", []string{"acks=all"}},
		{"hints.x", "[fetch.min.bytes](glossary:fetch-min-bytes) (default 1) or fetch.max.wait.ms (default 500 ms) has passed.", []string{"fetch.min.bytes=1", "fetch.max.wait.ms=500 ms"}},
		{"belief.right", "Since Kafka 4.0 linger.ms defaults to 5 ms (KIP-1030); it was 0 up to 3.9.", []string{"linger.ms=5 ms"}},
		{"belief.right", "Kafka's defaults are larger: cleanup.policy delete, segment.bytes 1073741824, delete.retention.ms 86400000 (1 day).", []string{"cleanup.policy=delete", "segment.bytes=1073741824", "delete.retention.ms=86400000"}},
		{"hints.x", "auto.offset.reset: earliest, latest (the default) or none.", []string{"auto.offset.reset=latest"}},
		{"belief.right", "unclean.leader.election.enable is false by default.", []string{"unclean.leader.election.enable=false"}},
		{"glossary.x", "kafka-reassign-partitions.sh moves replicas. Kafka does not fsync by default.", nil},
		{"glossary.max-poll-records", "max.poll.records: poll() 한 번이 돌려주는 최대 레코드 수. 기본값 500.", []string{"max.poll.records=500"}},
		{"glossary.acks", "레플리카 수. Kafka 3.0부터 기본값은 all입니다.", []string{"acks=all"}},
		{"hints.x", "replica.lag.time.max.ms의 기본값은 Kafka 2.5부터 30000 ms (30초)이고", []string{"replica.lag.time.max.ms=30000 ms"}},
		{"hints.x", "auto.leader.rebalance.enable=true(기본값)이면", []string{"auto.leader.rebalance.enable=true"}},
		{"belief.right", "Kafka의 기본값은 이 레슨보다 큽니다: segment.bytes 1073741824 (1 GiB), segment.ms 604800000", []string{"segment.bytes=1073741824", "segment.ms=604800000"}},
	}
	for _, c := range cases {
		var got []string
		for _, q := range quotedDefaults(c.key, c.text) {
			got = append(got, q.name+"="+q.value)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
	for _, c := range []struct{ name, value, want string }{
		{"session.timeout.ms", "45 s", ""},
		{"session.timeout.ms", "10 s", "differs"},
		{"linger.ms", "0", "differs"},
		{"flush.messages", "never", ""},
		{"auto.offset.reset", "earliest", "differs"},
		{"leader.imbalance.check.interval.seconds", "5 min", ""},
		{"acks", "-1", ""},
	} {
		if msg := checkDefault(c.name, c.value); (msg != "") != (c.want != "") {
			t.Errorf("checkDefault(%s, %s) = %q", c.name, c.value, msg)
		}
	}
}
