package handler

import (
	"crypto/sha256"
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
}

// variant is one encoding of an asset's bytes ("" is identity).
type variant struct {
	encoding string
	data     []byte
	etag     string
}

// encodings lists the precompressed siblings we look for, in the order of
// preference when the client accepts several equally.
var encodings = []struct{ suffix, name string }{
	{".br", "br"},
	{".gz", "gzip"},
}

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
				a.variants = append(a.variants, newVariant(enc.name, data))
			}
		}
		assets[name] = a
	}
	return assets
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
	return variant{encoding: encoding, data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// pick chooses the variant to send for an Accept-Encoding header value.
func (a *asset) pick(acceptEncoding string) variant {
	best, bestQ := a.variants[0], 0.0
	if len(a.variants) == 1 {
		return best
	}
	accept := parseAcceptEncoding(acceptEncoding)
	for _, v := range a.variants[1:] {
		if q := accept.quality(v.encoding); q > bestQ {
			best, bestQ = v, q
		}
	}
	return best
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
