// Package termsafe makes text that came from a request harmless to show in a
// terminal, and hides the secrets in it.
//
// Anything a client sends (a path, a query, a header, a body) may hold
// control characters: ESC starts sequences that retitle the terminal or
// write the clipboard (OSC 52), a newline forges a log line, and bidi
// controls reorder what the reader sees. Line and Text show each such
// character escaped, Go style (\x1b, \n, \u202e), so what reaches the
// terminal is printable text only, and one request stays one line.
package termsafe

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Line returns s with every control character (C0, DEL, C1), bidi control
// and invalid UTF-8 byte escaped, newlines and tabs included. It returns s
// itself, without allocating, when nothing needs escaping.
func Line(s string) string { return escape(s, false) }

// Text is Line for multi-line text such as a body: newlines and tabs are
// kept as they are, everything else Line escapes is escaped.
func Text(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	i := firstUnsafe(s, keepLines)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case unsafeRune(r, keepLines):
			b.WriteString(quoteRune(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// firstUnsafe is the index of the first byte to escape, or -1.
func firstUnsafe(s string, keepLines bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				if !keepLines || (c != '\n' && c != '\t') {
					return i
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafeRune(r, keepLines) {
			return i
		}
		i += size
	}
	return -1
}

func unsafeRune(r rune, keepLines bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !keepLines
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		// Bidi controls reorder the text around them on screen.
		return true
	}
	return false
}

func quoteRune(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\t':
		return `\t`
	case '\r':
		return `\r`
	}
	if r < 0x100 {
		return `\x` + hex2(byte(r))
	}
	q := strconv.QuoteRuneToASCII(r) // '\u202e'
	return q[1 : len(q)-1]
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// secretPrefixes start the Stripe secrets that must never be shown whole:
// secret and restricted API keys and webhook signing secrets. Publishable
// keys (pk_) are public by design.
var secretPrefixes = []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_", "whsec_"}

// MaskSecrets returns s with every Stripe secret in it cut to its prefix and
// last four characters (sk_test_…4242). It returns s itself when it holds
// none.
func MaskSecrets(s string) string {
	var b *strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != 's' && s[i] != 'r' && s[i] != 'w' {
			continue
		}
		if i > 0 && isKeyChar(s[i-1]) {
			continue
		}
		p := prefixAt(s, i)
		if p == "" {
			continue
		}
		end := i + len(p)
		for end < len(s) && isKeyChar(s[end]) {
			end++
		}
		if end == i+len(p) {
			continue
		}
		if b == nil {
			b = &strings.Builder{}
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString(maskKey(p, s[i+len(p):end]))
		last, i = end, end-1
	}
	if b == nil {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func prefixAt(s string, i int) string {
	for _, p := range secretPrefixes {
		if strings.HasPrefix(s[i:], p) {
			return p
		}
	}
	return ""
}

func isKeyChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func maskKey(prefix, rest string) string {
	if len(rest) <= 4 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}

// Header returns a header value fit to show: secrets masked, and for
// Authorization the credential masked whatever its form (a Basic
// credential is decoded so the key inside can be named by its last four).
// The result is escaped as Line does.
func Header(name, value string) string {
	if strings.EqualFold(name, "Authorization") {
		value = maskAuthorization(value)
	}
	return Line(MaskSecrets(value))
}

func maskAuthorization(v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return maskOpaque(v)
	}
	cred = strings.TrimSpace(cred)
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			user, _, _ := strings.Cut(string(raw), ":")
			if m := MaskSecrets(user); m != user {
				return scheme + " " + m
			}
		}
		return scheme + " " + maskOpaque(cred)
	}
	if m := MaskSecrets(cred); m != cred {
		return scheme + " " + m
	}
	return scheme + " " + maskOpaque(cred)
}

// maskOpaque hides a credential of unknown form but its last four.
func maskOpaque(s string) string {
	if len(s) <= 8 {
		return "…"
	}
	return "…" + s[len(s)-4:]
}
