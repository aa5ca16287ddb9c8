package jsonwire

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
)

// The differential tests: every value and every input gives what
// encoding/json gives (bytes, values and error messages).

type inner struct {
	A int     `json:"a"`
	B *string `json:"b,omitempty"`
	C []int   `json:"c"`
}

type Named string

type sample struct {
	Str      string `json:"str"`
	Empty    string `json:"empty,omitempty"`
	Skip     int    `json:"-"`
	Dash     int    `json:"-,"`
	NoTag    int64
	BadTag   bool              `json:"a\"b"`
	Punct    uint8             `json:"x-y.z<&>"`
	F64      float64           `json:"f64"`
	F32      float32           `json:"f32"`
	Ptr      *inner            `json:"ptr"`
	PtrOmit  *inner            `json:"ptr_omit,omitempty"`
	Val      inner             `json:"val"`
	List     []inner           `json:"list"`
	Bytes    []byte            `json:"bytes"`
	Arr      [3]int16          `json:"arr"`
	Map      map[string]any    `json:"map"`
	IntMap   map[int32]string  `json:"int_map"`
	UintMap  map[uint]bool     `json:"uint_map,omitempty"`
	NamedMap map[Named][]Named `json:"named_map"`
	Any      any               `json:"any"`
	Raw      RawMessage        `json:"raw"`
	RawPtr   *RawMessage       `json:"raw_ptr"`
	unexp    int
	Uptr     uintptr `json:"uptr,omitempty"`
}

var floats = []float64{0, -0.0, 1, -1, 0.1, 1e-6, 9.99e-7, 1e20, 1e21, 123456789.125, 1.5e300, 5e-324, math.MaxFloat64, float64(math.MaxFloat32), 3.4e38}

var strs = []string{"", "plain", "<a href=\"x\">&amp;</a>", "tab\tnl\ncr\rbs\\q\"", "\x00\x01\x1f\x7f", "\b\f", "é ü 한국어 😀", "\u2028\u2029", "bad \xff\xfe utf8 \xed\xa0\x80", "/slash/"}

func samples() []any {
	s := "b"
	raw := RawMessage(` { "k" : [1, 2, "<x>"] , "u":"\u2028" } `)
	var out []any
	for i, f := range floats {
		str := strs[i%len(strs)]
		v := sample{Str: str, NoTag: int64(i) - 3, BadTag: i%2 == 0, Punct: uint8(i), F64: f, F32: float32(f),
			Val: inner{A: i}, Arr: [3]int16{1, -2, 3}, Map: map[string]any{"z": 1, "a": []any{str, 2.5, nil, true}, str: map[string]int{"x": i}},
			IntMap: map[int32]string{-5: "m", 10: "t", 2: str}, NamedMap: map[Named][]Named{"k": {"v"}, "e": nil},
			Any: inner{B: &s}, Raw: raw}
		if i%3 == 0 {
			v.Ptr = &inner{C: []int{}}
			v.List = []inner{{}, {A: 1, C: []int{1}}}
			v.Bytes = []byte(str)
			v.UintMap = map[uint]bool{7: true}
			v.RawPtr = &raw
		}
		out = append(out, v, &v, []any{v, nil}, map[string]any{"k": &v, "<": str}, f, float32(f), str, Named(str), []byte(str), nil, raw)
	}
	return append(out, math.NaN(), math.Inf(1), float32(math.Inf(-1)), map[bool]int{true: 1}, func() {}, RawMessage(`{bad`), RawMessage(nil), (*inner)(nil))
}

func TestMarshalMatchesEncodingJSON(t *testing.T) {
	for i, v := range samples() {
		want, wantErr := json.Marshal(v)
		got, err := Marshal(v)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("#%d %T: error %v, encoding/json's %v", i, v, err, wantErr)
		}
		if err != nil {
			if se := strings.TrimPrefix(wantErr.Error(), "json: "); !strings.HasSuffix(err.Error(), strings.TrimPrefix(se, "error calling MarshalJSON for type jsonwire.RawMessage: ")) && err.Error() != wantErr.Error() {
				t.Errorf("#%d %T: error %q, encoding/json's %q", i, v, err, wantErr)
			}
			continue
		}
		if string(got) != string(want) {
			t.Errorf("#%d %T:\n got %s\nwant %s", i, v, got, want)
		}
	}
}

func FuzzMarshalString(f *testing.F) {
	for _, s := range strs {
		f.Add(s, 1.5)
	}
	f.Fuzz(func(t *testing.T, s string, x float64) {
		v := map[string]any{s: []any{s, x, float32(x)}, "n": sample{Str: s, F64: x, Map: map[string]any{s: s}}}
		want, wantErr := json.Marshal(v)
		got, err := Marshal(v)
		if (err != nil) != (wantErr != nil) || string(got) != string(want) {
			t.Fatalf("got %s %v, want %s %v", got, err, want, wantErr)
		}
	})
}

// decodeTargets returns fresh targets for the same input: one of ours and
// one for encoding/json (the same type, except Number).
type numHolder struct {
	N  *Number       `json:"n"`
	NS []Number      `json:"ns"`
	I  int8          `json:"i"`
	U  uint16        `json:"u"`
	S  sample        `json:"s"`
	Sl []sample      `json:"sl"`
	P  **inner       `json:"p"`
	M  map[int]inner `json:"m"`
}

type jsonNumHolder struct {
	N  *json.Number  `json:"n"`
	NS []json.Number `json:"ns"`
	I  int8          `json:"i"`
	U  uint16        `json:"u"`
	S  sample        `json:"s"`
	Sl []sample      `json:"sl"`
	P  **inner       `json:"p"`
	M  map[int]inner `json:"m"`
}

func targets() [][2]any {
	var a1, a2 any
	return [][2]any{
		{new(sample), new(sample)},
		{new(any), new(any)},
		{&a1, &a2},
		{new(map[string]RawMessage), new(map[string]RawMessage)},
		{new([]int), new([]int)},
		{new([2]float32), new([2]float32)},
		{new(string), new(string)},
		{new(*bool), new(*bool)},
		{new([]byte), new([]byte)},
		{new(inner), new(inner)},
		{new(numHolder), new(jsonNumHolder)},
		{new(map[uint8]any), new(map[uint8]any)},
		{new(duration), new(duration)},
		{new(struct{ D *duration }), new(struct{ D *duration })},
		{new(struct {
			X struct{ Y []inner } `json:"x"`
		}), new(struct {
			X struct{ Y []inner } `json:"x"`
		})},
	}
}

// duration has an UnmarshalJSON that fails on anything but a string.
type duration string

func (d *duration) UnmarshalJSON(b []byte) error { return d.UnmarshalWire(b) }

func (d *duration) UnmarshalWire(b []byte) error {
	if len(b) == 0 || b[0] != '"' {
		return errors.New("a duration must be a string, got " + string(b))
	}
	*d = duration(b)
	return nil
}

var inputs = []string{
	``, ` `, `null`, `true`, `false`, `1`, `-0.5e+3`, `"s"`, `"\u00e9\ud83d\ude00\ud800x\"\\\/\b\f\n\r\t"`, `{}`, `[]`, `[1,2,3]`,
	`{"str":"a","Str":"b","STR":"c","nOtAg":5,"empty":"e","-":3,"a\"b":true,"BadTag":true,"x-y.z<&>":9,"f64":1e400,"f32":1e39}`,
	`{"ptr":{"a":1,"b":"x","c":[1,2]},"ptr_omit":null,"val":{"a":"no"},"list":[{"a":1},{"c":null}],"bytes":"aGVsbG8=","arr":[1,2,3,4]}`,
	`{"arr":[9],"map":{"k":[1,{"a":null}],"n":1.5},"int_map":{"-3":"x","9999999999":"y","z":"w"},"uint_map":{"-1":true,"5":false}}`,
	`{"named_map":{"a":["b"]},"any":{"x":[true]},"raw":  [1, 2] ,"raw_ptr":null,"unexp":5,"Uptr":7,"unknown":{"deep":[1]}}`,
	`{"bytes":"!!!"}`, `{"bytes":5}`, `{"n":"12x","i":300,"u":-1}`, `{"n":12,"ns":[1,2.5e3],"i":-128,"u":65535}`,
	`{"n":"7"}`, `{"s":{"val":{"a":true}},"sl":[{"list":[{"a":"x"}]}]}`, `{"p":{"a":2}}`, `{"p":null}`, `{"m":{"1":{"a":1},"x":{}}}`,
	`{"D":"1s"}`, `{"D":5}`, `{"D":null}`, `"1s"`, `5`, `[1,"a"]`, `{"a":1}`, `{"x":{"Y":[{"a":"s"}]}}`, `{"x":{"Y":{}}}`,
	`{"a" 1}`, `{"a":1,}`, `{,}`, `[1,]`, `[1 2]`, `{"a":1 "b":2}`, `01`, `1.`, `1.e5`, `-`, `-a`, `1e`, `1e+`, `.5`, `+1`,
	`tru`, `trux`, `fals`, `nul`, `nulll`, `"abc`, `"a\qb"`, `"a\u12g4"`, "\"a\x01\"", `{"a":[1,2}`, `[{"a":1]`, `{"a":"b"}x`,
	`1 2`, `{"a":1}}`, `[`, `{`, `{"a"`, `{"a":`, `{"a":1`, `[1`, `[1,`, `"\u`, `"\ud800\u`, `"\`, `"\u12`, `"a\`, `'x'`, `[` + strings.Repeat("[", 10001),
	` {"str" : "a" , "list" : [ ] } `, `{"any":{"a":1e-7,"b":-0,"c":12345678901234567890}}`, `[true,false,null,"x",{"k":[]}]`,
}

func TestUnmarshalMatchesEncodingJSON(t *testing.T) {
	for _, in := range inputs {
		checkUnmarshal(t, in)
	}
}

func checkUnmarshal(t *testing.T, in string) {
	for i, tg := range targets() {
		ours, theirs := tg[0], tg[1]
		err := Unmarshal([]byte(in), ours)
		wantErr := json.Unmarshal([]byte(in), theirs)
		compare(t, "Unmarshal", in, i, ours, theirs, err, wantErr)

		ours, theirs = targets()[i][0], targets()[i][1]
		dec := NewDecoder([]byte(in))
		dec.DisallowUnknownFields()
		dec.UseNumber()
		err = dec.Decode(ours)
		jd := json.NewDecoder(strings.NewReader(in))
		jd.DisallowUnknownFields()
		jd.UseNumber()
		wantErr = jd.Decode(theirs)
		compare(t, "Decode", in, i, ours, theirs, err, wantErr)
		if err == nil && wantErr == nil && dec.More() != jd.More() {
			t.Errorf("More after %q: %v, encoding/json's %v", in, dec.More(), jd.More())
		}
	}
}

func compare(t *testing.T, how, in string, i int, ours, theirs any, err, wantErr error) {
	t.Helper()
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != normal(wantErr.Error()) {
		t.Errorf("%s %q into target %d (%T): error %v, encoding/json's %v", how, in, i, ours, err, wantErr)
		return
	}
	if err == io.EOF || wantErr != nil && strings.Contains(wantErr.Error(), "invalid character") {
		return
	}
	got, e1 := Marshal(ours)
	want, e2 := json.Marshal(theirs)
	if string(got) != string(want) || (e1 == nil) != (e2 == nil) {
		t.Errorf("%s %q into target %d (%T):\n got %s\nwant %s", how, in, i, ours, got, want)
	}
	if !sameKinds(reflect.ValueOf(ours), reflect.ValueOf(theirs)) {
		t.Errorf("%s %q into target %d (%T): values differ in their dynamic types: %#v vs %#v", how, in, i, ours, ours, theirs)
	}
}

// normal names encoding/json's error's types as ours are named.
func normal(s string) string {
	return strings.NewReplacer("jsonNumHolder", "numHolder", "json.Number", "jsonwire.Number").Replace(s)
}

// sameKinds compares the dynamic types inside interfaces (a float64 vs a
// Number is only told apart here), mapping Number to json.Number.
func sameKinds(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameKinds(a.Elem(), b.Elem())
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !sameKinds(a.Index(i), b.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return false
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !sameKinds(a.Field(i), b.Field(i)) {
				return false
			}
		}
	}
	return true
}

func FuzzUnmarshal(f *testing.F) {
	for _, in := range inputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkUnmarshal(t, in)
	})
}
