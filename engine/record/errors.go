package record

import (
	"errors"
	"fmt"
)

// Sentinels for errors.Is on a *DecodeError.
var (
	// ErrTruncated: the input ends before the batch does (a torn write).
	ErrTruncated = errors.New("record: truncated batch")
	// ErrCorrupt: the bytes are not a valid v2 batch (bad magic, length,
	// CRC, varint or record layout).
	ErrCorrupt = errors.New("record: corrupt batch")
	// ErrUnsupported: a valid batch uses a compression codec this build
	// cannot decode.
	ErrUnsupported = errors.New("record: unsupported batch")
)

// DecodeError says what is wrong with a batch and where.
type DecodeError struct {
	// Kind is ErrTruncated, ErrCorrupt or ErrUnsupported.
	Kind error
	// BaseOffset is the batch's base offset, or -1 if too few bytes to read it.
	BaseOffset int64
	// Pos is the byte position of the problem, counted from the batch start.
	Pos int
	// Reason says in plain words what is wrong.
	Reason string
}

// Error says "record: batch at offset N: <reason> (at byte P)".
func (e *DecodeError) Error() string {
	if e.BaseOffset < 0 {
		return fmt.Sprintf("record: batch: %s (at byte %d)", e.Reason, e.Pos)
	}
	return fmt.Sprintf("record: batch at offset %d: %s (at byte %d)", e.BaseOffset, e.Reason, e.Pos)
}

// Is matches the sentinel Kind.
func (e *DecodeError) Is(target error) bool { return target == e.Kind }

func decodeErr(kind error, base int64, pos int, format string, args ...any) error {
	return &DecodeError{Kind: kind, BaseOffset: base, Pos: pos, Reason: fmt.Sprintf(format, args...)}
}
