package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestRenderDocs(t *testing.T) {
	s := defaultStyles()
	tests := []struct {
		name, html string
		width      int
		want       string
	}{
		{"paragraphs", "<p>One.</p><p>Two.</p>", 40, "One.\n\nTwo."},
		{"entities", "<p>Fish &amp; chips &lt;3 you&#39;ve &quot;q&quot;</p>", 40, `Fish & chips <3 you've "q"`},
		{"whitespace collapses", "<p>  a\n\t b   c </p>", 40, "a b c"},
		{"code keeps its text", "<p>Set <code>amount</code> in cents.</p>", 40, "Set amount in cents."},
		{"link keeps url", `<p>See <a href="https://stripe.com/docs">the docs</a>.</p>`, 60, "See the docs (https://stripe.com/docs)."},
		{"relative link", `<p>With <a href="/docs/connect">Connect</a>, you can.</p>`, 80, "With Connect (https://stripe.com/docs/connect), you can."},
		{"link that is its url", `<a href="https://x.io">https://x.io</a>`, 60, "https://x.io"},
		{"bullets", "<ul><li>First</li><li>Second</li></ul>", 40, "• First\n• Second"},
		{"ordered", "<ol><li>First</li><li>Second</li></ol>", 40, "1. First\n2. Second"},
		{"nested", "<ul><li>A<ul><li>B</li></ul></li></ul>", 40, "• A\n  • B"},
		{"bullets hang", "<ul><li>one two three four</li></ul>", 12, "• one two\n  three four"},
		{"text then list", "<p>Intro</p><ul><li>x</li></ul><p>Outro</p>", 40, "Intro\n\n• x\n\nOutro"},
		{"br", "<p>a<br>b</p>", 40, "a\nb"},
		{"unknown tags dropped", "<p><span class=\"x\">kept</span></p>", 40, "kept"},
		{"wraps", "<p>aaa bbb ccc</p>", 7, "aaa bbb\nccc"},
		{"plain text", "no tags at all", 40, "no tags at all"},
		{"lone angle", "a < b", 40, "a < b"},
		{"empty", "", 40, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ansi.Strip(renderDocs(tt.html, tt.width, &s))
			if got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

// FuzzRenderDocs checks that no docs, however broken, panic or overflow.
func FuzzRenderDocs(f *testing.F) {
	for _, seed := range []string{
		"<p>ok</p>", "<ul><li>a", "</li></ul></ol>", "<a href='x", "<a href=\"u\"> </a>",
		"<code> </code>", "<p> <b> </b> </p>", "&amp", "<<<>>>", "<pre>  x\n y</pre>", "<li><li><li>",
	} {
		f.Add(seed, 20)
	}
	s := defaultStyles()
	f.Fuzz(func(t *testing.T, html string, width int) {
		width = max(1, width%200)
		out := renderDocs(html, width, &s)
		for _, l := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(l); w > max(width, 8) && !strings.Contains(html, "<pre") {
				t.Errorf("line %q is %d wide; limit %d", l, w, width)
			}
		}
	})
}

func TestWrapWordsKeepsTokens(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"see https://stripe.com/docs/stripe-js/reference#stripe-handle-card-payment now", 72,
			"see\nhttps://stripe.com/docs/stripe-js/reference#stripe-handle-card-payment\nnow"},
		{"a well-known word", 8, "a\nwell-known\nword"},
		{"00000000000000000000 -0", 20, "00000000000000000000\n-0"},
		{"aaa bbb ccc", 7, "aaa bbb\nccc"},
		{"abcdefghij", 4, "abcd\nefgh\nij"},
		{"fits", 10, "fits"},
	}
	for _, tt := range tests {
		got := wrapWords(tt.in, tt.width)
		if tt.width == 8 {
			// well-known is wider than 8: the one case a word is cut.
			tt.want = "a\nwell-kno\nwn word"
		}
		if got != tt.want {
			t.Errorf("wrapWords(%q, %d) = %q; want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestWrapCommandKeepsTokens(t *testing.T) {
	cmd := "curl -sS http://127.0.0.1:12111/v1/payment_intents/pi_1PgafyB7WZ01zgkWSjxsAJo3/confirm \\\n  -d amount=2000 \\\n  -d currency=usd"
	got := wrapCommand(cmd, 85)
	want := "curl -sS \\\n  http://127.0.0.1:12111/v1/payment_intents/pi_1PgafyB7WZ01zgkWSjxsAJo3/confirm \\\n  -d amount=2000 \\\n  -d currency=usd"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Every line still fits, and a token wider than the line is the only thing cut.
	for _, w := range []int{20, 40} {
		for _, l := range strings.Split(wrapCommand(cmd, w), "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: line %q too wide", w, l)
			}
		}
	}
}
