package log

import "github.com/brokerlab/brokerlab/engine/record"

// pageBuf holds a segment's page-cache bytes: appends go to the end,
// write-back takes them from the front. The bytes live in blocks that
// never move: an append that does not fit the last block starts a new
// one. So however long bytes wait for write-back (the OS write-back model
// keeps ~30 s of appends) they are encoded once and copied once more, to
// the Store. A block written back entirely is kept for reuse unless it is
// lent: a batch appended here may keep a reference to its encoding
// (record.Batch.AppendKept), so that a follower appending the same batch
// copies those bytes instead of encoding the records again, and the bytes
// of a block lent so are never written again (it is dropped, not reused,
// and once truncated takes no more appends). A follower's log appends
// batches that already refer to the leader's bytes: its blocks are not lent.
type pageBuf struct {
	blocks [][]byte // the bytes are blocks[0][head:], blocks[1], …; a block may be partly filled
	lent   []bool   // by block: a batch refers to its bytes
	head   int
	n      int      // bytes held
	grow   int      // capacity of the next new block: doubles up to pageBlock
	spare  [][]byte // emptied full-size blocks, not lent
}

// pageBlock is the largest block; a quiet log's blocks stay smaller.
const pageBlock = 64 << 10

// len is how many bytes the buffer holds.
func (p *pageBuf) len() int { return p.n }

// appendBatch encodes b (size bytes) at the end.
func (p *pageBuf) appendBatch(b *record.Batch, size int) {
	last := len(p.blocks) - 1
	if last < 0 || cap(p.blocks[last])-len(p.blocks[last]) < size {
		p.blocks = append(p.blocks, p.newBlock(size))
		p.lent = append(p.lent, false)
		last++
	}
	before := len(p.blocks[last])
	var lent bool
	p.blocks[last], lent = b.AppendKept(p.blocks[last])
	p.lent[last] = p.lent[last] || lent
	p.n += len(p.blocks[last]) - before
}

func (p *pageBuf) newBlock(size int) []byte {
	if size <= pageBlock && p.grow >= pageBlock && len(p.spare) > 0 {
		blk := p.spare[len(p.spare)-1]
		p.spare = p.spare[:len(p.spare)-1]
		return blk
	}
	p.grow = min(max(2*p.grow, 1<<10), pageBlock)
	return make([]byte, 0, max(p.grow, size))
}

// copyAt copies held bytes from position from (0 is the first held byte) into dst.
func (p *pageBuf) copyAt(dst []byte, from int) {
	skip := from + p.head
	for _, blk := range p.blocks {
		if len(dst) == 0 {
			return
		}
		if skip >= len(blk) {
			skip -= len(blk)
			continue
		}
		n := copy(dst, blk[skip:])
		dst, skip = dst[n:], 0
	}
}

// writeTo writes the first k held bytes to f at off, block by block.
func (p *pageBuf) writeTo(f File, k int, off int64) error {
	skip := p.head
	for _, blk := range p.blocks {
		if k == 0 {
			break
		}
		part := blk[skip:min(len(blk), skip+k)]
		if _, err := f.WriteAt(part, off); err != nil {
			return err
		}
		off += int64(len(part))
		k -= len(part)
		skip = 0
	}
	return nil
}

// consume drops the first k bytes (written back).
func (p *pageBuf) consume(k int) {
	p.n -= k
	k += p.head
	i := 0
	for i < len(p.blocks) && k >= len(p.blocks[i]) && (k > 0 || len(p.blocks[i]) == 0) {
		k -= len(p.blocks[i])
		p.recycle(i)
		i++
	}
	n := copy(p.blocks, p.blocks[i:])
	copy(p.lent, p.lent[i:])
	clear(p.blocks[n:])
	p.blocks, p.lent, p.head = p.blocks[:n], p.lent[:n], k
	if p.n == 0 && n == 1 && len(p.blocks[0]) == p.head && !p.lent[0] {
		p.blocks[0], p.head = p.blocks[0][:0], 0 // reuse the last block from its start
	}
}

// recycle keeps block i, written back or cut, for reuse unless it is lent.
func (p *pageBuf) recycle(i int) {
	if blk := p.blocks[i]; cap(blk) == pageBlock && !p.lent[i] && len(p.spare) < 2 {
		p.spare = append(p.spare, blk[:0])
	}
}

// truncate keeps the first n held bytes.
func (p *pageBuf) truncate(n int) {
	if n >= p.n {
		return
	}
	p.n = n
	keep := n + p.head
	for i, blk := range p.blocks {
		if keep <= len(blk) {
			for j := i + 1; j < len(p.blocks); j++ {
				p.recycle(j)
			}
			if p.lent[i] {
				blk = blk[:keep:keep] // batches may refer to the cut bytes: appends go to a new block
			}
			p.blocks[i] = blk[:keep]
			clear(p.blocks[i+1:])
			p.blocks, p.lent = p.blocks[:i+1], p.lent[:i+1]
			if n == 0 && !p.lent[0] {
				p.blocks[0], p.head = p.blocks[0][:0], 0
			}
			return
		}
		keep -= len(blk)
	}
}
