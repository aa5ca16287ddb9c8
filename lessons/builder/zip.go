package builder

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Zip writes files as one zip archive, stored (no compression): a lesson
// folder is a few kilobytes, and archive/zip would bring DEFLATE and its
// time handling along. Every entry is dated 1980-01-01 00:00 (zip's
// earliest), so the same draft gives the same bytes.
func Zip(files []File) ([]byte, error) {
	var out, dir []byte
	le16 := binary.LittleEndian.AppendUint16
	le32 := binary.LittleEndian.AppendUint32
	const (
		version = 20     // 2.0: what a stored entry needs
		utf8    = 0x0800 // names are UTF-8
		date    = 1<<5 | 1
	)
	if len(files) > 0xffff {
		return nil, fmt.Errorf("builder: too many files for a zip")
	}
	for _, f := range files {
		if len(f.Data) > 0x7fffffff || len(out) > 0x7fffffff || len(f.Name) > 0xffff {
			return nil, fmt.Errorf("builder: %s is too large for a zip", f.Name)
		}
		crc, n, off := crc32.ChecksumIEEE(f.Data), uint32(len(f.Data)), uint32(len(out))
		out = le32(out, 0x04034b50)
		out = le16(out, version)
		out = le16(out, utf8)
		out = le16(out, 0) // stored
		out = le16(out, 0) // time
		out = le16(out, date)
		out = le32(out, crc)
		out = le32(out, n)
		out = le32(out, n)
		out = le16(out, uint16(len(f.Name)))
		out = le16(out, 0)
		out = append(out, f.Name...)
		out = append(out, f.Data...)

		dir = le32(dir, 0x02014b50)
		dir = le16(dir, version)
		dir = le16(dir, version)
		dir = le16(dir, utf8)
		dir = le16(dir, 0)
		dir = le16(dir, 0)
		dir = le16(dir, date)
		dir = le32(dir, crc)
		dir = le32(dir, n)
		dir = le32(dir, n)
		dir = le16(dir, uint16(len(f.Name)))
		dir = le16(dir, 0) // extra
		dir = le16(dir, 0) // comment
		dir = le16(dir, 0) // disk
		dir = le16(dir, 0) // internal attributes
		dir = le32(dir, 0) // external attributes
		dir = le32(dir, off)
		dir = append(dir, f.Name...)
	}
	at := uint32(len(out))
	out = append(out, dir...)
	out = le32(out, 0x06054b50)
	out = le16(out, 0)
	out = le16(out, 0)
	out = le16(out, uint16(len(files)))
	out = le16(out, uint16(len(files)))
	out = le32(out, uint32(len(dir)))
	out = le32(out, at)
	out = le16(out, 0)
	return out, nil
}
