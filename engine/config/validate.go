package config

import (
	"math"
	"strconv"
	"strings"
)

// Validation as Kafka 4.3's ConfigDef does it: the value is parsed by its
// type (ConfigDef.parseType), then checked by the setting's validator
// (Range.atLeast / Range.between, ValidString.in, ValidList.in), and a
// failure is a ConfigException whose message is Kafka's own sentence:
//
//	Invalid value 500 for configuration segment.bytes: Value must be at least 1048576
//
// The controller answers it as INVALID_CONFIG (ConfigurationControlManager
// catches ConfigException); an unknown topic config name is Kafka's
// InvalidConfigurationException ("Unknown topic config name: x"), also
// INVALID_CONFIG. A scenario file gets Plain(), which says the same in
// words and, for a small segment size, what to use instead.

// Error is one refused setting.
type Error struct {
	Scope Scope
	Name  string
	Value string // the value as Kafka prints it in the message
	// Msg is Kafka's whole sentence (what Error returns).
	Msg string
	// Unknown is set when the name is not a setting of Scope.
	Unknown bool
}

func (e *Error) Error() string { return e.Msg }

// MinSegmentBytes is Kafka's smallest segment.bytes and log.segment.bytes
// (1 MiB, KIP-1030): the broker's log.segment.bytes since 4.0, a topic's
// segment.bytes since 4.1 (KAFKA-19080, which added internal.segment.bytes).
const MinSegmentBytes = 1024 * 1024

// InternalSegmentBytes is Kafka's internal topic setting
// (LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG) that overrides segment.bytes
// without a minimum; Kafka's own tests use it for small segments.
const InternalSegmentBytes = "internal.segment.bytes"

// Plain says in words why a scenario file's setting is refused, with
// Kafka's sentence quoted, and for a segment size below Kafka's minimum
// what to use instead.
func (e *Error) Plain() string {
	if e.Unknown {
		return e.Msg
	}
	refused := "would be refused by Kafka 4.3 with INVALID_CONFIG"
	if e.Scope == Broker {
		refused = "would stop a Kafka 4.3 broker from starting"
	}
	s := string(e.Scope) + " config " + e.Name + "=" + e.Value + " " + refused + " (" + strconv.Quote(e.Msg) + ")"
	if e.Name == "segment.bytes" || e.Name == "log.segment.bytes" {
		if n, err := strconv.ParseInt(e.Value, 10, 64); err == nil && n < MinSegmentBytes {
			s += "; for small segments in the playground use the topic config " + InternalSegmentBytes + " (Kafka's internal test setting, no minimum) or segment.ms"
		}
	}
	return s
}

func unknownName(s Scope, name string) *Error {
	msg := "config: unknown " + string(s) + " config " + strconv.Quote(name)
	if s == Topic {
		msg = "Unknown topic config name: " + name // LogConfig.validateNames
	}
	return &Error{Scope: s, Name: name, Msg: msg, Unknown: true}
}

// invalid is Kafka's ConfigException(name, value, message).
func (d Def) invalid(value, why string) *Error {
	return &Error{Scope: d.Scope, Name: d.Name, Value: value, Msg: "Invalid value " + value + " for configuration " + d.Name + ": " + why}
}

// typeName is the ConfigDef.Type name in "Not a number of type INT".
var typeName = map[Type]string{Int: "INT", Long: "LONG", Short: "SHORT", Double: "DOUBLE"}

// check parses raw as d's type and runs d's validator; it returns the
// value as the engine stores it (trimmed; booleans lower-cased).
func (d Def) check(raw string) (string, *Error) {
	v := strings.TrimSpace(raw) // ConfigDef.parseType trims
	switch d.Type {
	case Int, Long, Short:
		bits := map[Type]int{Int: 32, Long: 64, Short: 16}[d.Type]
		n, err := strconv.ParseInt(v, 10, bits)
		if err != nil {
			return "", d.invalid(raw, "Not a number of type "+typeName[d.Type])
		}
		return v, d.checkRange(float64(n), strconv.FormatInt(n, 10))
	case Double:
		f, ok := parseJavaDouble(v)
		if !ok {
			return "", d.invalid(raw, "Not a number of type DOUBLE")
		}
		if c := v[len(v)-1]; c == 'd' || c == 'D' || c == 'f' || c == 'F' {
			v = v[:len(v)-1] // Java's type suffix: 0.5d
		}
		return v, d.checkRange(f, javaDouble(f))
	case Bool:
		switch {
		case strings.EqualFold(v, "true"):
			return "true", nil
		case strings.EqualFold(v, "false"):
			return "false", nil
		}
		return "", d.invalid(raw, "Expected value to be either true or false")
	case String:
		if len(d.Enum) > 0 && !contains(d.Enum, v) {
			return "", d.invalid(v, "String must be one of: "+strings.Join(d.Enum, ", "))
		}
	case List:
		if err := d.checkList(v); err != nil {
			return "", err
		}
	}
	return v, nil
}

// checkRange is Range.atLeast(Min) / Range.between(Min, Max), or the
// playground's own floor where Kafka defines no range (PlaygroundMin).
func (d Def) checkRange(f float64, shown string) *Error {
	if d.Any {
		return nil
	}
	if f < float64(d.Min) { // NaN passes, as in Kafka
		if d.PlaygroundMin {
			return d.invalid(shown, "the playground needs at least "+strconv.FormatInt(d.Min, 10)+" (Kafka defines no minimum for it)")
		}
		return d.invalid(shown, "Value must be at least "+strconv.FormatInt(d.Min, 10))
	}
	if d.Max != 0 && f > float64(d.Max) {
		return d.invalid(shown, "Value must be no more than "+strconv.FormatInt(d.Max, 10))
	}
	return nil
}

// checkList is ValidList.in (Kafka 4.2+, KIP-1161): an empty list is
// allowed, duplicates and empty entries are not, and each entry must be
// one of Enum (when given).
func (d Def) checkList(v string) *Error {
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ",") // "\s*,\s*", keeping empty entries
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
		for _, q := range parts[:i] {
			if q == parts[i] {
				return d.listError(v, "duplicated")
			}
		}
	}
	for _, p := range parts {
		if p == "" {
			return d.listError(v, "empty")
		}
		if len(d.Enum) > 0 && !contains(d.Enum, p) {
			return d.invalid(p, "String must be one of: "+strings.Join(d.Enum, ", "))
		}
	}
	return nil
}

// listError is ValidList's ConfigException(message): no "Invalid value" prefix.
func (d Def) listError(v, what string) *Error {
	return &Error{Scope: d.Scope, Name: d.Name, Value: v, Msg: "Configuration '" + d.Name + "' values must not be " + what + "."}
}

// parseJavaDouble accepts what Double.parseDouble does for plain
// decimal text, with Java's spellings of the special values.
func parseJavaDouble(v string) (float64, bool) {
	switch strings.TrimPrefix(strings.TrimPrefix(v, "+"), "-") {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		if strings.HasPrefix(v, "-") {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	if v == "" || strings.ContainsAny(v, "_xXpPiInN") {
		return 0, false
	}
	if c := v[len(v)-1]; c == 'd' || c == 'D' || c == 'f' || c == 'F' {
		v = v[:len(v)-1]
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil
}

// javaDouble prints f as Java's Double.toString: 2.0, 0.75, 1.0E7, 1.0E-4.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if a := math.Abs(f); a == 0 || (a >= 1e-3 && a < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // 1E+07
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// crossCheck runs the rules Kafka applies across settings of one scope
// once each value is valid: KafkaConfig.validateValues for a broker
// (a "requirement failed" at startup).
func crossCheck(s Scope, v Values) *Error {
	if s != Broker {
		return nil
	}
	name, msg := "", ""
	wait := v.Int64("replica.fetch.wait.max.ms")
	switch {
	case v.IsSet("log.retention.ms") && v.Int64("log.retention.ms") == 0:
		// Kafka reads any negative log.retention.ms as -1 (unlimited).
		name, msg = "log.retention.ms", "log.retention.ms must be unlimited (-1) or, greater than or equal to 1"
	case wait > 30000: // replica.socket.timeout.ms is not modelled: its default is 30000
		name, msg = "replica.fetch.wait.max.ms", "replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts"
	case wait > v.Int64("replica.lag.time.max.ms"):
		name, msg = "replica.fetch.wait.max.ms", "replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR"
	default:
		return nil
	}
	return &Error{Scope: s, Name: name, Value: v.String(name), Msg: "requirement failed: " + msg}
}
