package render

import (
	"fmt"
	"strings"
)

// MaxTemplateBytes is the largest template Compile accepts (1 MiB).
const MaxTemplateBytes = 1 << 20

// MaxDepth is how deeply blocks ({{#if}}, {{#each}}, {{else if}} chains)
// and sub expressions may nest. raymond parses and executes templates
// recursively, so unbounded nesting would exhaust the stack.
const MaxDepth = 64

// blockOpen is a block the scan has seen open and not yet closed.
type blockOpen struct {
	name   string
	line   int
	chains int // {{else if}} links, each one more level in raymond's tree
}

// scanResult is what scanBlocks learns without parsing.
type scanResult struct {
	// complete is true when the scan read the whole template (it stops
	// early where raymond's lexer fails too).
	complete bool
	// maxDepth is the deepest nesting seen, blocks and sub expressions.
	maxDepth int
	// unclosed is the innermost block left open at the end, if any.
	unclosed *blockOpen
	// mismatch describes a close that names another block, with its line.
	mismatch     string
	mismatchLine int
}

// scanBlocks follows the template's block structure the way raymond's lexer
// reads it (comments, escaped mustaches, raw blocks, quoted strings with
// escaped quotes) and fails as soon as nesting passes MaxDepth, so a
// pathological template is rejected before the recursive parser sees it.
// It also remembers where an unclosed block opened, for parse errors.
func scanBlocks(src string) (scanResult, error) {
	var res scanResult
	var stack []blockOpen
	depth := 0 // sum over stack of 1 + chains
	line := 1
	i := 0
	advance := func(to int) {
		line += strings.Count(src[i:to], "\n")
		i = to
	}
	for {
		j := strings.Index(src[i:], "{{")
		if j < 0 {
			break
		}
		j += i
		// Escapes: "\\{{" is a backslash then a real mustache; "\{{" is text.
		if j >= 1 && src[j-1] == '\\' && (j < 2 || src[j-2] != '\\') {
			k := j + 2
			for k < len(src) && src[k] == '{' {
				k++
			}
			advance(k)
			continue
		}
		advance(j)
		rest := src[j:]
		switch {
		case strings.HasPrefix(rest, "{{{{/"):
			// The end of a raw block: an ordinary close.
		case strings.HasPrefix(rest, "{{{{"):
			// A raw block: its text is not read, and its close pops it.
			stack = append(stack, blockOpen{name: blockName(rest[4:]), line: line})
			if depth++; depth > MaxDepth {
				return res, errorAt(line, "blocks nested more than %d deep", MaxDepth)
			}
			res.maxDepth = max(res.maxDepth, depth)
			end := strings.Index(rest, "{{{{/")
			if end < 0 {
				return res, nil // raymond reports the unclosed raw block
			}
			advance(j + end)
			continue
		case strings.HasPrefix(rest, "{{!--") || strings.HasPrefix(rest, "{{~!--"):
			end := commentDashEnd(rest)
			if end < 0 {
				return res, nil
			}
			advance(j + end)
			continue
		case strings.HasPrefix(rest, "{{!") || strings.HasPrefix(rest, "{{~!"):
			end := strings.Index(rest, "}}")
			if end < 0 {
				return res, nil
			}
			advance(j + end + 2)
			continue
		}
		// A mustache: find its kind, then its end.
		k := 2
		for k < len(rest) && rest[k] == '{' {
			k++
		}
		if k < len(rest) && rest[k] == '~' {
			k++
		}
		body := rest[k:]
		switch {
		case strings.HasPrefix(body, "#"):
			stack = append(stack, blockOpen{name: blockName(body[1:]), line: line})
			depth++
		case strings.HasPrefix(body, "/"):
			name := blockName(body[1:])
			if len(stack) == 0 {
				res.mismatch, res.mismatchLine = fmt.Sprintf("{{/%s}} closes no open block", name), line
			} else {
				top := stack[len(stack)-1]
				if top.name != name && res.mismatch == "" {
					res.mismatch = fmt.Sprintf("{{/%s}} closes {{#%s}} opened on line %d", name, top.name, top.line)
					res.mismatchLine = line
				}
				stack = stack[:len(stack)-1]
				depth -= 1 + top.chains
			}
		case strings.HasPrefix(body, "^"):
			if !isBareInverse(body[1:]) {
				stack = append(stack, blockOpen{name: blockName(body[1:]), line: line})
				depth++
			}
		case strings.HasPrefix(strings.TrimLeft(body, " \t\n"), "else"):
			after := strings.TrimLeft(body, " \t\n")[len("else"):]
			if !isBareInverse(after) && len(stack) > 0 {
				stack[len(stack)-1].chains++
				depth++
			}
		}
		if depth > MaxDepth {
			return res, errorAt(line, "blocks nested more than %d deep", MaxDepth)
		}
		end, parens, err := expressionEnd(rest, k)
		if err != nil {
			return res, nil // raymond reports it
		}
		if depth+parens > MaxDepth {
			return res, errorAt(line, "blocks and sub expressions nested more than %d deep", MaxDepth)
		}
		res.maxDepth = max(res.maxDepth, depth+parens)
		advance(j + end)
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		res.unclosed = &top
	}
	res.complete = true
	return res, nil
}

// commentDashEnd returns the end of a "{{!-- ... --}}" comment, or -1.
func commentDashEnd(s string) int {
	for off := 0; ; {
		k := strings.Index(s[off:], "--")
		if k < 0 {
			return -1
		}
		k += off + 2
		if strings.HasPrefix(s[k:], "}}") {
			return k + 2
		}
		if strings.HasPrefix(s[k:], "~}}") {
			return k + 3
		}
		off = k - 1
	}
}

// blockName reads the helper name after "{{#" (or "{{/", "{{^").
func blockName(s string) string {
	s = strings.TrimLeft(s, " \t\n*>")
	end := strings.IndexAny(s, " \t\n}~()'\"")
	if end < 0 {
		end = len(s)
	}
	return s[:end]
}

// isBareInverse reports whether s (after "^" or "else") is only the close.
func isBareInverse(s string) bool {
	s = strings.TrimLeft(s, " \t\n")
	return strings.HasPrefix(s, "}}") || strings.HasPrefix(s, "~}}")
}

// expressionEnd returns the offset just past the "}}" that closes the
// mustache starting at s (its body starting at k), skipping quoted strings
// as raymond's lexer does, and the deepest parenthesis nesting inside.
func expressionEnd(s string, k int) (end, maxParens int, err error) {
	parens := 0
	for k < len(s) {
		switch c := s[k]; c {
		case '"', '\'':
			// raymond: a string ends at the same quote not preceded by a
			// backslash, and may not span lines.
			k++
			var prev byte
			for ; k < len(s); k++ {
				if s[k] == '\n' {
					return 0, 0, fmt.Errorf("unterminated string")
				}
				if s[k] == c && prev != '\\' {
					break
				}
				prev = s[k]
			}
			if k >= len(s) {
				return 0, 0, fmt.Errorf("unterminated string")
			}
		case '[':
			// A path literal ("[it's]") runs to "]" whatever it holds.
			e := strings.IndexAny(s[k:], "]\n")
			if e < 0 || s[k+e] == '\n' {
				return 0, 0, fmt.Errorf("unterminated path literal")
			}
			k += e
		case '(':
			parens++
			maxParens = max(maxParens, parens)
		case ')':
			parens--
		case '}':
			if strings.HasPrefix(s[k:], "}}") {
				end := k + 2
				for end < len(s) && s[end] == '}' && end-k < 4 {
					end++
				}
				return end, maxParens, nil
			}
		}
		k++
	}
	return 0, 0, fmt.Errorf("unclosed mustache")
}
