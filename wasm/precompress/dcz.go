package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/klauspost/compress/zstd"
)

// dczHeader opens every dcz body (RFC 9842 §4.2): the four bytes of a
// zstd skippable frame's magic, its 32-byte length, then the SHA-256 of the
// dictionary, so a decoder holding another dictionary refuses at once.
var dczHeader = []byte{0x5e, 0x2a, 0x4d, 0x18, 0x20, 0x00, 0x00, 0x00}

// compressWithDictionary writes name.dcz: name compressed by zstd (best
// level) with dictName's bytes as a raw prefix dictionary, in the dcz
// content encoding of Compression Dictionary Transport. A browser that got
// dictName with a Use-As-Dictionary header downloads name.dcz instead of
// name.br: engine.wasm against ui.wasm (the same Go runtime, encoding/json,
// reflect, fmt, strconv…) is 1.06 MB instead of 1.46 MB brotli (2026-12-07).
//
// The window is 8 MB, the most RFC 9842 lets a client insist on for a
// dictionary below 6.4 MB (max(8 MB, 1.25 × the dictionary) is the limit): a
// zstd dictionary stays reachable for as long as the output written so far
// fits in the window, so the whole of ui.wasm serves the whole of a file up
// to 8 MB. The result is checked by decoding it, and an existing name.dcz
// that decodes against dictName to name's bytes is left alone.
//
// The encoder is Debian's zstd command (libzstd at --ultra -22, its optimal
// parser, about 7 s) when it is on PATH: engine.wasm's dcz is 1.09 MB with
// it against 1.27 MB with klauspost/compress's best level (measured
// 2026-12-07), since the optimal parser finds far more of engine.wasm's long
// matches into ui.wasm. Without the command, klauspost/compress encodes (the
// same format; `make build` installs zstd, so the served file is libzstd's;
// a .dcz written without it stays until either file changes or it is removed).
func compressWithDictionary(name, dictName string) (string, error) {
	raw, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	dict, err := os.ReadFile(dictName)
	if err != nil {
		return "", err
	}
	window := 8 << 20
	for window*2 <= len(dict)/4*5 {
		window *= 2
	}
	sum := sha256.Sum256(dict)
	out := append(append([]byte(nil), dczHeader...), sum[:]...)
	if old, err := os.ReadFile(name + ".dcz"); err == nil && bytes.HasPrefix(old, out) &&
		decodesTo(bytes.NewReader(old[len(out):]), zstdDecoder(dict, window), raw) {
		return fmt.Sprintf("%s: %d bytes, .dcz up to date", name, len(raw)), nil
	}
	encoder := "klauspost/compress"
	if frame, err := zstdCommand(name, dictName, window); err == nil {
		out, encoder = append(out, frame...), "zstd -22"
	} else {
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression),
			zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(window), zstd.WithEncoderDictRaw(0, dict))
		if err != nil {
			return "", err
		}
		out = enc.EncodeAll(raw, out)
	}

	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderDictRaw(0, dict),
		zstd.WithDecoderMaxWindow(uint64(window)))
	if err != nil {
		return "", err
	}
	defer dec.Close()
	back, err := dec.DecodeAll(out[len(dczHeader)+len(sum):], nil)
	if err != nil || !bytes.Equal(back, raw) {
		return "", fmt.Errorf("%s.dcz does not decode to %s (%v)", name, name, err)
	}
	if err := os.WriteFile(name+".dcz", out, 0o644); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: %d bytes, dcz %d against %s (%s)", name, len(raw), len(out), dictName, encoder), nil
}

// zstdCommand compresses name against dictName with the zstd command, if
// there is one: dictName as a raw prefix (--patch-from, what a dcz decoder
// loads), a window of at most window bytes (wlog), one thread (the same
// bytes on every run).
func zstdCommand(name, dictName string, window int) ([]byte, error) {
	wlog := 10
	for 1<<(wlog+1) <= window {
		wlog++
	}
	cmd := exec.Command("zstd", "-q", "-c", "--single-thread", "--ultra", "-22",
		fmt.Sprintf("--zstd=wlog=%d", wlog), "--patch-from="+dictName, name)
	var stderr bytes.Buffer // its optimal parser's tuning notes, even with -q
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && stderr.Len() > 0 {
		err = fmt.Errorf("%v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, err
}

// zstdDecoder decodes a zstd stream against dict as a raw prefix, refusing
// a window over window bytes: decodesTo's decoder for an existing .dcz
// (one that still decodes to the file with the same dictionary is kept).
func zstdDecoder(dict []byte, window int) func(io.Reader) (io.Reader, error) {
	return func(r io.Reader) (io.Reader, error) {
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderDictRaw(0, dict),
			zstd.WithDecoderMaxWindow(uint64(window)))
		if err != nil {
			return nil, err
		}
		return d.IOReadCloser(), nil
	}
}
