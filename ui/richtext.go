package ui

import (
	"strings"

	"github.com/brokerlab/brokerlab/internal/pattern"
	"github.com/brokerlab/brokerlab/lessons"
)

// Span is a piece of lesson text: plain words, a glossary term whose
// definition shows on hover and focus, or a command to type (`…` in the
// text: shown as code, never translated).
type Span struct {
	Text  string
	Term  bool
	Code  bool
	Title string
}

var termLink = pattern.MustCompile(`\[([^\]]+)\]\(glossary:([^)]*)\)`)

// Rich splits a lesson text into spans, resolving [words](glossary:term)
// links against the lesson's glossary.
func Rich(l *lessons.Lesson, key string) []Span {
	text := l.Text(Locale, key)
	var out []Span
	last := 0
	for _, m := range termLink.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > last {
			out = codeSpans(out, text[last:m[0]])
		}
		term := text[m[4]:m[5]]
		out = append(out, Span{Text: text[m[2]:m[3]], Term: true, Title: l.Text(Locale, "glossary."+term)})
		last = m[1]
	}
	if last < len(text) {
		out = codeSpans(out, text[last:])
	}
	return out
}

// codeSpans adds plain text to out, `quoted` parts as code spans.
func codeSpans(out []Span, text string) []Span {
	for i, part := range strings.Split(text, "`") {
		if part != "" {
			out = append(out, Span{Text: part, Code: i%2 == 1})
		}
	}
	return out
}

// plainText is rich text as plain words (an announcement).
func plainText(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}
