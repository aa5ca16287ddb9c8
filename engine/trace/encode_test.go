package trace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// checkSame fails unless the encoder and json.Marshal agree on e: the same
// bytes, or both an error.
func checkSame(t testing.TB, enc *encoder, e Event) {
	t.Helper()
	want, wantErr := json.Marshal(e)
	got, gotErr := enc.appendEvent([]byte("junk"), &e)
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("event %#v:\njson.Marshal error %v\nencoder error      %v", e, wantErr, gotErr)
	}
	if wantErr != nil {
		return
	}
	if !bytes.HasPrefix(got, []byte("junk")) {
		t.Fatalf("encoder dropped the bytes it was appending to: %q", got)
	}
	if got = got[len("junk"):]; !bytes.Equal(got, want) {
		t.Fatalf("event %#v:\njson.Marshal %s\nencoder      %s", e, want, got)
	}
}

// The encoder hard-codes view.Event's fields; this fails when they change.
func TestEventHasTheFieldsTheEncoderWrites(t *testing.T) {
	want := []string{
		"Seq int64 json:\"seq\"",
		"TimeUS int64 json:\"t_us\"",
		"Kind string json:\"kind\"",
		"Node string json:\"node,omitempty\"",
		"Topic string json:\"topic,omitempty\"",
		"Partition *int32 json:\"partition,omitempty\"",
		"Msg string json:\"msg,omitempty\"",
		"Data map[string]interface {} json:\"data,omitempty\"",
		"Fields []view.Field json:\"-\"",
	}
	typ := reflect.TypeFor[Event]()
	var got []string
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		got = append(got, fmt.Sprintf("%s %s %s", f.Name, f.Type, f.Tag))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("view.Event changed; update encode.go to match, then this list.\ngot  %q\nwant %q", got, want)
	}
	if reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Marshaler]()) ||
		typ.Implements(reflect.TypeFor[json.Marshaler]()) {
		t.Fatal("view.Event has a MarshalJSON; the encoder would bypass it")
	}
}

type named string

type textKey int

func (k textKey) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("k<%d>", k)), nil }

type custom struct{ N int }

func (c custom) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(` {"n" : %d, "h":"<&>"} `, c.N)), nil
}

type plain struct {
	A string  `json:"a"`
	B float64 `json:"b,omitempty"`
	c int
}

func TestEncodeMatchesJSONOnEdgeCases(t *testing.T) {
	var enc encoder
	seven := int32(7)
	neg := int32(-2147483648)
	zero := 0.0
	values := []any{
		nil, "", "plain", `quote " back \ slash`, "<b>&amp;</b>", "\b\f\n\r\t\x00\x01\x1f\x7f",
		"caf\u00e9 ☕ 🚀", "line\u2028para\u2029end", "bad\xffutf8\xc3", "\xed\xa0\x80 surrogate", "\xf0\x9f\x9a",
		true, false, 0, -1, math.MaxInt64, math.MinInt64, int8(-128), int16(-300), int32(-5), int64(1) << 62,
		uint(7), uint8(255), uint16(65535), uint32(1 << 31), uint64(math.MaxUint64),
		0.0, math.Copysign(0, -1), 1.0, -1.5, 0.1, 1e-6, 9.999999e-7, 1e-7, 1e20, 1e21, 999999999999999999999.0,
		-1e21, 1.7976931348623157e308, 5e-324, 123456789.125, 1e-10, 3.0e100, -2.5e-8,
		float32(0.1), float32(1e-6), float32(9.99e-7), float32(1e21), float32(1e20), float32(-3.4028235e38), float32(1.4e-45),
		float32(math.Copysign(0, -1)),
		[]int32(nil), []int32{}, []int32{1, -2, 3}, []int64{math.MinInt64}, []int(nil), []int{0, 9},
		[]string(nil), []string{}, []string{"a", "<", "\u2028", "\xff"},
		[][]int32(nil), [][]int32{nil, {}, {1, 2}}, [][]string{{"x"}, nil},
		[]any(nil), []any{}, []any{1, "s", nil, []any{true}, map[string]any{"z": 1, "a": nil}},
		map[string]any(nil), map[string]any{}, map[string]any{"b": map[string]any{"d": 1, "c": []int32{}}, "a": "x"},
		map[string]string(nil), map[string]string{"z": "1", "<k>": "&"}, map[string]int64{"b": -1, "a": 2},
		map[string]int{"x": 1}, map[string][]string{"g": nil, "f": {"a"}}, map[string][]int32{"p": {1}},
		// Types the encoder leaves to json.Marshal.
		named("<named>"), time.Duration(1500), []byte("bytes\x00"), []byte(nil), custom{N: 3}, &custom{N: 4},
		plain{A: "<a>", c: 1}, &plain{B: 2}, (*plain)(nil), &seven, &neg, &zero,
		map[int]string{10: "ten", 9: "nine", -1: "m"}, map[textKey]int{3: 1, 20: 2}, map[named]bool{"b": true, "a": false},
		map[string]bool{"t": true}, []float64{0.5, 1e22}, [2]int{1, 2}, json.Number("12.50"), json.RawMessage(` [1, 2] `),
		struct{}{}, []named{"a"}, map[string]any{"deep": []any{custom{N: 1}, named("n")}},
	}
	for i, v := range values {
		p := int32(i)
		checkSame(t, &enc, Event{Seq: int64(i), TimeUS: -int64(i), Kind: "edge", Data: map[string]any{"v": v}})
		checkSame(t, &enc, Event{Seq: 1, Kind: "edge", Node: "broker-1", Topic: "t<1>", Partition: &p, Msg: "m", Data: map[string]any{"v": v, "": v, "\u2028": 1}})
	}
	// Fields left empty, a zero partition, empty and nil Data.
	z := int32(0)
	checkSame(t, &enc, Event{})
	checkSame(t, &enc, Event{Partition: &z, Data: map[string]any{}})
	checkSame(t, &enc, Event{Kind: "\xff<>&", Node: "\u2029", Topic: " ", Msg: "\"", Partition: &neg})
}

func TestEncodeErrorsWhereJSONDoes(t *testing.T) {
	var enc encoder
	bad := []any{
		math.NaN(), math.Inf(1), math.Inf(-1), float32(math.Inf(-1)), []any{math.NaN()},
		map[string]any{"x": map[string]any{"y": math.Inf(1)}}, make(chan int), func() {}, []float64{math.NaN()},
	}
	for _, v := range bad {
		e := Event{Kind: "bad", Data: map[string]any{"a": 1, "v": v}}
		checkSame(t, &enc, e)
		if _, err := enc.appendEvent(nil, &e); err == nil {
			t.Fatalf("%#v encoded without error", v)
		}
		// The encoder is still usable after an error.
		checkSame(t, &enc, Event{Kind: "ok", Data: map[string]any{"m": map[string]any{"b": 1, "a": 2}}})
	}
	tr := New(func() time.Duration { return 0 })
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "trace: event not encodable: json: unsupported value: NaN") {
			t.Fatalf("Emit of NaN: recovered %v", r)
		}
	}()
	tr.Emit(Event{Kind: "nan", Data: map[string]any{"f": math.NaN()}})
}

// randString mixes the pieces JSON escaping treats differently.
func randString(r *rand.Rand) string {
	pieces := []string{
		"a", "Z", "9", " ", "_", "~", "\x7f", "\"", "\\", "/", "<", ">", "&", "\b", "\f", "\n", "\r", "\t",
		"\x00", "\x01", "\x1b", "\x1f", "é", "ß", "中", "🚀", "\u2028", "\u2029", "\u2027", "\u202a",
		"\ufffd", "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\U0010ffff",
	}
	var sb strings.Builder
	for n := r.IntN(8); n > 0; n-- {
		if r.IntN(4) == 0 {
			sb.WriteByte(byte(r.IntN(256)))
		} else {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	return sb.String()
}

func randFloat(r *rand.Rand) float64 {
	switch r.IntN(6) {
	case 0:
		return math.Float64frombits(r.Uint64()) // any bit pattern, NaN and ±Inf included
	case 1:
		return []float64{0, math.Copysign(0, -1), 1e-6, 1e21, math.Nextafter(1e-6, 0), math.Nextafter(1e21, 0), 5e-324, math.MaxFloat64}[r.IntN(8)]
	case 2:
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(60)-30))
	case 3:
		return float64(r.Int64N(1<<53) - 1<<52)
	case 4:
		return float64(float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(80)-40))))
	}
	return r.NormFloat64()
}

func randInts[T int | int32 | int64](r *rand.Rand) []T {
	if r.IntN(5) == 0 {
		return nil
	}
	s := make([]T, r.IntN(4))
	for i := range s {
		s[i] = T(r.Int64() >> r.IntN(64))
	}
	return s
}

func randStrings(r *rand.Rand) []string {
	if r.IntN(5) == 0 {
		return nil
	}
	s := make([]string, r.IntN(4))
	for i := range s {
		s[i] = randString(r)
	}
	return s
}

func randMap(r *rand.Rand, depth int) map[string]any {
	if r.IntN(8) == 0 {
		return nil
	}
	m := map[string]any{}
	for n := r.IntN(6); n > 0; n-- {
		m[randString(r)] = randValue(r, depth+1)
	}
	return m
}

// randValue returns a value of one of the types the engine puts in Data,
// or now and then one the encoder leaves to json.Marshal.
func randValue(r *rand.Rand, depth int) any {
	k := r.IntN(30)
	if depth > 3 && k >= 24 {
		k = r.IntN(24)
	}
	switch k {
	case 0:
		return nil
	case 1, 2:
		return randString(r)
	case 3:
		return r.IntN(2) == 0
	case 4:
		return int(r.Int64() >> r.IntN(64))
	case 5:
		return int8(r.Int32())
	case 6:
		return int16(r.Int32())
	case 7:
		return int32(r.Int32() - r.Int32())
	case 8:
		return r.Int64() - r.Int64()
	case 9:
		return uint(r.Uint64())
	case 10:
		return uint8(r.Uint32())
	case 11:
		return uint16(r.Uint32())
	case 12:
		return r.Uint32()
	case 13:
		return r.Uint64() >> r.IntN(64)
	case 14, 15:
		return randFloat(r)
	case 16:
		return float32(randFloat(r))
	case 17:
		return randInts[int32](r)
	case 18:
		return randInts[int64](r)
	case 19:
		return randInts[int](r)
	case 20:
		return randStrings(r)
	case 21:
		return [][]int32{randInts[int32](r), nil, randInts[int32](r)}[:r.IntN(4)]
	case 22:
		return [][]string{randStrings(r), randStrings(r)}[:r.IntN(3)]
	case 23:
		return map[string]string{randString(r): randString(r), randString(r): randString(r)}
	case 24:
		return map[string]int64{randString(r): r.Int64(), "isr": -1}
	case 25:
		return map[string][]string{randString(r): randStrings(r), "b": nil}
	case 26:
		s := make([]any, r.IntN(4))
		for i := range s {
			s[i] = randValue(r, depth+1)
		}
		return s
	case 27:
		return randMap(r, depth)
	case 28:
		return []any{named(randString(r)), custom{N: r.IntN(9)}, time.Duration(r.Int64()), []byte(randString(r))}[r.IntN(4)]
	}
	return map[int]any{r.IntN(100): randValue(r, depth+1), -r.IntN(100): randString(r)}
}

func randEvent(r *rand.Rand) Event {
	e := Event{Seq: r.Int64N(1 << 40), TimeUS: r.Int64() >> r.IntN(64), Kind: randString(r)}
	if r.IntN(2) == 0 {
		e.Node = randString(r)
	}
	if r.IntN(2) == 0 {
		e.Topic = randString(r)
	}
	if r.IntN(2) == 0 {
		e.Partition = P(int32(r.Uint32()))
	}
	if r.IntN(2) == 0 {
		e.Msg = randString(r)
	}
	if r.IntN(6) > 0 {
		e.Data = randMap(r, 0)
	}
	return e
}

func TestEncodeMatchesJSONOnRandomEvents(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var enc encoder // one encoder throughout, so scratch reuse is exercised
	for i := 0; i < 20000; i++ {
		checkSame(t, &enc, randEvent(r))
	}
}

// Emit's lines and hash are those json.Marshal gives, whatever the sink
// does with the reused line.
func TestEmitWritesJSONMarshalLines(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	now := time.Duration(0)
	tr := New(func() time.Duration { return now })
	want := sha256.New()
	var lines [][]byte
	tr.SetSink(func(line []byte) {
		lines = append(lines, bytes.Clone(line))
		copy(line, "XXXX") // the sink may scribble; the next event must not care
	})
	var events []Event
	for i := 0; i < 3000; i++ {
		now += time.Duration(r.IntN(5000)) * time.Microsecond
		e := randEvent(r)
		if _, err := json.Marshal(e); err != nil {
			continue // NaN and ±Inf panic; TestEncodeErrorsWhereJSONDoes covers them
		}
		tr.Emit(e)
		e.Seq, e.TimeUS = tr.Count(), int64(now/time.Microsecond)
		b, _ := json.Marshal(e)
		want.Write(append(b, '\n'))
		events = append(events, e)
		if !bytes.Equal(lines[len(lines)-1], b) {
			t.Fatalf("event %d: sink got\n%s\nwant\n%s", i, lines[len(lines)-1], b)
		}
	}
	if got, w := tr.Hash(), hex.EncodeToString(want.Sum(nil)); got != w {
		t.Fatalf("hash %s, want %s", got, w)
	}
	kept, _ := tr.Since(0, 0)
	if !reflect.DeepEqual(kept, events) {
		t.Fatal("the ring does not hold the emitted events")
	}
}

// A sink that emits (re-entering Emit) must not corrupt the line it is reading.
func TestSinkMayEmit(t *testing.T) {
	tr := New(func() time.Duration { return 0 })
	var got []string
	tr.SetSink(func(line []byte) {
		before := string(line)
		if strings.Contains(before, `"kind":"outer"`) {
			tr.Emit(Event{Kind: "inner", Msg: strings.Repeat("x", 100)})
		}
		if string(line) != before {
			t.Fatalf("line changed under the sink: %q → %q", before, line)
		}
		got = append(got, before)
	})
	tr.Emit(Event{Kind: "outer"})
	tr.Emit(Event{Kind: "after"})
	if len(got) != 3 || !strings.Contains(got[1], `"outer"`) || !strings.Contains(got[0], `"inner"`) {
		t.Fatalf("sink saw %q", got)
	}
}

func FuzzEncode(f *testing.F) {
	f.Add("kind", "broker-1", "msg <b>", "key", "value\u2028", 1.5, int64(-7), int32(3), true, []byte{0xff, '<'})
	f.Add("", "", "", "", "", math.Copysign(0, -1), int64(0), int32(0), false, []byte(nil))
	f.Add("\xff\xfe", "\x00", "\u2029", "\"", "\\", 1e21, int64(math.MinInt64), int32(-1), true, []byte("\xed\xa0\x80"))
	f.Add("k", "n", "m", "<", "&", 1e-7, int64(math.MaxInt64), int32(math.MaxInt32), false, []byte("caf\xc3"))
	f.Add("k", "n", "m", "a", "b", math.NaN(), int64(1), int32(1), true, []byte{})
	f.Add("k", "n", "m", "a", "b", 123456789.0e-30, int64(1), int32(1), true, []byte("{}"))
	f.Fuzz(func(t *testing.T, kind, node, msg, key, val string, fl float64, i64 int64, i32 int32, b bool, raw []byte) {
		s := string(raw)
		data := map[string]any{
			key:      val,
			"f":      fl,
			"f32":    float32(fl),
			"i":      i64,
			"n":      int(i32),
			"b":      b,
			"raw":    s,
			"list":   []string{key, val, s},
			"ids":    []int32{i32, int32(i64)},
			"nested": map[string]any{s: []any{fl, key, nil, map[string]any{val: i64}}, key: map[string]string{val: s}},
			"uint":   uint64(i64),
			"named":  named(s),
		}
		var enc encoder
		checkSame(t, &enc, Event{Seq: i64, TimeUS: int64(i32), Kind: kind, Node: node, Topic: s, Partition: &i32, Msg: msg, Data: data})
		checkSame(t, &enc, Event{Kind: kind, Msg: msg, Data: map[string]any{key: val}})
	})
}

// An event kind's remembered key order applies only to the very keys it
// was made from: the same kind with other keys, fewer or more keys, keys
// equal to the literals but built at run time, and an empty key all encode
// as json.Marshal does.
func TestEncodeKindKeyOrder(t *testing.T) {
	var enc encoder
	built := func(s string) string { return string([]byte(s)) }
	r := rand.New(rand.NewPCG(3, 4))
	datas := []func() map[string]any{
		func() map[string]any { return map[string]any{"topic": "t", "partition": 1, "from": 2, "to": 3} },
		func() map[string]any { return map[string]any{"to": 3, "from": 2, "topic": "t", "partition": 1} },
		func() map[string]any { return map[string]any{"topic": "t", "partition": 1, "from": 2} },
		func() map[string]any {
			return map[string]any{"topic": "t", "partition": 1, "from": 2, "to": 3, "zz": 4}
		},
		func() map[string]any { return map[string]any{"topic": "t", "partition": 1, "from": 2, "a": 3} },
		func() map[string]any {
			return map[string]any{built("topic"): "t", built("partition"): 1, built("from"): 2, built("to"): 3}
		},
		func() map[string]any { return map[string]any{"": 0, "topic": "t", "partition": 1, "from": 2} },
		func() map[string]any {
			return map[string]any{"to": map[string]any{"b": 1, "a": 2}, "from": 2, "topic": "t", "partition": 1}
		},
	}
	for i := 0; i < 2000; i++ {
		checkSame(t, &enc, Event{Kind: "consumed", Data: datas[r.IntN(len(datas))]()})
	}
}
