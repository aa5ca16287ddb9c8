// Package jsonwire is the engine's JSON codec: the exact bytes
// encoding/json writes and the values and errors it reads, for the types the
// engine puts on the wire (structs with json tags, maps, slices, pointers,
// interfaces, RawMessage, Number and Unmarshaler). It exists to keep
// encoding/json's codec out of engine.wasm: ~50 KB less of the first load
// in brotli (only its RawMessage and Number types are used).
//
// Simplified (the engine uses none of these): no embedded struct fields
// and no ",string" or ",omitzero" tag options (a panic when the type is
// first seen), no cycle detection, and no UnmarshalJSON or UnmarshalText
// methods: a type reads its own JSON with UnmarshalWire (a panic if it only
// has the others), because an interface call of encoding/json's method
// name would keep every linked type's UnmarshalJSON (time.Time's parser…)
// in the wasm. MarshalJSON and MarshalText are called as encoding/json
// does. The differential tests here, engine/trace's and engine/api's
// goldens compare with encoding/json.
package jsonwire

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Unmarshaler is a type that reads its own JSON (encoding/json's
// Unmarshaler, under another name; see the package doc).
type Unmarshaler interface {
	UnmarshalWire([]byte) error
}

// The methods of encoding/json's Marshaler and TextMarshaler, and of its
// unmarshalers, which jsonwire does not call (only compares with, so the
// linker keeps none of them).
type (
	jsonMarshaler   interface{ MarshalJSON() ([]byte, error) }
	textMarshaler   interface{ MarshalText() ([]byte, error) }
	jsonUnmarshaler interface{ UnmarshalJSON([]byte) error }
	textUnmarshaler interface{ UnmarshalText([]byte) error }
)

// RawMessage is JSON kept as it is: encoding/json's type itself (its
// methods are all that is linked of that package), written compacted and
// read as a copy.
type RawMessage = json.RawMessage

// Number is a JSON number kept as its literal: encoding/json's type.
type Number = json.Number

// UnsupportedTypeError is a value of a type JSON cannot hold.
type UnsupportedTypeError struct{ Type reflect.Type }

func (e *UnsupportedTypeError) Error() string { return "json: unsupported type: " + e.Type.String() }

// UnsupportedValueError is a value JSON cannot hold (NaN, ±Inf).
type UnsupportedValueError struct {
	Value reflect.Value
	Str   string
}

func (e *UnsupportedValueError) Error() string { return "json: unsupported value: " + e.Str }

// MarshalerError is an error from a MarshalJSON or MarshalText method, or
// invalid JSON from MarshalJSON.
type MarshalerError struct {
	Type   reflect.Type
	Err    error
	method string
}

func (e *MarshalerError) Error() string {
	return "json: error calling " + e.method + " for type " + e.Type.String() + ": " + e.Err.Error()
}

// Marshal returns v's JSON as encoding/json.Marshal writes it: compact,
// HTML-safe string escaping, map keys sorted.
func Marshal(v any) ([]byte, error) {
	scratch := buffers.Get().(*[]byte)
	b, err := Append((*scratch)[:0], v)
	var out []byte
	if err == nil {
		out = append([]byte(nil), b...) // exactly sized; the scratch is kept
	}
	if cap(b) <= 1<<20 {
		*scratch = b[:0]
		buffers.Put(scratch)
	}
	return out, err
}

// buffers are Marshal's scratch space, so a large reply does not grow a
// fresh slice each time (encoding/json pools its buffers too).
var buffers = sync.Pool{New: func() any { return new([]byte) }}

// Append appends v's JSON to dst.
func Append(dst []byte, v any) (out []byte, err error) {
	e := encState{b: dst}
	defer func() {
		if r := recover(); r != nil {
			je, ok := r.(jsonError)
			if !ok {
				panic(r)
			}
			out, err = dst, je.error
		}
	}()
	rv := reflect.ValueOf(v)
	if rv.IsValid() {
		e.value(rv, flags(rv.Type()))
	} else {
		e.b = append(e.b, "null"...)
	}
	return e.b, nil
}

// jsonError carries an encoding error up through the recursion.
type jsonError struct{ error }

type encState struct{ b []byte }

var rawType = reflect.TypeFor[RawMessage]()

// value appends v, whose type's flags are f (looked up once per struct
// field, element or map type by the caller, not once per value).
func (e *encState) value(v reflect.Value, f uint8) {
	t := v.Type()
	if f&isRaw != 0 {
		e.raw(v.Bytes(), t, "MarshalJSON")
		return
	} else if f&marshals != 0 && e.marshal(v, t) {
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		e.b = strconv.AppendBool(e.b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.b = strconv.AppendInt(e.b, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.b = strconv.AppendUint(e.b, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		b, err := AppendFloat(e.b, v.Float(), t.Bits())
		if err != nil {
			panic(jsonError{&UnsupportedValueError{v, strconv.FormatFloat(v.Float(), 'g', -1, t.Bits())}})
		}
		e.b = b
	case reflect.String:
		if f&isNumber != 0 {
			n := v.String()
			if n == "" {
				n = "0"
			}
			if !validNumber(n) {
				panic(jsonError{errors.New("json: invalid number literal " + strconv.Quote(n))})
			}
			e.b = append(e.b, n...)
			return
		}
		e.b = AppendString(e.b, v.String())
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return
		}
		v = v.Elem()
		e.value(v, flags(v.Type()))
	case reflect.Struct:
		e.object(v, structOf(t))
	case reflect.Map:
		e.mapValue(v)
	case reflect.Slice:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return
		}
		if t.Elem().Kind() == reflect.Uint8 && flags(t.Elem()) == 0 {
			e.bytes(v.Bytes())
			return
		}
		e.list(v)
	case reflect.Array:
		e.list(v)
	default:
		panic(jsonError{&UnsupportedTypeError{t}})
	}
}

// raw appends a RawMessage or a MarshalJSON's output as encoding/json
// does (compacted, HTML-safe).
func (e *encState) raw(b []byte, t reflect.Type, method string) {
	if b == nil && t == rawType {
		e.b = append(e.b, "null"...)
		return
	}
	var err error
	if e.b, err = appendCompact(e.b, b); err != nil {
		panic(jsonError{&MarshalerError{t, err, method}})
	}
}

// marshal writes v with its MarshalJSON or MarshalText method, in
// encoding/json's order: a pointer's method when v is addressable first,
// MarshalJSON before MarshalText. It reports false if v has neither.
func (e *encState) marshal(v reflect.Value, t reflect.Type) bool {
	var p any
	if v.CanAddr() {
		p = v.Addr().Interface()
	}
	val := v.Interface()
	for _, x := range [...]any{p, val} {
		if m, ok := x.(jsonMarshaler); ok {
			b, err := m.MarshalJSON()
			if err != nil {
				panic(jsonError{&MarshalerError{t, err, "MarshalJSON"}})
			}
			e.raw(b, t, "MarshalJSON")
			return true
		}
	}
	for _, x := range [...]any{p, val} {
		if m, ok := x.(textMarshaler); ok {
			b, err := m.MarshalText()
			if err != nil {
				panic(jsonError{&MarshalerError{t, err, "MarshalText"}})
			}
			e.b = AppendString(e.b, string(b))
			return true
		}
	}
	return false
}

func (e *encState) bytes(s []byte) {
	e.b = append(e.b, '"')
	n := base64.StdEncoding.EncodedLen(len(s))
	e.b = append(e.b, make([]byte, n)...)
	base64.StdEncoding.Encode(e.b[len(e.b)-n:], s)
	e.b = append(e.b, '"')
}

func (e *encState) list(v reflect.Value) {
	e.b = append(e.b, '[')
	et := v.Type().Elem()
	f := flags(et)
	var sub *structInfo // a list of plain structs: their fields looked up once
	if et.Kind() == reflect.Struct && f&(isRaw|marshals) == 0 {
		sub = structOf(et)
	}
	for i, n := 0, v.Len(); i < n; i++ {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		if sub != nil {
			e.object(v.Index(i), sub)
		} else {
			e.value(v.Index(i), f)
		}
	}
	e.b = append(e.b, ']')
}

func (e *encState) object(v reflect.Value, s *structInfo) {
	e.b = append(e.b, '{')
	first := true
	for i := range s.fields {
		f := &s.fields[i]
		fv := v.Field(f.index)
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		if first {
			first = false
		} else {
			e.b = append(e.b, ',')
		}
		e.b = append(e.b, f.quoted...)
		if f.sub != nil {
			e.object(fv, f.sub)
		} else {
			e.value(fv, f.flags)
		}
	}
	e.b = append(e.b, '}')
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(v.Float()) == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	}
	return false
}

// mapEntry is one map entry with its key as JSON writes it.
type mapEntry struct {
	k string
	v reflect.Value
}

type byKey []mapEntry

func (s byKey) Len() int           { return len(s) }
func (s byKey) Less(i, j int) bool { return s[i].k < s[j].k }
func (s byKey) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

func (e *encState) mapValue(v reflect.Value) {
	if v.IsNil() {
		e.b = append(e.b, "null"...)
		return
	}
	kt := v.Type().Key()
	entries := make(byKey, 0, v.Len())
	it := v.MapRange()
	for it.Next() {
		k := it.Key()
		var ks string
		switch kt.Kind() {
		case reflect.String:
			ks = k.String()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			ks = strconv.FormatInt(k.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			ks = strconv.FormatUint(k.Uint(), 10)
		default:
			if flags(kt)&marshals == 0 {
				panic(jsonError{&UnsupportedTypeError{v.Type()}})
			}
		}
		if kt.Kind() != reflect.String && flags(kt)&marshals != 0 {
			if m, ok := k.Interface().(textMarshaler); ok {
				b, err := m.MarshalText()
				if err != nil {
					panic(jsonError{errors.New("json: encoding error for type " + strconv.Quote(kt.String()) + ": " + strconv.Quote(err.Error()))})
				}
				ks = string(b)
			}
		}
		entries = append(entries, mapEntry{ks, it.Value()})
	}
	sort.Sort(entries)
	f := flags(v.Type().Elem())
	e.b = append(e.b, '{')
	for i := range entries {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = AppendString(e.b, entries[i].k)
		e.b = append(e.b, ':')
		e.value(entries[i].v, f)
	}
	e.b = append(e.b, '}')
}

// AppendFloat formats like encoding/json: shortest round-trip digits, 'f'
// form unless the magnitude is below 1e-6 or at least 1e21 (compared in the
// value's own precision), exponent without a leading zero. NaN and ±Inf
// are an error.
func AppendFloat(dst []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		v := reflect.ValueOf(f)
		if bits == 32 {
			v = reflect.ValueOf(float32(f)) // the value as encoding/json's error holds it
		}
		return dst, &UnsupportedValueError{v, strconv.FormatFloat(f, 'g', -1, bits)}
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// e-07 → e-7
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

const hex = "0123456789abcdef"

// AppendString appends s quoted as encoding/json writes strings: HTML-safe
// (<, > and & as \u003c…), U+2028 and U+2029 escaped, invalid UTF-8 as
// \ufffd.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if safe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// safe marks the ASCII bytes written as they are: not control characters,
// not '"' or '\\', not '<', '>' or '&'.
var safe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()

// appendCompact appends the JSON src without insignificant space, with
// <, >, &, U+2028 and U+2029 escaped, as encoding/json does to a
// MarshalJSON method's output; invalid JSON is an error.
func appendCompact(dst, src []byte) ([]byte, error) {
	if err := checkValid(src); err != nil {
		return dst, err
	}
	inString := false
	start := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			switch {
			case c == '\\':
				i++
			case c == '"':
				inString = false
			case c == '<' || c == '>' || c == '&':
				dst = append(dst, src[start:i]...)
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
				start = i + 1
			case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
				dst = append(dst, src[start:i]...)
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
				start = i + 3
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case ' ', '\t', '\n', '\r':
			dst = append(dst, src[start:i]...)
			start = i + 1
		}
	}
	return append(dst, src[start:]...), nil
}

// field is one encoded struct field.
type field struct {
	name      string // the JSON key
	index     int
	typ       reflect.Type
	omitEmpty bool
	quoted    string      // `"name":`, HTML-escaped
	flags     uint8       // the flags of typ
	sub       *structInfo // typ's fields if it is a plain struct (no methods jsonwire calls)
}

type structInfo struct {
	fields []field
}

// What a type's methods mean to jsonwire (flags).
const (
	isRaw       = 1 << iota // RawMessage
	marshals                // T or *T writes itself with MarshalJSON or MarshalText
	unmarshals              // *T reads itself with UnmarshalWire
	unsupported             // *T reads itself with UnmarshalJSON or UnmarshalText only
	isNumber                // Number
)

// cache holds what each type seen so far needs (the engine is single
// threaded; tests are not).
var cache struct {
	sync.Mutex
	flags   map[reflect.Type]uint8
	structs map[reflect.Type]*structInfo
}

// flags returns t's flags.
func flags(t reflect.Type) uint8 {
	if k := t.Kind(); k == reflect.Interface || k == reflect.Pointer {
		return 0
	}
	cache.Lock()
	defer cache.Unlock()
	f, ok := cache.flags[t]
	if ok {
		return f
	}
	switch p := reflect.PointerTo(t); {
	case t == rawType:
		f = isRaw
	case t == numberType:
		f = isNumber
	case p.Implements(reflect.TypeFor[jsonMarshaler]()) || p.Implements(reflect.TypeFor[textMarshaler]()):
		f = marshals
	}
	switch p := reflect.PointerTo(t); {
	case f&(isRaw|isNumber) != 0:
	case p.Implements(reflect.TypeFor[Unmarshaler]()):
		f |= unmarshals
	case p.Implements(reflect.TypeFor[jsonUnmarshaler]()) || p.Implements(reflect.TypeFor[textUnmarshaler]()):
		f |= unsupported
	}
	if cache.flags == nil {
		cache.flags = map[reflect.Type]uint8{}
	}
	cache.flags[t] = f
	return f
}

func structOf(t reflect.Type) *structInfo {
	cache.Lock()
	s := cache.structs[t]
	cache.Unlock()
	if s != nil {
		return s
	}
	s = &structInfo{}
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := tagOf(sf.Tag, "json")
		if sf.Anonymous {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if tag != "-" && (sf.IsExported() || ft.Kind() == reflect.Struct) {
				panic("jsonwire: embedded field " + sf.Name + " of " + t.String() + " is not supported")
			}
			continue
		}
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !validName(name) {
			name = sf.Name
		}
		omit := false
		for opts != "" {
			var o string
			o, opts, _ = strings.Cut(opts, ",")
			switch o {
			case "omitempty":
				omit = true
			case "string", "omitzero":
				panic("jsonwire: the \"" + o + "\" option of " + t.String() + "." + sf.Name + " is not supported")
			}
		}
		if seen[name] {
			panic("jsonwire: two fields named " + name + " in " + t.String())
		}
		seen[name] = true
		s.fields = append(s.fields, field{name: name, index: i, typ: sf.Type, omitEmpty: omit,
			quoted: string(AppendString(nil, name)) + ":", flags: flags(sf.Type)})
		if f := &s.fields[len(s.fields)-1]; sf.Type.Kind() == reflect.Struct && f.flags&(isRaw|marshals) == 0 {
			f.sub = structOf(sf.Type) // terminates: a struct cannot hold itself by value
		}
	}
	cache.Lock()
	defer cache.Unlock()
	if cache.structs == nil {
		cache.structs = map[reflect.Type]*structInfo{}
	}
	cache.structs[t] = s
	return s
}

// tagOf returns the value of key in a struct tag (reflect.StructTag.Get
// for tags without escapes, which is all the engine writes).
func tagOf(tag reflect.StructTag, key string) string {
	s := string(tag)
	for s != "" {
		s = strings.TrimLeft(s, " ")
		name, rest, ok := strings.Cut(s, ":\"")
		if !ok {
			return ""
		}
		value, after, ok := strings.Cut(rest, "\"")
		if !ok {
			return ""
		}
		if name == key {
			return value
		}
		s = after
	}
	return ""
}

// validName reports whether a tag's name is used as the key
// (encoding/json's isValidTag).
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
