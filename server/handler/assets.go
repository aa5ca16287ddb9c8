package handler

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// zeroTime makes http.ServeContent send no Last-Modified: the ETag decides.
var zeroTime time.Time

// asset is one servable file and its encodings, identity first.
type asset struct {
	contentType string
	variants    []variant
	// dictionaryFor is the URL path of the file whose dcz variant was
	// compressed against this asset's bytes ("" for most assets): the
	// response carries Use-As-Dictionary so the browser keeps it for that.
	dictionaryFor string
}

// variant is one encoding of an asset's bytes ("" is identity).
type variant struct {
	encoding string
	data     []byte
	etag     string
	sum      [sha256.Size]byte
	// dictionary is, for a dcz variant, the Available-Dictionary value
	// (":base64 SHA-256:") a request must carry to get it.
	dictionary string
}

// encodings lists the precompressed siblings we look for, in the order of
// preference when the client accepts several equally. dcz (Compression
// Dictionary Transport, RFC 9842: zstd against a dictionary the browser
// already holds) goes only to a request that names its dictionary, and
// then before anything else.
var encodings = []struct{ suffix, name string }{
	{".br", "br"},
	{".gz", "gzip"},
	{".dcz", "dcz"},
}

// dczHeader opens a dcz body: a zstd skippable frame's magic and length,
// then the 32-byte SHA-256 of the dictionary.
var dczHeader = []byte{0x5e, 0x2a, 0x4d, 0x18, 0x20, 0x00, 0x00, 0x00}

// loadAssets reads every file of the layers (earlier layers win on a name
// clash) and groups precompressed siblings with the file they encode.
func loadAssets(logf func(string, ...any), layers ...fs.FS) map[string]*asset {
	files := map[string][]byte{}
	for _, fsys := range layers {
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				logf("handler: %s: %v", name, err)
				return nil
			}
			if name != "." && hidden(path.Base(name)) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if _, seen := files[name]; seen {
				return nil
			}
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				logf("handler: %s: %v", name, err)
				return nil
			}
			files[name] = data
			return nil
		})
		if err != nil {
			logf("handler: %v", err)
		}
	}

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	assets := map[string]*asset{}
	for _, name := range names {
		if base, _, ok := siblingOf(name); ok {
			if _, has := files[base]; has {
				continue // served as an encoding of base
			}
		}
		a := &asset{contentType: contentType(name)}
		a.variants = append(a.variants, newVariant("", files[name]))
		for _, enc := range encodings {
			if data, ok := files[name+enc.suffix]; ok {
				v := newVariant(enc.name, data)
				if enc.name == "dcz" {
					if len(data) < len(dczHeader)+sha256.Size || !bytes.HasPrefix(data, dczHeader) {
						logf("handler: %s%s: not a dcz body, skipped", name, enc.suffix)
						continue
					}
					v.dictionary = sfBinary(data[len(dczHeader) : len(dczHeader)+sha256.Size])
				}
				a.variants = append(a.variants, v)
			}
		}
		assets[name] = a
	}
	markDictionaries(logf, names, assets)
	return assets
}

// markDictionaries sets dictionaryFor on every asset whose bytes are the
// dictionary of another asset's dcz variant (a dcz whose dictionary is not
// served can never be asked for, and is harmless).
func markDictionaries(logf func(string, ...any), names []string, assets map[string]*asset) {
	bySum := map[string]*asset{}
	for _, name := range names {
		if a := assets[name]; a != nil {
			bySum[sfBinary(a.variants[0].sum[:])] = a
		}
	}
	for _, name := range names {
		a := assets[name]
		if a == nil {
			continue
		}
		for _, v := range a.variants {
			d := bySum[v.dictionary]
			if v.dictionary == "" || d == nil {
				continue
			}
			if !plainPath(name) {
				logf("handler: %s: no Use-As-Dictionary pattern for this name", name)
				continue
			}
			if d.dictionaryFor != "" && d.dictionaryFor != "/"+name {
				logf("handler: the dictionary of /%s already serves %s", name, d.dictionaryFor)
				continue
			}
			d.dictionaryFor = "/" + name
		}
	}
}

// sfBinary is a Structured Field byte sequence (RFC 8941), the form of an
// Available-Dictionary header.
func sfBinary(b []byte) string {
	return ":" + base64.StdEncoding.EncodeToString(b) + ":"
}

// plainPath reports names that are a URL pattern as they stand (letters,
// digits, '.', '-', '_', '/'), so Use-As-Dictionary can match them.
func plainPath(name string) bool {
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("._-/", c)) {
			return false
		}
	}
	return name != ""
}

// hidden reports names never served: dotfiles and the Cloudflare asset
// layer's control files (_headers, _redirects).
func hidden(base string) bool {
	return strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")
}

func siblingOf(name string) (base, encoding string, ok bool) {
	for _, enc := range encodings {
		if b, found := strings.CutSuffix(name, enc.suffix); found {
			return b, enc.name, true
		}
	}
	return "", "", false
}

func newVariant(encoding string, data []byte) variant {
	sum := sha256.Sum256(data)
	return variant{encoding: encoding, data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, sum: sum}
}

// pick chooses the variant to send for the request's Accept-Encoding and
// Available-Dictionary header values: a dcz variant when the client holds
// its dictionary and accepts dcz, else the best of the others.
func (a *asset) pick(acceptEncoding, availableDictionary string) variant {
	best, bestQ := a.variants[0], 0.0
	if len(a.variants) == 1 {
		return best
	}
	accept := parseAcceptEncoding(acceptEncoding)
	for _, v := range a.variants[1:] {
		if v.dictionary != "" {
			if v.dictionary == strings.TrimSpace(availableDictionary) && accept.quality(v.encoding) > 0 {
				return v
			}
			continue
		}
		if q := accept.quality(v.encoding); q > bestQ {
			best, bestQ = v, q
		}
	}
	return best
}

// dictionaryVariant reports whether one of a's variants needs a dictionary
// (its responses then vary on Available-Dictionary too).
func (a *asset) dictionaryVariant() bool {
	for _, v := range a.variants {
		if v.dictionary != "" {
			return true
		}
	}
	return false
}

// contentTypes is explicit so the answer does not depend on the machine's
// mime.types file.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".wasm": "application/wasm",
	".json": "application/json",
	".map":  "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/plain; charset=utf-8",
}

func contentType(name string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}
