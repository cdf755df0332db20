package ui

import (
	"html"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/internal/termsafe"
)

// docBlockKind says how a block of docs text is laid out.
type docBlockKind int

const (
	blockPara docBlockKind = iota
	blockItem
	blockPre
)

// docBlock is one paragraph, list item or preformatted block of docs.
type docBlock struct {
	kind   docBlockKind
	depth  int    // list nesting, for items
	bullet string // "•" or "1."
	text   strings.Builder
	space  bool // the last rune written was a space (or the block is empty)
}

// docTag is one parsed HTML tag.
type docTag struct {
	name    string
	closing bool
	attrs   map[string]string
}

// docParser turns the small HTML subset Stripe writes in its API reference
// (p, ul/ol/li, code, a, strong/em, h1-6, pre, br) into terminal text.
// Unknown tags are dropped and their text kept: docs never fail to show.
type docParser struct {
	s      *styles
	blocks []*docBlock
	cur    *docBlock
	lists  []listState
	code   int
	bold   int
	pre    int
	href   string
	inLink bool
	link   strings.Builder
}

type listState struct {
	ordered bool
	n       int
}

// renderDocs converts docs HTML to text wrapped at width.
func renderDocs(src string, width int, s *styles) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	p := &docParser{s: s}
	p.parse(src)
	return p.layout(max(width, 8))
}

func (p *docParser) parse(src string) {
	for len(src) > 0 {
		i := strings.IndexByte(src, '<')
		if i < 0 {
			p.text(src)
			return
		}
		if i > 0 {
			p.text(src[:i])
		}
		src = src[i:]
		end := tagEnd(src)
		if end < 0 {
			// A lone "<" is text.
			p.text(src)
			return
		}
		raw := src[1:end]
		src = src[end+1:]
		if strings.HasPrefix(raw, "!") || strings.HasPrefix(raw, "?") {
			continue // comment or doctype
		}
		p.tag(parseTag(raw))
	}
}

// tagEnd finds the ">" closing the tag at s[0], skipping quoted attributes.
func tagEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		case c == '<':
			return -1
		}
	}
	return -1
}

func parseTag(raw string) docTag {
	raw = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(raw), "/"))
	t := docTag{}
	if strings.HasPrefix(raw, "/") {
		t.closing = true
		raw = strings.TrimSpace(raw[1:])
	}
	n := strings.IndexFunc(raw, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
	if n < 0 {
		t.name = strings.ToLower(raw)
		return t
	}
	t.name = strings.ToLower(raw[:n])
	t.attrs = parseAttrs(raw[n:])
	return t
}

// parseAttrs reads name="value", name='value' and name=value pairs.
func parseAttrs(s string) map[string]string {
	attrs := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		if s == "" {
			return attrs
		}
		eq := strings.IndexAny(s, "= \t\n")
		if eq < 0 {
			attrs[strings.ToLower(s)] = ""
			return attrs
		}
		name := strings.ToLower(s[:eq])
		if s[eq] != '=' {
			attrs[name] = ""
			s = s[eq:]
			continue
		}
		s = s[eq+1:]
		var val string
		if s != "" && (s[0] == '"' || s[0] == '\'') {
			q := s[0]
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				val, s = s[1:], ""
			} else {
				val, s = s[1:1+end], s[2+end:]
			}
		} else {
			end := strings.IndexAny(s, " \t\n")
			if end < 0 {
				end = len(s)
			}
			val, s = s[:end], s[end:]
		}
		attrs[name] = html.UnescapeString(val)
	}
}

func (p *docParser) block(kind docBlockKind) *docBlock {
	b := &docBlock{kind: kind, space: true}
	p.blocks = append(p.blocks, b)
	p.cur = b
	return b
}

// endBlock closes the current block so the next text starts a new paragraph.
func (p *docParser) endBlock() { p.cur = nil }

func (p *docParser) tag(t docTag) {
	switch t.name {
	case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote", "section":
		p.endBlock()
		if !t.closing && strings.HasPrefix(t.name, "h") && len(t.name) == 2 {
			p.bold++
		} else if t.closing && strings.HasPrefix(t.name, "h") && len(t.name) == 2 && p.bold > 0 {
			p.bold--
		}
	case "br":
		if p.cur != nil {
			p.cur.text.WriteString("\n")
			p.cur.space = true
		}
	case "ul", "ol":
		p.endBlock()
		if t.closing {
			if len(p.lists) > 0 {
				p.lists = p.lists[:len(p.lists)-1]
			}
		} else {
			p.lists = append(p.lists, listState{ordered: t.name == "ol"})
		}
	case "li":
		p.endBlock()
		if t.closing {
			return
		}
		if len(p.lists) == 0 {
			p.lists = append(p.lists, listState{})
		}
		ls := &p.lists[len(p.lists)-1]
		ls.n++
		b := p.block(blockItem)
		b.depth = len(p.lists)
		b.bullet = "•"
		if ls.ordered {
			b.bullet = strconv.Itoa(ls.n) + "."
		}
	case "pre":
		p.endBlock()
		if t.closing {
			p.pre = max(0, p.pre-1)
		} else {
			p.pre++
			p.block(blockPre)
		}
	case "code", "tt", "kbd":
		if t.closing {
			p.code = max(0, p.code-1)
		} else {
			p.code++
		}
	case "strong", "b":
		if t.closing {
			p.bold = max(0, p.bold-1)
		} else {
			p.bold++
		}
	case "a":
		if t.closing {
			p.closeLink()
		} else {
			p.closeLink()
			p.inLink, p.href = true, t.attrs["href"]
			p.link.Reset()
		}
	}
}

func (p *docParser) closeLink() {
	if !p.inLink {
		return
	}
	p.inLink = false
	text := strings.TrimSpace(p.link.String())
	if p.href == "" || p.href == text || strings.HasPrefix(p.href, "#") {
		return
	}
	href := p.href
	if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
		// Stripe's docs link within stripe.com.
		href = "https://stripe.com" + href
	}
	p.emit(" ("+href+")", p.s.detail.link)
}

func (p *docParser) text(raw string) {
	// Docs may come from a user's catalog: control characters are shown
	// escaped, never sent to the terminal.
	t := termsafe.Text(html.UnescapeString(raw))
	if p.pre > 0 {
		if p.cur == nil {
			p.block(blockPre)
		}
		p.cur.text.WriteString(p.s.detail.code.Render(t))
		return
	}
	// Collapse whitespace the way a browser does.
	var b strings.Builder
	lastSpace := p.cur == nil || p.cur.space
	for _, r := range t {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			if !lastSpace {
				b.WriteByte(' ')
				lastSpace = true
			}
			continue
		}
		b.WriteRune(r)
		lastSpace = false
	}
	out := b.String()
	if out == "" || out == " " && (p.cur == nil || p.cur.space) {
		return
	}
	style := p.s.detail.text
	switch {
	case p.code > 0:
		style = p.s.detail.code
	case p.inLink:
		style = p.s.detail.link
	case p.bold > 0:
		style = p.s.detail.method
	}
	if p.inLink {
		p.link.WriteString(out)
	}
	p.emit(out, style)
}

// emit appends styled text to the current block, starting a paragraph if
// there is none. Leading and trailing spaces stay unstyled so underlines
// and colours don't bleed into the gaps.
func (p *docParser) emit(s string, style lipgloss.Style) {
	if p.cur == nil {
		p.block(blockPara)
	}
	if p.cur.space {
		s = strings.TrimLeft(s, " ")
	}
	if s == "" {
		return
	}
	if strings.TrimLeft(s, " ") == "" {
		p.cur.text.WriteByte(' ')
		p.cur.space = true
		return
	}
	lead := len(s) - len(strings.TrimLeft(s, " "))
	trail := len(s) - len(strings.TrimRight(s, " "))
	core := s[lead : len(s)-trail]
	p.cur.text.WriteString(s[:lead])
	if core != "" {
		p.cur.text.WriteString(style.Render(core))
	}
	p.cur.text.WriteString(s[len(s)-trail:])
	p.cur.space = trail > 0
}

// layout wraps every block at width: items hang under their bullet and
// consecutive items share no blank line.
func (p *docParser) layout(width int) string {
	var out []string
	prevItem := false
	for _, b := range p.blocks {
		text := strings.TrimRight(b.text.String(), " \n")
		if b.kind != blockPre {
			text = strings.TrimSpace(text)
		}
		if ansi.Strip(text) == "" && b.kind != blockItem {
			continue
		}
		isItem := b.kind == blockItem
		if len(out) > 0 && !(isItem && prevItem) {
			out = append(out, "")
		}
		prevItem = isItem
		switch b.kind {
		case blockItem:
			indent := strings.Repeat("  ", b.depth-1)
			prefix := indent + p.s.detail.bullet.Render(b.bullet) + " "
			pw := ansi.StringWidth(prefix)
			hang := strings.Repeat(" ", pw)
			lines := strings.Split(wrapWords(text, max(width-pw, 4)), "\n")
			for i, l := range lines {
				if i == 0 {
					out = append(out, prefix+l)
				} else {
					out = append(out, hang+l)
				}
			}
		case blockPre:
			for _, l := range strings.Split(text, "\n") {
				out = append(out, "  "+l)
			}
		default:
			out = append(out, strings.Split(wrapWords(text, width), "\n")...)
		}
	}
	return strings.Join(out, "\n")
}
