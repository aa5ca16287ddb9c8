package config

import (
	"errors"
	"strings"
	"testing"
)

// Every default passes its own validator, as Kafka's ConfigKey checks its
// default when the ConfigDef is built.
func TestDefaultsAreValid(t *testing.T) {
	for _, s := range []Scope{Topic, Broker, Producer, Consumer} {
		for _, d := range Defs(s) {
			if d.Default == "" && (d.Internal || d.Type == String || d.Type == List) {
				continue // Kafka's null (internal.segment.bytes) or an empty string
			}
			if _, err := d.check(d.Default); err != nil {
				t.Errorf("%s %s: default %q: %v", s, d.Name, d.Default, err)
			}
		}
	}
}

func TestKafkaSentences(t *testing.T) {
	for _, c := range []struct {
		scope      Scope
		name, val  string
		want       string // "" accepted
		normalized string
	}{
		{Topic, "segment.bytes", "500", "Invalid value 500 for configuration segment.bytes: Value must be at least 1048576", ""},
		{Topic, "segment.bytes", " 1048576 ", "", "1048576"},
		{Topic, "segment.bytes", "+0500", "Invalid value 500 for configuration segment.bytes: Value must be at least 1048576", ""},
		{Topic, "segment.bytes", "2147483648", "Invalid value 2147483648 for configuration segment.bytes: Not a number of type INT", ""},
		{Topic, InternalSegmentBytes, "-7", "", "-7"},
		{Topic, "retention.bytes", "-9", "", "-9"},
		{Topic, "unclean.leader.election.enable", "TRUE", "", "true"},
		{Topic, "min.cleanable.dirty.ratio", "1e-4", "", "1e-4"},
		{Topic, "min.cleanable.dirty.ratio", "-1e-4", "Invalid value -1.0E-4 for configuration min.cleanable.dirty.ratio: Value must be at least 0", ""},
		{Topic, "min.cleanable.dirty.ratio", "0.5d", "", "0.5"},
		{Topic, "min.cleanable.dirty.ratio", "Infinity", "Invalid value Infinity for configuration min.cleanable.dirty.ratio: Value must be no more than 1", ""},
		{Topic, "min.cleanable.dirty.ratio", "inf", "Invalid value inf for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE", ""},
		{Topic, "no.such", "1", "Unknown topic config name: no.such", ""},
		{Broker, "offsets.topic.replication.factor", "40000", "Invalid value 40000 for configuration offsets.topic.replication.factor: Not a number of type SHORT", ""},
		{Broker, "log.segment.bytes", "1024", "Invalid value 1024 for configuration log.segment.bytes: Value must be at least 1048576", ""},
		{Broker, "log.retention.ms", "0", "requirement failed: log.retention.ms must be unlimited (-1) or, greater than or equal to 1", ""},
		{Broker, "log.retention.ms", "-5", "", "-5"},
		{Broker, "broker.heartbeat.interval.ms", "0", "Invalid value 0 for configuration broker.heartbeat.interval.ms: the playground needs at least 1 (Kafka defines no minimum for it)", ""},
		{Broker, "default.replication.factor", "0", "", "0"},
	} {
		v, err := Parse(c.scope, map[string]string{c.name: c.val})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %s=%q: refused: %v", c.scope, c.name, c.val, err)
		case c.want == "" && v.String(c.name) != c.normalized:
			t.Errorf("%s %s=%q: stored %q, want %q", c.scope, c.name, c.val, v.String(c.name), c.normalized)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%s %s=%q:\n got %v\nwant %s", c.scope, c.name, c.val, err, c.want)
		}
	}
}

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{0: "0.0", 2: "2.0", 0.75: "0.75", 1e7: "1.0E7", 1.5e-4: "1.5E-4", 123456.5: "123456.5", -3: "-3.0"} {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestPlain(t *testing.T) {
	_, err := Parse(Topic, map[string]string{"segment.bytes": "600"})
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a *config.Error: %v", err)
	}
	p := ce.Plain()
	for _, part := range []string{"topic config segment.bytes=600", "INVALID_CONFIG", `"Invalid value 600 for configuration segment.bytes: Value must be at least 1048576"`, InternalSegmentBytes, "segment.ms"} {
		if !strings.Contains(p, part) {
			t.Errorf("Plain() = %q lacks %q", p, part)
		}
	}
	_, err = Parse(Topic, map[string]string{"segment.ms": "0"})
	if errors.As(err, &ce); strings.Contains(ce.Plain(), InternalSegmentBytes) {
		t.Errorf("segment.ms's Plain() suggests %s: %q", InternalSegmentBytes, ce.Plain())
	}
}

// With checks as Parse does, including the rules across settings.
func TestWith(t *testing.T) {
	v := Must(Broker, map[string]string{"replica.lag.time.max.ms": "1000"})
	if _, err := v.With("replica.fetch.wait.max.ms", "1001"); err == nil || !strings.HasPrefix(err.Error(), "requirement failed: replica.fetch.wait.max.ms") {
		t.Errorf("With past replica.lag.time.max.ms: %v", err)
	}
	if w, err := v.With("replica.fetch.wait.max.ms", "1000"); err != nil || w.Int64("replica.fetch.wait.max.ms") != 1000 {
		t.Errorf("With at replica.lag.time.max.ms: %v", err)
	}
}
