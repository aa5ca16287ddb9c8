package scenario

import (
	"path"
	"strings"
)

// checkDiskFault checks disk_fault: a broker the cluster has, and the
// fields of its mode ("torn_tail", the default, or "truncate").
func checkDiskFault(s *State, c Command) error {
	if err := checkBroker(s, c); err != nil {
		return err
	}
	switch c.Mode {
	case "", "torn_tail":
		if c.File != "" || c.Size != nil {
			return errorf("mode \"torn_tail\" picks its own files and cut: \"file\" and \"size\" belong to mode \"truncate\"")
		}
	case "truncate":
		return checkTruncate(c)
	default:
		return errorf("mode must be \"torn_tail\" (a write cut short by the power loss) or \"truncate\" (cut one file to a size), got %q", c.Mode)
	}
	return nil
}

// checkTruncate validates disk_fault mode "truncate": a segment file of the
// broker, named relative to its folder ("orders-0/00000000000000000000.log"),
// and a size of zero or more bytes.
func checkTruncate(c Command) error {
	if c.File == "" || c.Size == nil {
		return errorf("mode \"truncate\" needs \"file\" (a segment file such as \"orders-0/00000000000000000000.log\") and \"size\" (bytes to keep)")
	}
	if *c.Size < 0 {
		return errorf("size must be 0 or more bytes, got %d", *c.Size)
	}
	clean := path.Clean(c.File)
	if clean != c.File || strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "..") || strings.Count(clean, "/") != 1 || !strings.HasSuffix(clean, ".log") {
		return errorf("file must name a segment as \"<topic>-<partition>/<base offset>.log\" inside the broker's folder, got %q", c.File)
	}
	return nil
}
