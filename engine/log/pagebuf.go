package log

import "github.com/brokerlab/brokerlab/engine/record"

// pageBuf holds a segment's page-cache bytes: appends go to the end,
// write-back takes them from the front. Taking from the front only moves
// start; the array is compacted (or grown) when an append finds no room,
// so each byte is copied a bounded number of times however long it waits
// for write-back (the OS write-back model keeps ~30 s of appends).
type pageBuf struct {
	buf   []byte // buf[start:] are the unflushed bytes
	start int
}

// len is how many bytes the buffer holds.
func (p *pageBuf) len() int { return len(p.buf) - p.start }

// bytes returns the held bytes (valid until the next change).
func (p *pageBuf) bytes() []byte { return p.buf[p.start:] }

// appendBatch encodes b (size bytes) at the end.
func (p *pageBuf) appendBatch(b *record.Batch, size int) {
	p.reserve(size)
	p.buf = b.AppendTo(p.buf)
}

// reserve makes room for k more bytes: compacting when that leaves a
// quarter of the array free (the written-back front, at least that large,
// paid for the copy), else doubling.
func (p *pageBuf) reserve(k int) {
	if len(p.buf)+k <= cap(p.buf) {
		return
	}
	live := p.len()
	if live+k <= cap(p.buf)-cap(p.buf)/4 {
		copy(p.buf, p.buf[p.start:])
		p.buf, p.start = p.buf[:live], 0
		return
	}
	grown := make([]byte, live, max(2*cap(p.buf), live+k, 512))
	copy(grown, p.buf[p.start:])
	p.buf, p.start = grown, 0
}

// consume drops the first k bytes (written back).
func (p *pageBuf) consume(k int) {
	p.start += k
	if p.start == len(p.buf) {
		p.buf, p.start = p.buf[:0], 0
	}
}

// truncate keeps the first n bytes.
func (p *pageBuf) truncate(n int) {
	p.buf = p.buf[:p.start+n]
	if n == 0 {
		p.buf, p.start = p.buf[:0], 0
	}
}
