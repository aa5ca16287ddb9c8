package log

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// segmentSuffix ends every segment file name (Kafka's LogFileUtils.LOG_FILE_SUFFIX).
const segmentSuffix = ".log"

// SegmentName is the Store name of the segment with the given base offset
// under dir: the offset zero-padded to 20 digits, as Kafka names it.
func SegmentName(dir string, base int64) string {
	return path.Join(dir, fmt.Sprintf("%020d%s", base, segmentSuffix))
}

// parseSegmentName returns the base offset of a segment file directly under
// dir, or false for any other file (Kafka's .index, .deleted, checkpoints…).
func parseSegmentName(dir, name string) (int64, bool) {
	rest := name
	if dir != "" {
		var ok bool
		if rest, ok = strings.CutPrefix(name, dir+"/"); !ok {
			return 0, false
		}
	}
	digits, ok := strings.CutSuffix(rest, segmentSuffix)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	base, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return base, true
}
