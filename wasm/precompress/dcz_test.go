package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestDictionaryCompress: name.dcz opens with the dcz header and the
// dictionary's SHA-256, decodes with the dictionary to name's bytes, and is
// far smaller than without it when name repeats the dictionary.
func TestDictionaryCompress(t *testing.T) { checkDictionaryCompress(t) }

// TestDictionaryCompressWithoutZstd is the same with no zstd command on
// PATH: klauspost/compress encodes, in the same format.
func TestDictionaryCompressWithoutZstd(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	checkDictionaryCompress(t)
}

func checkDictionaryCompress(t *testing.T) {
	dir := t.TempDir()
	var shared strings.Builder
	for i := 0; shared.Len() < 200_000; i++ {
		shared.WriteString(strings.Repeat("x", i%97) + "runtime.gcStart " + string(rune('a'+i%26)))
	}
	dict := []byte(shared.String())
	raw := append(append([]byte("engine part "), dict[50_000:150_000]...), " more engine"...)
	dictName, name := filepath.Join(dir, "ui.wasm"), filepath.Join(dir, "engine.wasm")
	for f, b := range map[string][]byte{dictName: dict, name: raw} {
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	msg, err := compressWithDictionary(name, dictName)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(msg)
	out, err := os.ReadFile(name + ".dcz")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(dict)
	if !bytes.HasPrefix(out, append(append([]byte(nil), dczHeader...), sum[:]...)) {
		t.Fatalf("%x…: no dcz header with the dictionary's hash", out[:min(len(out), 40)])
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderDictRaw(0, dict))
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	back, err := dec.DecodeAll(out[len(dczHeader)+sha256.Size:], nil)
	if err != nil || !bytes.Equal(back, raw) {
		t.Fatalf("decoded %d bytes (%v), want the %d of the file", len(back), err, len(raw))
	}
	if msg, err := compressWithDictionary(name, dictName); err != nil || !strings.Contains(msg, "up to date") {
		t.Errorf("again with nothing changed: %q, %v; want the .dcz left alone", msg, err)
	}
	if err := os.WriteFile(dictName, append(dict, '!'), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := compressWithDictionary(name, dictName); err != nil || strings.Contains(msg, "up to date") {
		t.Errorf("again with another dictionary: %q, %v; want a new .dcz", msg, err)
	}
	if len(out) > len(raw)/20 {
		t.Errorf("dcz is %d bytes for %d bytes copied from the dictionary: the dictionary was not used", len(out), len(raw))
	}
}
