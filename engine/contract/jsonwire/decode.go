package jsonwire

import (
	"encoding/base64"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// UnmarshalTypeError is a JSON value that does not fit the Go type it is
// decoded into (encoding/json's, with the same message).
type UnmarshalTypeError struct {
	Value  string       // "bool", "array", "number -5"…
	Type   reflect.Type // the Go type it could not be assigned to
	Struct string       // the struct type holding the field
	Field  string       // the dotted path of JSON keys to the field
}

func (e *UnmarshalTypeError) Error() string {
	if e.Struct != "" || e.Field != "" {
		return "json: cannot unmarshal " + e.Value + " into Go struct field " + e.Struct + "." + e.Field + " of type " + e.Type.String()
	}
	return "json: cannot unmarshal " + e.Value + " into Go value of type " + e.Type.String()
}

// InvalidUnmarshalError is a target that is not a non-nil pointer.
type InvalidUnmarshalError struct{ Type reflect.Type }

func (e *InvalidUnmarshalError) Error() string {
	if e.Type == nil {
		return "json: Unmarshal(nil)"
	}
	if e.Type.Kind() != reflect.Pointer {
		return "json: Unmarshal(non-pointer " + e.Type.String() + ")"
	}
	return "json: Unmarshal(nil " + e.Type.String() + ")"
}

// Unmarshal decodes the one JSON value in data into v, as encoding/json
// does: syntax errors first, then the first value that does not fit.
func Unmarshal(data []byte, v any) error {
	if err := checkValid(data); err != nil {
		return err
	}
	d := decodeState{data: data}
	return d.unmarshal(v)
}

// Decoder reads one value from a byte slice the way encoding/json's
// Decoder reads it from a stream (its EOF errors, its More).
type Decoder struct {
	data []byte
	pos  int
	d    decodeState
}

// NewDecoder returns a decoder of data.
func NewDecoder(data []byte) *Decoder { return &Decoder{data: data} }

// DisallowUnknownFields makes an object key that names no field of the
// struct it is decoded into an error.
func (dec *Decoder) DisallowUnknownFields() { dec.d.strict = true }

// UseNumber decodes numbers into an interface{} as a Number.
func (dec *Decoder) UseNumber() { dec.d.useNumber = true }

// Decode decodes the next value into v.
func (dec *Decoder) Decode(v any) error {
	start := skipSpace(dec.data, dec.pos)
	if start >= len(dec.data) {
		return io.EOF
	}
	end, err := scanValue(dec.data, start, 0)
	if err != nil {
		if err.eof {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	dec.pos = end
	dec.d.data = dec.data[:end]
	dec.d.off = start
	return dec.d.unmarshal(v)
}

// More reports whether more than space, ']' or '}' follows.
func (dec *Decoder) More() bool {
	i := skipSpace(dec.data, dec.pos)
	return i < len(dec.data) && dec.data[i] != ']' && dec.data[i] != '}'
}

// decodeState decodes validated JSON.
type decodeState struct {
	data      []byte
	off       int
	strict    bool
	useNumber bool
	saved     error
	// the error context: the struct and the path of keys being decoded
	structName string
	fieldStack []string
}

func (d *decodeState) unmarshal(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &InvalidUnmarshalError{reflect.TypeOf(v)}
	}
	d.saved, d.structName, d.fieldStack = nil, "", d.fieldStack[:0]
	if err := d.value(rv); err != nil {
		return d.withContext(err)
	}
	return d.saved
}

// withContext names the field an UnmarshalTypeError happened in.
func (d *decodeState) withContext(err error) error {
	if te, ok := err.(*UnmarshalTypeError); ok && (d.structName != "" || len(d.fieldStack) > 0) {
		te.Struct = d.structName
		stack := d.fieldStack
		if te.Field != "" {
			stack = append(stack[:len(stack):len(stack)], te.Field)
		}
		te.Field = strings.Join(stack, ".")
	}
	return err
}

func (d *decodeState) save(err error) {
	if d.saved == nil {
		d.saved = d.withContext(err)
	}
}

func (d *decodeState) typeError(what string, t reflect.Type) {
	d.save(&UnmarshalTypeError{Value: what, Type: t})
}

// skip moves past the value at d.off and returns it.
func (d *decodeState) skip() []byte {
	start := skipSpace(d.data, d.off)
	end, _ := scanValue(d.data, start, 0)
	d.off = end
	return d.data[start:end]
}

// value decodes the value at d.off into v (skipping it if v is invalid).
func (d *decodeState) value(v reflect.Value) error {
	d.off = skipSpace(d.data, d.off)
	if !v.IsValid() {
		d.skip()
		return nil
	}
	switch d.data[d.off] {
	case '{':
		return d.object(v)
	case '[':
		return d.array(v)
	}
	return d.literal(d.skip(), v)
}

// indirect walks down v, allocating pointers, until it reaches a
// non-pointer or an Unmarshaler (encoding/json's indirect, without
// TextUnmarshaler).
func indirect(v reflect.Value, decodingNull bool) (Unmarshaler, reflect.Value) {
	v0 := v
	haveAddr := false
	if v.Kind() != reflect.Pointer && v.Type().Name() != "" && v.CanAddr() {
		haveAddr = true
		v = v.Addr()
	}
	for {
		if v.Kind() == reflect.Interface && !v.IsNil() {
			e := v.Elem()
			if e.Kind() == reflect.Pointer && !e.IsNil() && (!decodingNull || e.Elem().Kind() == reflect.Pointer) {
				haveAddr = false
				v = e
				continue
			}
		}
		if v.Kind() != reflect.Pointer {
			break
		}
		if decodingNull && v.CanSet() {
			break
		}
		if e := v.Elem(); e.Kind() == reflect.Interface {
			if e = e.Elem(); e.Kind() == reflect.Pointer && e.Type() == v.Type() && e.Pointer() == v.Pointer() {
				v = v.Elem() // a pointer to an interface holding itself
				break
			}
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if v.Type().NumMethod() > 0 && v.CanInterface() {
			if u, ok := v.Interface().(Unmarshaler); ok {
				return u, reflect.Value{}
			}
			if f := flags(v.Type().Elem()); f&isRaw != 0 {
				return rawSetter{v.Elem()}, reflect.Value{}
			} else if f&unsupported != 0 {
				panic("jsonwire: " + v.Type().String() + " reads itself with UnmarshalJSON or UnmarshalText, which jsonwire does not call")
			}
		}
		if haveAddr {
			v = v0
			haveAddr = false
		} else {
			v = v.Elem()
		}
	}
	return nil, v
}

func (d *decodeState) array(v reflect.Value) error {
	u, pv := indirect(v, false)
	if u != nil {
		return u.UnmarshalWire(d.skip())
	}
	v = pv
	switch v.Kind() {
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(d.anyValue()))
			return nil
		}
		fallthrough
	default:
		d.typeError("array", v.Type())
		d.skip()
		return nil
	case reflect.Array, reflect.Slice:
	}
	d.off++ // [
	i := 0
	for {
		d.off = skipSpace(d.data, d.off)
		if d.data[d.off] == ']' {
			d.off++
			break
		}
		if v.Kind() == reflect.Slice {
			if i >= v.Cap() {
				v.Grow(1)
			}
			if i >= v.Len() {
				v.SetLen(i + 1)
			}
		}
		var err error
		if i < v.Len() {
			err = d.value(v.Index(i))
		} else {
			err = d.value(reflect.Value{})
		}
		if err != nil {
			return err
		}
		i++
		d.off = skipSpace(d.data, d.off)
		if d.data[d.off] == ',' {
			d.off++
		}
	}
	if i < v.Len() {
		if v.Kind() == reflect.Array {
			for ; i < v.Len(); i++ {
				v.Index(i).SetZero()
			}
		} else {
			v.SetLen(i)
		}
	}
	if i == 0 && v.Kind() == reflect.Slice {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	}
	return nil
}

func (d *decodeState) object(v reflect.Value) error {
	u, pv := indirect(v, false)
	if u != nil {
		return u.UnmarshalWire(d.skip())
	}
	v = pv
	t := v.Type()
	if v.Kind() == reflect.Interface && v.NumMethod() == 0 {
		v.Set(reflect.ValueOf(d.anyValue()))
		return nil
	}
	var s *structInfo
	switch v.Kind() {
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			d.typeError("object", t)
			d.skip()
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(t))
		}
	case reflect.Struct:
		s = structOf(t)
	default:
		d.typeError("object", t)
		d.skip()
		return nil
	}
	var mapElem reflect.Value
	outerStruct, outerDepth := d.structName, len(d.fieldStack)
	d.off++ // {
	for {
		d.off = skipSpace(d.data, d.off)
		if d.data[d.off] == '}' {
			d.off++
			return nil
		}
		item := d.skip()
		key, _ := unquote(item)
		var subv reflect.Value
		if v.Kind() == reflect.Map {
			if !mapElem.IsValid() {
				mapElem = reflect.New(t.Elem()).Elem()
			} else {
				mapElem.SetZero()
			}
			subv = mapElem
		} else if f := s.lookup(key); f != nil {
			subv = v.Field(f.index)
			d.structName = t.Name()
			d.fieldStack = append(d.fieldStack, f.name)
		} else if d.strict {
			d.save(errors.New("json: unknown field " + strconv.Quote(string(key))))
		}
		d.off = skipSpace(d.data, d.off) + 1 // :
		if err := d.value(subv); err != nil {
			return err
		}
		if v.Kind() == reflect.Map {
			kt := t.Key()
			var kv reflect.Value
			switch kt.Kind() {
			case reflect.String:
				kv = reflect.New(kt).Elem()
				kv.SetString(string(key))
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				n, err := strconv.ParseInt(string(key), 10, 64)
				if err != nil || kt.OverflowInt(n) {
					d.typeError("number "+string(key), kt)
					break
				}
				kv = reflect.New(kt).Elem()
				kv.SetInt(n)
			default:
				n, err := strconv.ParseUint(string(key), 10, 64)
				if err != nil || kt.OverflowUint(n) {
					d.typeError("number "+string(key), kt)
					break
				}
				kv = reflect.New(kt).Elem()
				kv.SetUint(n)
			}
			if kv.IsValid() {
				v.SetMapIndex(kv, subv)
			}
		}
		d.structName, d.fieldStack = outerStruct, d.fieldStack[:outerDepth]
		d.off = skipSpace(d.data, d.off)
		if d.data[d.off] == ',' {
			d.off++
		}
	}
}

// lookup finds the field of a key: its exact name, else the first whose
// name matches ignoring case (encoding/json's folding is bytes.EqualFold).
func (s *structInfo) lookup(key []byte) *field {
	for i := range s.fields {
		if s.fields[i].name == string(key) {
			return &s.fields[i]
		}
	}
	for i := range s.fields {
		if strings.EqualFold(s.fields[i].name, string(key)) {
			return &s.fields[i]
		}
	}
	return nil
}

var numberType = reflect.TypeFor[Number]()

// rawSetter reads a RawMessage (a copy of the bytes, as its UnmarshalJSON
// would make).
type rawSetter struct{ v reflect.Value }

func (r rawSetter) UnmarshalWire(data []byte) error {
	r.v.SetBytes(append([]byte(nil), data...))
	return nil
}

// literal stores the literal item (null, true, false, a string or a
// number) into v.
func (d *decodeState) literal(item []byte, v reflect.Value) error {
	isNull := item[0] == 'n'
	u, pv := indirect(v, isNull)
	if u != nil {
		return u.UnmarshalWire(item)
	}
	v = pv
	switch c := item[0]; c {
	case 'n':
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice:
			v.SetZero()
		}
	case 't', 'f':
		value := c == 't'
		switch v.Kind() {
		default:
			d.typeError("bool", v.Type())
		case reflect.Bool:
			v.SetBool(value)
		case reflect.Interface:
			if v.NumMethod() == 0 {
				v.Set(reflect.ValueOf(value))
			} else {
				d.typeError("bool", v.Type())
			}
		}
	case '"':
		s, _ := unquote(item)
		switch v.Kind() {
		default:
			d.typeError("string", v.Type())
		case reflect.Slice:
			if v.Type().Elem().Kind() != reflect.Uint8 {
				d.typeError("string", v.Type())
				break
			}
			b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
			n, err := base64.StdEncoding.Decode(b, s)
			if err != nil {
				d.save(err)
				break
			}
			v.SetBytes(b[:n])
		case reflect.String:
			t := string(s)
			if flags(v.Type())&isNumber != 0 && !validNumber(t) {
				return errors.New("json: invalid number literal, trying to unmarshal " + strconv.Quote(string(item)) + " into Number")
			}
			v.SetString(t)
		case reflect.Interface:
			if v.NumMethod() == 0 {
				v.Set(reflect.ValueOf(string(s)))
			} else {
				d.typeError("string", v.Type())
			}
		}
	default: // a number
		s := string(item)
		switch v.Kind() {
		default:
			if v.Kind() == reflect.String && flags(v.Type())&isNumber != 0 {
				v.SetString(s)
				break
			}
			d.typeError("number", v.Type())
		case reflect.Interface:
			n, err := d.number(s)
			if err != nil {
				d.save(err)
				break
			}
			if v.NumMethod() != 0 {
				d.typeError("number", v.Type())
				break
			}
			v.Set(reflect.ValueOf(n))
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v.OverflowInt(n) {
				d.typeError("number "+s, v.Type())
				break
			}
			v.SetInt(n)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			n, err := strconv.ParseUint(s, 10, 64)
			if err != nil || v.OverflowUint(n) {
				d.typeError("number "+s, v.Type())
				break
			}
			v.SetUint(n)
		case reflect.Float32, reflect.Float64:
			n, err := strconv.ParseFloat(s, v.Type().Bits())
			if err != nil || v.OverflowFloat(n) {
				d.typeError("number "+s, v.Type())
				break
			}
			v.SetFloat(n)
		}
	}
	return nil
}

// number is a number for an interface{}: a float64, or a Number.
func (d *decodeState) number(s string) (any, error) {
	if d.useNumber {
		return Number(s), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, &UnmarshalTypeError{Value: "number " + s, Type: reflect.TypeFor[float64]()}
	}
	return f, nil
}

// anyValue decodes the value at d.off as map[string]any, []any, string,
// float64 or Number, bool or nil.
func (d *decodeState) anyValue() any {
	d.off = skipSpace(d.data, d.off)
	switch d.data[d.off] {
	case '{':
		m := map[string]any{}
		d.off++
		for {
			d.off = skipSpace(d.data, d.off)
			if d.data[d.off] == '}' {
				d.off++
				return m
			}
			key, _ := unquote(d.skip())
			d.off = skipSpace(d.data, d.off) + 1 // :
			m[string(key)] = d.anyValue()
			d.off = skipSpace(d.data, d.off)
			if d.data[d.off] == ',' {
				d.off++
			}
		}
	case '[':
		a := make([]any, 0)
		d.off++
		for {
			d.off = skipSpace(d.data, d.off)
			if d.data[d.off] == ']' {
				d.off++
				return a
			}
			a = append(a, d.anyValue())
			d.off = skipSpace(d.data, d.off)
			if d.data[d.off] == ',' {
				d.off++
			}
		}
	}
	item := d.skip()
	switch item[0] {
	case 'n':
		return nil
	case 't', 'f':
		return item[0] == 't'
	case '"':
		s, _ := unquote(item)
		return string(s)
	}
	n, err := d.number(string(item))
	if err != nil {
		d.save(err)
	}
	return n
}

// validNumber reports whether s is a JSON number literal.
func validNumber(s string) bool {
	if s == "" || s[0] != '-' && !isDigit(s[0]) {
		return false
	}
	end, err := scanNumber([]byte(s), 0)
	return err == nil && end == len(s)
}

// getu4 decodes \uXXXX from the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unquote returns the bytes of the quoted JSON string s (encoding/json's
// unquoteBytes: invalid UTF-8 and lone surrogates become U+FFFD).
func unquote(s []byte) (t []byte, ok bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return
	}
	s = s[1 : len(s)-1]
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c == '"' || c < ' ' {
			break
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return s, true
	}
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	b = append(b, s[:r]...)
	for r < len(s) {
		switch c := s[r]; {
		case c == '\\':
			r++
			if r >= len(s) {
				return
			}
			switch s[r] {
			default:
				return
			case '"', '\\', '/', '\'':
				b = append(b, s[r])
				r++
			case 'b':
				b = append(b, '\b')
				r++
			case 'f':
				b = append(b, '\f')
				r++
			case 'n':
				b = append(b, '\n')
				r++
			case 'r':
				b = append(b, '\r')
				r++
			case 't':
				b = append(b, '\t')
				r++
			case 'u':
				r--
				rr := getu4(s[r:])
				if rr < 0 {
					return
				}
				r += 6
				if utf16.IsSurrogate(rr) {
					rr1 := getu4(s[r:])
					if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						break
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
			}
		case c == '"', c < ' ':
			return
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return b, true
}
