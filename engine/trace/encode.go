package trace

import (
	"slices"
	"sort"
	"strconv"
	"unsafe"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/view"
)

// encoder writes an Event as the exact bytes encoding/json.Marshal would,
// without reflection for the value types the engine puts in Data. Any other
// type is handed to jsonwire.Marshal (the same bytes), so coverage only
// affects speed, never the bytes. It reuses its scratch space between events; not safe for
// concurrent use (a Trace is single-threaded like the rest of the engine).
type encoder struct {
	keys  [][]string // sorted-key scratch, one slice per map nesting depth
	pairs [][]pair   // appendMap's sorted entries, one slice per nesting depth
	// orders remembers each event kind's sorted data keys (see keyOrder);
	// slots is the scratch the entries are put in order in.
	orders map[string]*keyOrder
	slots  []pair
}

// keyOrder is the sorted key order of one event kind's data, recognised by
// the keys' string data: an emitter builds a kind's data from the same
// literal keys every time, so when each key of a map is one of these
// (same bytes at the same address, so the same string) the order is known
// without sorting. Keys built at run time do not match and are sorted.
type keyOrder struct {
	keys   []string // sorted
	quoted []string // each key encoded, with its colon
	misses int      // a kind whose keys keep changing stops being remembered
}

// maxOrderMisses is how often a kind's remembered order is replaced.
const maxOrderMisses = 8

// pair is one entry of a map[string]any, read from the map once.
type pair struct {
	k string
	v any
}

// appendEvent appends e's canonical JSON (no trailing newline) to dst.
// The field names, order and omitempty rules are view.Event's json tags;
// encode_test.go checks the struct still has exactly these.
func (enc *encoder) appendEvent(dst []byte, e *Event) ([]byte, error) {
	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendInt(dst, e.Seq, 10)
	dst = append(dst, `,"t_us":`...)
	dst = strconv.AppendInt(dst, e.TimeUS, 10)
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, e.Kind)
	if e.Node != "" {
		dst = append(dst, `,"node":`...)
		dst = appendString(dst, e.Node)
	}
	if e.Topic != "" {
		dst = append(dst, `,"topic":`...)
		dst = appendString(dst, e.Topic)
	}
	if e.Partition != nil {
		dst = append(dst, `,"partition":`...)
		dst = strconv.AppendInt(dst, int64(*e.Partition), 10)
	}
	if e.Msg != "" {
		dst = append(dst, `,"msg":`...)
		dst = appendString(dst, e.Msg)
	}
	if len(e.Fields) > 0 {
		dst = append(dst, `,"data":`...)
		dst = appendFields(dst, e.Fields)
	} else if len(e.Data) > 0 {
		dst = append(dst, `,"data":`...)
		var err error
		if dst, err = enc.appendData(dst, e.Kind, e.Data); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendFields appends fields, sorted by key, as the map of the same
// entries is encoded.
func appendFields(dst []byte, fields []Field) []byte {
	dst = append(dst, '{')
	for i := range fields {
		f := &fields[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, f.Key)
		dst = append(dst, ':')
		if f.Type == view.FieldString {
			dst = appendString(dst, f.Str)
		} else {
			dst = strconv.AppendInt(dst, f.Int, 10)
		}
	}
	return append(dst, '}')
}

// appendValue appends one Data value. Only exact (unnamed) types are
// handled here: a named type may have a MarshalJSON or MarshalText method,
// so it goes to jsonwire.Marshal along with everything else.
func (enc *encoder) appendValue(dst []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return appendString(dst, x), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint8:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(dst, x, 10), nil
	case float64:
		return jsonwire.AppendFloat(dst, x, 64)
	case float32:
		return jsonwire.AppendFloat(dst, float64(x), 32)
	case []int32:
		return appendInts(dst, x), nil
	case []int64:
		return appendInts(dst, x), nil
	case []int:
		return appendInts(dst, x), nil
	case []string:
		return appendStrings(dst, x), nil
	case [][]int32:
		return appendNested(dst, x, appendInts[int32]), nil
	case [][]string:
		return appendNested(dst, x, appendStrings), nil
	case []any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, el := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = enc.appendValue(dst, el, depth); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		return enc.appendMap(dst, x, depth+1)
	case map[string]string:
		return appendMapOf(enc, dst, x, depth+1, appendString)
	case map[string]int64:
		return appendMapOf(enc, dst, x, depth+1, appendInt64)
	case map[string]int:
		return appendMapOf(enc, dst, x, depth+1, appendInt)
	case map[string][]string:
		return appendMapOf(enc, dst, x, depth+1, appendStrings)
	case map[string][]int32:
		return appendMapOf(enc, dst, x, depth+1, appendInts[int32])
	}
	b, err := jsonwire.Marshal(v)
	return append(dst, b...), err
}

// appendData appends an event's data, using the kind's remembered key
// order when its keys are the remembered ones.
func (enc *encoder) appendData(dst []byte, kind string, m map[string]any) ([]byte, error) {
	o := enc.orders[kind]
	if o == nil {
		if enc.orders == nil {
			enc.orders = map[string]*keyOrder{}
		}
		o = &keyOrder{}
		enc.orders[kind] = o
	}
	return enc.appendMapIn(dst, m, 0, o)
}

// inOrder puts ps in o's order in enc.slots, or reports that ps's keys are
// not exactly o's.
func (enc *encoder) inOrder(ps []pair, o *keyOrder) ([]pair, bool) {
	if len(ps) != len(o.keys) {
		return nil, false
	}
	slots := enc.slots[:0]
	slots = append(slots, ps...) // sized; every slot is overwritten below
	for _, p := range ps {
		d := unsafe.StringData(p.k)
		j := 0
		for j < len(o.keys) && (unsafe.StringData(o.keys[j]) != d || len(o.keys[j]) != len(p.k)) {
			j++
		}
		if j == len(o.keys) || len(p.k) == 0 {
			enc.slots = slots[:0]
			return nil, false
		}
		slots[j] = p
	}
	enc.slots = slots
	return slots, true
}

// appendMap appends m with its keys sorted, as encoding/json does. The
// entries are read in one pass over the map and sorted by key, so no value
// is looked up again.
func (enc *encoder) appendMap(dst []byte, m map[string]any, depth int) ([]byte, error) {
	return enc.appendMapIn(dst, m, depth, nil)
}

// appendMapIn is appendMap with the remembered key order o, if any.
func (enc *encoder) appendMapIn(dst []byte, m map[string]any, depth int, o *keyOrder) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	for len(enc.pairs) <= depth {
		enc.pairs = append(enc.pairs, nil)
	}
	ps := enc.pairs[depth][:0]
	for k, v := range m {
		ps = append(ps, pair{k, v})
	}
	sorted := ps
	var quoted []string // the keys encoded, when sorted by o
	if o != nil {
		var ok bool
		if sorted, ok = enc.inOrder(ps, o); ok {
			quoted = o.quoted
		} else {
			sorted = ps
			sortPairs(ps)
			if o.misses < maxOrderMisses {
				o.misses++
				o.keys, o.quoted = o.keys[:0], o.quoted[:0]
				for _, p := range ps {
					o.keys = append(o.keys, p.k)
					o.quoted = append(o.quoted, string(append(appendString(nil, p.k), ':')))
				}
			}
		}
	}
	if o == nil {
		sortPairs(ps)
	}
	dst = append(dst, '{')
	var err error
	for i := range sorted {
		if i > 0 {
			dst = append(dst, ',')
		}
		if quoted != nil {
			dst = append(dst, quoted[i]...)
		} else {
			dst = appendString(dst, sorted[i].k)
			dst = append(dst, ':')
		}
		if dst, err = enc.appendValue(dst, sorted[i].v, depth); err != nil {
			break
		}
	}
	clear(ps) // do not pin the map's keys and values
	enc.pairs[depth] = ps[:0]
	if o != nil {
		clear(enc.slots)
		enc.slots = enc.slots[:0]
	}
	if err != nil {
		return dst, err
	}
	return append(dst, '}'), nil
}

// sortPairs sorts by key bytewise: by insertion for the few entries of an
// event's data, which beats a general sort there.
func sortPairs(ps []pair) {
	if len(ps) > 12 {
		sort.Slice(ps, func(i, j int) bool { return ps[i].k < ps[j].k })
		return
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].k < ps[j-1].k; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// appendMapOf is appendMap for maps whose values need no error check.
func appendMapOf[V any](enc *encoder, dst []byte, m map[string]V, depth int, val func([]byte, V) []byte) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	keys := sortedKeys(enc, m, depth)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, k)
		dst = append(dst, ':')
		dst = val(dst, m[k])
	}
	enc.release(keys, depth)
	return append(dst, '}'), nil
}

// sortedKeys returns m's keys sorted bytewise (encoding/json's order for
// string keys) in the scratch slice for this nesting depth.
func sortedKeys[V any](enc *encoder, m map[string]V, depth int) []string {
	for len(enc.keys) <= depth {
		enc.keys = append(enc.keys, nil)
	}
	keys := enc.keys[depth][:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// release keeps the grown scratch slice for the next map at this depth,
// clearing it so it does not pin the map's key strings.
func (enc *encoder) release(keys []string, depth int) {
	clear(keys)
	enc.keys[depth] = keys[:0]
}

func appendInt64(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) }
func appendInt(dst []byte, v int) []byte     { return strconv.AppendInt(dst, int64(v), 10) }

func appendInts[T int | int32 | int64](dst []byte, s []T) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, v := range s {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(dst, int64(v), 10)
	}
	return append(dst, ']')
}

func appendStrings(dst []byte, s []string) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, v := range s {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, v)
	}
	return append(dst, ']')
}

// appendString appends s quoted and escaped exactly as encoding/json does
// (jsonwire's, which the rest of the engine's JSON uses).
func appendString(dst []byte, s string) []byte { return jsonwire.AppendString(dst, s) }

// appendNested encodes a slice of slices, each with one.
func appendNested[T any](dst []byte, x [][]T, one func([]byte, []T) []byte) []byte {
	if x == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range x {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = one(dst, s)
	}
	return append(dst, ']')
}
