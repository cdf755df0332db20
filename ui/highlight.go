package ui

import (
	"fmt"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
)

// The JSON lexer and the two styles are built here rather than taken from
// chroma's lexers and styles packages: those register every lexer and
// style at init, which costs about 10 ms and 5 MB at every start, even for
// `routedeck serve`.

// jsonLexer is built on first use and never changed.
var jsonLexer = sync.OnceValue(func() chroma.Lexer {
	return chroma.Coalesce(chroma.MustNewLexer(
		&chroma.Config{Name: "JSON", Aliases: []string{"json"}, MimeTypes: []string{"application/json"}},
		func() chroma.Rules {
			return chroma.Rules{
				"root": {
					{Pattern: `\s+`, Type: chroma.Whitespace},
					{Pattern: `"(\\.|[^"\\])*"(?=\s*:)`, Type: chroma.NameTag},
					{Pattern: `"(\\.|[^"\\])*"`, Type: chroma.LiteralStringDouble},
					{Pattern: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, Type: chroma.LiteralNumber},
					{Pattern: `(true|false|null)\b`, Type: chroma.KeywordConstant},
					{Pattern: `[{}\[\],:]`, Type: chroma.Punctuation},
					{Pattern: `.`, Type: chroma.Text},
				},
			}
		},
	))
})

var (
	darkBodyStyle = sync.OnceValue(func() *chroma.Style {
		return chroma.MustNewStyle("routedeck-dark", chroma.StyleEntries{
			chroma.Background:          "#d0d0d0",
			chroma.NameTag:             "#7dcfff",
			chroma.LiteralStringDouble: "#9ece6a",
			chroma.LiteralNumber:       "#ff9e64",
			chroma.KeywordConstant:     "#bb9af7",
			chroma.Punctuation:         "#a9b1d6",
		})
	})
	lightBodyStyle = sync.OnceValue(func() *chroma.Style {
		return chroma.MustNewStyle("routedeck-light", chroma.StyleEntries{
			chroma.Background:          "#303030",
			chroma.NameTag:             "#0550ae",
			chroma.LiteralStringDouble: "#0a3069",
			chroma.LiteralNumber:       "#953800",
			chroma.KeywordConstant:     "#8250df",
			chroma.Punctuation:         "#57606a",
		})
	})
)

func highlightJSON(src string, dark bool) (string, error) {
	style := lightBodyStyle()
	if dark {
		style = darkBodyStyle()
	}
	it, err := jsonLexer().Tokenise(nil, src)
	if err != nil {
		return "", fmt.Errorf("highlight: %w", err)
	}
	var b strings.Builder
	if err := formatters.TTY256.Format(&b, style, it); err != nil {
		return "", fmt.Errorf("highlight: %w", err)
	}
	return b.String(), nil
}
