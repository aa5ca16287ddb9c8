package record

// decodeRecords parses exactly count records filling all of section. at is
// the position of section inside the batch for error messages (-1 if the
// section was decompressed).
func decodeRecords(section []byte, count int, base int64, at int) ([]Record, error) {
	if count > len(section)/minRecordSize {
		return nil, decodeErr(ErrCorrupt, base, posRecordsCount, "records count %d cannot fit in %d bytes of records", count, len(section))
	}
	d := recordDecoder{b: section, at: at, base: base}
	recs := make([]Record, count)
	for i := range recs {
		if err := d.record(i, &recs[i]); err != nil {
			return nil, err
		}
	}
	if d.pos != len(section) {
		return nil, d.fail(-1, "%d bytes left over after %d records", len(section)-d.pos, count)
	}
	return recs, nil
}

type recordDecoder struct {
	b    []byte
	pos  int
	at   int
	base int64
	end  int // end of the current record
}

func (d *recordDecoder) fail(i int, format string, args ...any) error {
	pos := d.pos
	if d.at >= 0 {
		pos += d.at
	}
	if i >= 0 {
		format = "record %d: " + format
		args = append([]any{i}, args...)
	}
	return decodeErr(ErrCorrupt, d.base, pos, format, args...)
}

func (d *recordDecoder) varint(i int, field string, limit int) (int32, error) {
	v, n, err := readVarint(d.b[d.pos:limit])
	if err != nil {
		return 0, d.fail(i, "%s: %v", field, err)
	}
	d.pos += n
	return v, nil
}

func (d *recordDecoder) record(i int, r *Record) error {
	length, err := d.varint(i, "length", len(d.b))
	if err != nil {
		return err
	}
	if length < 0 || int(length) > len(d.b)-d.pos {
		return d.fail(i, "length %d does not fit in the %d bytes left", length, len(d.b)-d.pos)
	}
	d.end = d.pos + int(length)
	if d.pos >= d.end {
		return d.fail(i, "empty record")
	}
	if a := d.b[d.pos]; a != 0 {
		// Kafka ignores record attributes; we require 0 so every accepted
		// record re-encodes to the same bytes (simplification).
		return d.fail(i, "record attributes %#x, must be 0 in v2", a)
	}
	d.pos++
	ts, n, err := readVarlong(d.b[d.pos:d.end])
	if err != nil {
		return d.fail(i, "timestampDelta: %v", err)
	}
	d.pos += n
	r.TimestampDelta = ts
	if r.OffsetDelta, err = d.varint(i, "offsetDelta", d.end); err != nil {
		return err
	}
	if r.Key, err = d.bytes(i, "key", true); err != nil {
		return err
	}
	if r.Value, err = d.bytes(i, "value", true); err != nil {
		return err
	}
	nh, err := d.varint(i, "headers count", d.end)
	if err != nil {
		return err
	}
	if nh < 0 || int(nh) > (d.end-d.pos)/minHeaderSize {
		return d.fail(i, "headers count %d does not fit in the %d bytes left", nh, d.end-d.pos)
	}
	if nh > 0 {
		r.Headers = make([]Header, nh)
		for h := range r.Headers {
			key, err := d.bytes(i, "header key", false)
			if err != nil {
				return err
			}
			r.Headers[h].Key = string(key)
			if r.Headers[h].Value, err = d.bytes(i, "header value", true); err != nil {
				return err
			}
		}
	}
	if d.pos != d.end {
		return d.fail(i, "%d bytes left over inside the record", d.end-d.pos)
	}
	return nil
}

// bytes reads a length-prefixed field; -1 is null (nil) when nullable.
func (d *recordDecoder) bytes(i int, field string, nullable bool) ([]byte, error) {
	n, used, err := readVarint(d.b[d.pos:d.end])
	if err != nil {
		return nil, d.fail(i, "%s length: %v", field, err)
	}
	d.pos += used
	if n == -1 && nullable {
		return nil, nil
	}
	if n < 0 {
		return nil, d.fail(i, "%s length %d is invalid", field, n)
	}
	if int(n) > d.end-d.pos {
		return nil, d.fail(i, "%s length %d runs past the record end (%d bytes left)", field, n, d.end-d.pos)
	}
	p := d.b[d.pos : d.pos+int(n) : d.pos+int(n)]
	d.pos += int(n)
	return p, nil
}
