package jsonwire

import "strconv"

// SyntaxError is malformed JSON, with encoding/json's message.
type SyntaxError struct {
	msg    string
	Offset int64 // the error occurred after reading Offset bytes
	eof    bool  // the input ended inside a value
}

func (e *SyntaxError) Error() string { return e.msg }

const maxDepth = 10000

var errEnd = "unexpected end of JSON input"

// syntaxError is encoding/json's "invalid character" error for c at i.
func syntaxError(c byte, context string, i int) *SyntaxError {
	return &SyntaxError{msg: "invalid character " + quoteChar(c) + " " + context, Offset: int64(i) + 1}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

func isSpace(c byte) bool { return c <= ' ' && (c == ' ' || c == '\t' || c == '\r' || c == '\n') }

func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

// checkValid reports whether data is one JSON value with nothing but space
// around it, with encoding/json's errors.
func checkValid(data []byte) error {
	end, err := scanValue(data, 0, 0)
	if err != nil {
		return err
	}
	if i := skipSpace(data, end); i < len(data) {
		return syntaxError(data[i], "after top-level value", i)
	}
	return nil
}

// scanValue checks the JSON value starting at or after space from i and
// returns where it ends.
func scanValue(data []byte, i, depth int) (int, *SyntaxError) {
	i = skipSpace(data, i)
	if i >= len(data) {
		return i, &SyntaxError{msg: errEnd, Offset: int64(i), eof: true}
	}
	switch c := data[i]; {
	case c == '{':
		if depth+1 > maxDepth {
			return i, &SyntaxError{msg: "invalid character '{' exceeded max depth", Offset: int64(i) + 1}
		}
		i = skipSpace(data, i+1)
		if i < len(data) && data[i] == '}' {
			return i + 1, nil
		}
		for {
			if i >= len(data) {
				return i, &SyntaxError{msg: errEnd, Offset: int64(i), eof: true}
			}
			if data[i] != '"' {
				return i, syntaxError(data[i], "looking for beginning of object key string", i)
			}
			var err *SyntaxError
			if i, err = scanString(data, i); err != nil {
				return i, err
			}
			i = skipSpace(data, i)
			if i >= len(data) {
				return i, &SyntaxError{msg: errEnd, Offset: int64(i), eof: true}
			}
			if data[i] != ':' {
				return i, syntaxError(data[i], "after object key", i)
			}
			if i, err = scanValue(data, i+1, depth+1); err != nil {
				return i, err
			}
			i = skipSpace(data, i)
			if i >= len(data) {
				return i, &SyntaxError{msg: errEnd, Offset: int64(i), eof: true}
			}
			switch data[i] {
			case ',':
				i = skipSpace(data, i+1)
				continue
			case '}':
				return i + 1, nil
			}
			return i, syntaxError(data[i], "after object key:value pair", i)
		}
	case c == '[':
		if depth+1 > maxDepth {
			return i, &SyntaxError{msg: "invalid character '[' exceeded max depth", Offset: int64(i) + 1}
		}
		i = skipSpace(data, i+1)
		if i < len(data) && data[i] == ']' {
			return i + 1, nil
		}
		for {
			var err *SyntaxError
			if i, err = scanValue(data, i, depth+1); err != nil {
				return i, err
			}
			i = skipSpace(data, i)
			if i >= len(data) {
				return i, &SyntaxError{msg: errEnd, Offset: int64(i), eof: true}
			}
			switch data[i] {
			case ',':
				i++
				continue
			case ']':
				return i + 1, nil
			}
			return i, syntaxError(data[i], "after array element", i)
		}
	case c == '"':
		return scanString(data, i)
	case c == '-' || '0' <= c && c <= '9':
		return scanNumber(data, i)
	case c == 't':
		return scanLiteral(data, i, "true")
	case c == 'f':
		return scanLiteral(data, i, "false")
	case c == 'n':
		return scanLiteral(data, i, "null")
	default:
		return i, syntaxError(c, "looking for beginning of value", i)
	}
}

// at returns data[i], or the space the scanner imagines at the end.
func at(data []byte, i int) byte {
	if i < len(data) {
		return data[i]
	}
	return ' '
}

// eofError is a syntax error at i, marked as the input ending early if i
// is past the end.
func eofError(data []byte, i int, context string) *SyntaxError {
	err := syntaxError(at(data, i), context, i)
	err.eof = i >= len(data)
	return err
}

func scanLiteral(data []byte, i int, lit string) (int, *SyntaxError) {
	for k := 1; k < len(lit); k++ {
		if c := at(data, i+k); c != lit[k] {
			return i + k, eofError(data, i+k, "in literal "+lit+" (expecting "+quoteChar(lit[k])+")")
		}
	}
	return i + len(lit), nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func scanNumber(data []byte, i int) (int, *SyntaxError) {
	if data[i] == '-' {
		i++
		if !isDigit(at(data, i)) {
			return i, eofError(data, i, "in numeric literal")
		}
	}
	if data[i] == '0' {
		i++
	} else {
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		if !isDigit(at(data, i)) {
			return i, eofError(data, i, "after decimal point in numeric literal")
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if c := at(data, i); c == '+' || c == '-' {
			i++
		}
		if !isDigit(at(data, i)) {
			return i, eofError(data, i, "in exponent of numeric literal")
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	return i, nil
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// scanString checks the string starting at data[i] == '"'.
func scanString(data []byte, i int) (int, *SyntaxError) {
	for i++; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i + 1, nil
		case c == '\\':
			i++
			if i >= len(data) {
				return i, eofError(data, i, "in string escape code")
			}
			switch data[i] {
			case 'b', 'f', 'n', 'r', 't', '\\', '/', '"':
			case 'u':
				for k := 0; k < 4; k++ {
					i++
					if i >= len(data) {
						return i, eofError(data, i, "in \\u hexadecimal character escape")
					}
					if !isHex(data[i]) {
						return i, syntaxError(data[i], "in \\u hexadecimal character escape", i)
					}
				}
			default:
				return i, syntaxError(data[i], "in string escape code", i)
			}
		case c < 0x20:
			return i, syntaxError(c, "in string literal", i)
		}
	}
	return i, &SyntaxError{msg: errEnd, Offset: int64(i), eof: true}
}
