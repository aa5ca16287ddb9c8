package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// TestCompressSkipsUnchanged: a second run over the same bytes leaves the
// siblings alone (same mtime), a changed file gets new siblings that decode
// to the new bytes, and a damaged sibling is rewritten.
func TestCompressSkipsUnchanged(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "x.wasm")
	write := func(s string) {
		if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func() string {
		msg, err := compress(name)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	old := time.Now().Add(-time.Hour)
	age := func() {
		for _, ext := range []string{".gz", ".br"} {
			if err := os.Chtimes(name+ext, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	rewritten := func() bool {
		st, err := os.Stat(name + ".br")
		if err != nil {
			t.Fatal(err)
		}
		return !st.ModTime().Equal(old)
	}

	first := strings.Repeat("first version ", 1000)
	write(first)
	if msg := run(); strings.Contains(msg, "up to date") {
		t.Fatalf("first run said %q", msg)
	}
	checkSiblings(t, name, first)

	age()
	write(first) // go build rewrites the file with the same bytes
	if msg := run(); !strings.Contains(msg, "up to date") || rewritten() {
		t.Fatalf("unchanged file recompressed: %q", msg)
	}

	second := first + "and one more line"
	write(second)
	age()
	if msg := run(); strings.Contains(msg, "up to date") || !rewritten() {
		t.Fatalf("changed file not recompressed: %q", msg)
	}
	checkSiblings(t, name, second)

	// A prefix of the file in .gz (say an interrupted write) is not up to date.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(second[:100]))
	zw.Close()
	os.WriteFile(name+".gz", gz.Bytes(), 0o644)
	if msg := run(); strings.Contains(msg, "up to date") {
		t.Fatalf("damaged .gz kept: %q", msg)
	}
	checkSiblings(t, name, second)

	os.Remove(name + ".br")
	if msg := run(); strings.Contains(msg, "up to date") {
		t.Fatalf("missing .br not rewritten: %q", msg)
	}
	checkSiblings(t, name, second)
}

func checkSiblings(t *testing.T, name, want string) {
	t.Helper()
	g, err := os.ReadFile(name + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(g))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); string(got) != want {
		t.Fatalf(".gz decodes to %d bytes, want %d", len(got), len(want))
	}
	b, err := os.ReadFile(name + ".br")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(b))); string(got) != want {
		t.Fatalf(".br decodes to %d bytes, want %d", len(got), len(want))
	}
}
