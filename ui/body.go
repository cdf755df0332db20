package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/render"
)

// bodyTarget says which view asked for a body, so a late render for one
// never lands in the other.
type bodyTarget int

const (
	targetDetail bodyTarget = iota
	targetLog
)

// bodyRenderedMsg carries a pretty-printed, highlighted body.
type bodyRenderedMsg struct {
	target bodyTarget
	seq    int
	plain  string // pretty-printed, no colour: what "copy" copies
	styled string // highlighted and wrapped to the width asked for
	err    error
}

// bodyJob is everything a body render needs, copied out of the model so
// the command shares nothing with Update.
type bodyJob struct {
	target      bodyTarget
	seq         int
	width       int
	color, dark bool

	// Either a variant to render for req (a preview), reading a snapshot
	// of env (nil for none)...
	variant *catalog.Variant
	req     *render.Request
	env     *render.MockoonEnv
	// ...or a body that came over the wire.
	raw         string
	contentType string
}

// renderBodyCmd renders, pretty-prints and highlights a body off the UI goroutine.
func renderBodyCmd(j bodyJob) tea.Cmd {
	return func() tea.Msg {
		msg := bodyRenderedMsg{target: j.target, seq: j.seq}
		raw, ct := j.raw, j.contentType
		if j.variant != nil {
			if j.env != nil {
				// A copy: the preview's writes (setGlobalVar, setData)
				// never reach the requests' state.
				j.req.Mockoon = j.env.Snapshot()
			}
			out, err := j.variant.Render(j.req)
			if err != nil {
				msg.err = fmt.Errorf("render %s body: %w", j.variant.Kind, err)
				return msg
			}
			raw, ct = out, j.variant.ContentType
		}
		msg.plain, msg.styled = formatBody(raw, ct, j.width, j.color, j.dark)
		return msg
	}
}

// formatBody pretty-prints JSON and highlights it when colour is on.
func formatBody(raw, contentType string, width int, color, dark bool) (plain, styled string) {
	plain = strings.TrimRight(raw, "\n")
	isJSON := strings.Contains(contentType, "json") || looksJSON(plain)
	if isJSON {
		var buf bytes.Buffer
		if err := json.Indent(&buf, []byte(plain), "", "  "); err == nil {
			plain = buf.String()
		}
	}
	// The body came over the wire: what reaches the screen is escaped.
	styled = termsafe.Text(plain)
	if color && isJSON && plain != "" {
		if h, err := highlightJSON(styled, dark); err == nil {
			styled = strings.TrimRight(h, "\n")
		}
	}
	if width > 0 {
		styled = ansi.Hardwrap(styled, width, true)
	}
	return plain, styled
}

func looksJSON(s string) bool {
	t := strings.TrimSpace(s)
	return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")
}

// curlHeaders are the request headers a copied curl command keeps: the
// ones that change what Stripe (and routedeck) answer. Credentials are
// left out so they never land in a clipboard.
var curlHeaders = []string{"Idempotency-Key", "Prefer", "Stripe-Account", "Stripe-Version"}

// curlCommand is a shell-ready curl for a request against base.
func curlCommand(base, method, target, body string, header http.Header) string {
	var b strings.Builder
	b.WriteString("curl -sS")
	if method != "GET" && (method != "POST" || body == "") {
		b.WriteString(" -X " + method)
	}
	b.WriteString(" " + shellQuote(strings.TrimRight(base, "/")+target))
	for _, k := range curlHeaders {
		for _, v := range header.Values(k) {
			b.WriteString(" \\\n  -H " + shellQuote(k+": "+v))
		}
	}
	switch {
	case body == "":
	case catalog.BodyType(body) == catalog.JSON:
		b.WriteString(" \\\n  -H 'Content-Type: application/json' \\\n  -d " + shellQuote(body))
	default:
		for _, pair := range strings.Split(body, "&") {
			if pair != "" {
				b.WriteString(" \\\n  -d " + shellQuote(pair))
			}
		}
	}
	return b.String()
}

// shellQuote single-quotes s when the shell would otherwise touch it.
func shellQuote(s string) string {
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=%+,@", r)) {
			safe = false
			break
		}
	}
	if safe && s != "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// sortedHeaders lists header lines "Key: value" alphabetically, fit to
// show: escaped, with secrets masked.
func sortedHeaders(h map[string][]string) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		for _, v := range h[k] {
			lines = append(lines, termsafe.Line(k)+": "+termsafe.Header(k, v))
		}
	}
	return lines
}
