package handler

import (
	"strconv"
	"strings"
)

// acceptEncoding is a parsed Accept-Encoding header: coding → q-value.
type acceptEncoding map[string]float64

// parseAcceptEncoding reads a header such as "gzip, br;q=0.9, *;q=0".
// Malformed q-values count as 0 (not acceptable), per RFC 9110 §12.4.2's
// spirit of never sending what the client did not clearly accept.
func parseAcceptEncoding(header string) acceptEncoding {
	acc := acceptEncoding{}
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		coding := strings.ToLower(strings.TrimSpace(fields[0]))
		if coding == "" {
			continue
		}
		q := 1.0
		for _, param := range fields[1:] {
			k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
			if !ok || strings.ToLower(strings.TrimSpace(k)) != "q" {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				f = 0
			}
			q = f
		}
		acc[coding] = q
	}
	return acc
}

// quality is the q-value the client gives coding; 0 means not acceptable.
// "x-gzip" is gzip's old alias.
func (acc acceptEncoding) quality(coding string) float64 {
	if q, ok := acc[coding]; ok {
		return q
	}
	if coding == "gzip" {
		if q, ok := acc["x-gzip"]; ok {
			return q
		}
	}
	if q, ok := acc["*"]; ok {
		return q
	}
	return 0
}
