package render

import (
	"fmt"
	"strings"
)

// rewriteArity renames every call of a helper that has several arities to
// the name registered for its argument count ("queryParam 'a' 'b'" becomes
// "queryParam__2 'a' 'b'"), in mustaches and in (sub expressions). A call
// with an argument count the helper does not take is an error naming the
// line, so a template fails at load rather than at request time.
func rewriteArity(src string, hs helperSet) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	var out strings.Builder
	out.Grow(len(src) + 64)
	i := 0
	for {
		start := strings.Index(src[i:], "{{")
		if start < 0 {
			out.WriteString(src[i:])
			return out.String(), nil
		}
		start += i
		out.WriteString(src[i:start])
		// Comments and raw blocks pass through untouched.
		if strings.HasPrefix(src[start:], "{{!") {
			end := commentEnd(src, start)
			if end < 0 {
				out.WriteString(src[start:])
				return out.String(), nil
			}
			out.WriteString(src[start:end])
			i = end
			continue
		}
		end := strings.Index(src[start:], "}}")
		if end < 0 {
			// Let the parser report the unclosed mustache.
			out.WriteString(src[start:])
			return out.String(), nil
		}
		end += start + 2
		// Triple-stash: include the third brace.
		if strings.HasPrefix(src[start:], "{{{") && end < len(src) && src[end] == '}' {
			end++
		}
		expr, err := rewriteMustache(src[start:end], hs)
		if err != nil {
			line := strings.Count(src[:start], "\n") + 1
			return "", fmt.Errorf("line %d: %w", line, err)
		}
		out.WriteString(expr)
		i = end
	}
}

func commentEnd(src string, start int) int {
	if strings.HasPrefix(src[start:], "{{!--") {
		if e := strings.Index(src[start:], "--}}"); e >= 0 {
			return start + e + 4
		}
		return -1
	}
	if e := strings.Index(src[start:], "}}"); e >= 0 {
		return start + e + 2
	}
	return -1
}

// rewriteMustache rewrites one "{{...}}" (with its braces).
func rewriteMustache(m string, hs helperSet) (string, error) {
	// Find the body between the opening braces (plus an optional sigil) and the closing ones.
	open := 2
	for open < len(m) && (m[open] == '{' || m[open] == '~') {
		open++
	}
	if open < len(m) && (m[open] == '#' || m[open] == '/' || m[open] == '^' || m[open] == '>' || m[open] == '&') {
		// Block opens are rewritten like calls; closes and partials are left alone.
		if m[open] != '#' {
			return m, nil
		}
		open++
	}
	closeAt := len(m) - 2
	for closeAt > open && (m[closeAt-1] == '}' || m[closeAt-1] == '~') {
		closeAt--
	}
	if closeAt < open {
		return m, nil
	}
	body, err := rewriteCall(m[open:closeAt], hs)
	if err != nil {
		return "", err
	}
	return m[:open] + body + m[closeAt:], nil
}

// rewriteCall rewrites "name arg arg (sub ...) key=val": the callee is
// renamed by its positional argument count, and every sub expression is
// rewritten in turn. A lone identifier in a mustache is a value lookup
// unless it names a helper.
func rewriteCall(s string, hs helperSet) (string, error) {
	toks, err := tokenize(s)
	if err != nil {
		return "", err
	}
	if len(toks) == 0 {
		return s, nil
	}
	var b strings.Builder
	// Positional arguments: every token after the callee but hash pairs (k=v).
	args := 0
	for _, t := range toks[1:] {
		if !strings.Contains(t.text, "=") || strings.HasPrefix(t.text, "(") || t.text[0] == '\'' || t.text[0] == '"' {
			args++
		}
	}
	for i, t := range toks {
		b.WriteString(t.pre)
		text := t.text
		switch {
		case i == 0:
			if arities, ok := hs[text]; ok {
				if _, ok := arities[args]; !ok {
					return "", fmt.Errorf("helper %q takes %s argument(s), not %d", text, arityList(arities), args)
				}
				text = hs.callName(text, args)
			}
		case strings.HasPrefix(text, "("):
			inner, err := rewriteCall(text[1:len(text)-1], hs)
			if err != nil {
				return "", err
			}
			text = "(" + inner + ")"
		case strings.Contains(text, "=("):
			eq := strings.Index(text, "=(")
			inner, err := rewriteCall(text[eq+2:len(text)-1], hs)
			if err != nil {
				return "", err
			}
			text = text[:eq+2] + inner + ")"
		}
		b.WriteString(text)
	}
	b.WriteString(trailing(s))
	return b.String(), nil
}

type token struct {
	pre  string // whitespace before the token
	text string
}

// tokenize splits an expression on white space, keeping quoted strings and
// balanced parentheses whole.
func tokenize(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			break
		}
		pre := s[i:j]
		k := j
		depth := 0
		for k < len(s) {
			c := s[k]
			if c == '"' || c == '\'' {
				end := strings.IndexByte(s[k+1:], c)
				if end < 0 {
					return nil, fmt.Errorf("unterminated string in %q", strings.TrimSpace(s))
				}
				k += end + 2
				continue
			}
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
				if depth < 0 {
					return nil, fmt.Errorf("unbalanced ')' in %q", strings.TrimSpace(s))
				}
			} else if isSpace(c) && depth == 0 {
				break
			}
			k++
		}
		if depth != 0 {
			return nil, fmt.Errorf("unbalanced '(' in %q", strings.TrimSpace(s))
		}
		toks = append(toks, token{pre: pre, text: s[j:k]})
		i = k
	}
	return toks, nil
}

func trailing(s string) string {
	end := len(s)
	for end > 0 && isSpace(s[end-1]) {
		end--
	}
	return s[end:]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func arityList(arities map[int]any) string {
	lo, hi := -1, -1
	for n := range arities {
		if lo < 0 || n < lo {
			lo = n
		}
		if n > hi {
			hi = n
		}
	}
	if lo == hi {
		return fmt.Sprint(lo)
	}
	if hi-lo+1 == len(arities) {
		return fmt.Sprintf("%d to %d", lo, hi)
	}
	var ns []string
	for n := lo; n <= hi; n++ {
		if _, ok := arities[n]; ok {
			ns = append(ns, fmt.Sprint(n))
		}
	}
	return strings.Join(ns, " or ")
}
