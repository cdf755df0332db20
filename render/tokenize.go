package render

import (
	"fmt"
	"strings"
)

// The Mockoon dialect's rewriter (mockoon.go) reads mustaches with these.

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
				end := stringEnd(s, k)
				if end < 0 {
					return nil, fmt.Errorf("unterminated string in %q", strings.TrimSpace(s))
				}
				k = end + 1
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

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// stringEnd returns the index of the quote closing the string that opens
// at s[start], or -1. As in raymond's lexer, a quote preceded by a
// backslash does not close it.
func stringEnd(s string, start int) int {
	for k := start + 1; k < len(s); k++ {
		if s[k] == s[start] && s[k-1] != '\\' {
			return k
		}
	}
	return -1
}
