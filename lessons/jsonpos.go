package lessons

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// node is one JSON value with the byte offset where it starts, so that
// every later complaint can name a line. Object members keep their order.
type node struct {
	off   int64    // first byte of the value, or of the member's key
	kind  byte     // '{', '[', '"', '0' (number), 't' (bool), 'n' (null)
	keys  []string // object members, in file order
	elems []*node  // object member values (parallel to keys) or array elements
}

// parseTree reads one JSON value into a node tree. Errors carry the offset
// of the offending byte; a member key given twice is an error too.
func parseTree(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readNode(dec, data, -1)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &posError{off: start(data, dec.InputOffset()), msg: "unexpected data after the JSON value"}
	}
	return n, nil
}

// posError is a problem at a byte offset.
type posError struct {
	off int64
	msg string
}

func (e *posError) Error() string { return e.msg }

// start is the offset of the next token at or after off.
func start(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func readNode(dec *json.Decoder, data []byte, at int64) (*node, error) {
	if at < 0 {
		at = start(data, dec.InputOffset())
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, tokenError(err, data, dec)
	}
	n := &node{off: at}
	switch t := tok.(type) {
	case json.Delim:
		n.kind = byte(t)
		if t == '{' {
			seen := map[string]bool{}
			for dec.More() {
				keyAt := start(data, dec.InputOffset())
				kt, err := dec.Token()
				if err != nil {
					return nil, tokenError(err, data, dec)
				}
				key := kt.(string)
				if seen[key] {
					return nil, &posError{off: keyAt, msg: fmt.Sprintf("field %q is given twice", key)}
				}
				seen[key] = true
				v, err := readNode(dec, data, -1)
				if err != nil {
					return nil, err
				}
				v.off = keyAt
				n.keys = append(n.keys, key)
				n.elems = append(n.elems, v)
			}
		} else {
			for dec.More() {
				v, err := readNode(dec, data, -1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, tokenError(err, data, dec)
		}
	case string:
		n.kind = '"'
	case json.Number:
		n.kind = '0'
	case bool:
		n.kind = 't'
	case nil:
		n.kind = 'n'
	}
	return n, nil
}

func tokenError(err error, data []byte, dec *json.Decoder) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &posError{off: max(se.Offset-1, 0), msg: strings.TrimPrefix(se.Error(), "json: ")}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &posError{off: int64(len(data)), msg: "unexpected end of JSON input"}
	}
	return &posError{off: start(data, dec.InputOffset()), msg: strings.TrimPrefix(err.Error(), "json: ")}
}

// member returns the value of an object member, or nil.
func (n *node) member(key string) *node {
	if n == nil {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.elems[i]
		}
	}
	return nil
}

// elem returns the i-th array element, or nil.
func (n *node) elem(i int) *node {
	if n == nil || n.kind != '[' || i < 0 || i >= len(n.elems) {
		return nil
	}
	return n.elems[i]
}

// find follows a path such as "steps[2].goals[0].check"; it returns the
// deepest node it reached, so a missing field points at its parent.
func (n *node) find(path string) *node {
	cur := n
	for path != "" {
		var part string
		part, path, _ = strings.Cut(path, ".")
		name, idx, _ := strings.Cut(part, "[")
		if name != "" {
			next := cur.member(name)
			if next == nil {
				return cur
			}
			cur = next
		}
		for idx != "" {
			num, rest, _ := strings.Cut(idx, "]")
			i, err := strconv.Atoi(num)
			next := cur.elem(i)
			if err != nil || next == nil {
				return cur
			}
			cur = next
			idx = strings.TrimPrefix(rest, "[")
		}
	}
	return cur
}

// lineAt is the 1-based line of a byte offset.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// unknownFields walks the tree along a Go type and reports every object
// member that the type has no field for, with the path of its object.
func unknownFields(n *node, t reflect.Type, path string, report func(n *node, msg string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[json.RawMessage]() {
		return
	}
	switch {
	case t.Kind() == reflect.Struct && n.kind == '{':
		fields := jsonFields(t)
		for i, key := range n.keys {
			f, ok := fields[key]
			if !ok {
				names := make([]string, 0, len(fields))
				for k := range fields {
					names = append(names, k)
				}
				sort.Strings(names)
				where := ""
				if path != "" {
					where = " in " + path
				}
				report(n.elems[i], fmt.Sprintf("unknown field %q%s (allowed: %s)", key, where, strings.Join(names, ", ")))
				continue
			}
			unknownFields(n.elems[i], f.Type, join(path, key), report)
		}
	case t.Kind() == reflect.Slice && n.kind == '[':
		for i, e := range n.elems {
			unknownFields(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), report)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields maps the JSON names of a struct's exported fields to them.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}
